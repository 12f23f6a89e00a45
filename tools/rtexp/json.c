/* json.c — the flat JSON object parser (json.h): a recursive-descent reader over one object,
 * with every limit checked so a damaged console line can only be rejected, never overrun. */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest number token accepted: an int64 has 19 digits, a double a few more. */
#define NUMBER_TOKEN_MAX 40

struct cursor {
    const char *text;
    size_t len;
    size_t pos;
    char *err;
    size_t errlen;
};

bool json_error_tail(char *err, size_t errlen, int used, const char *fmt, va_list ap)
{
    if (used >= 0 && (size_t)used < errlen) {
        vsnprintf(err + used, errlen - (size_t)used, fmt, ap);
    }
    return false;
}

__attribute__((format(printf, 2, 3))) static bool fail(struct cursor *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_error_tail(c->err, c->errlen, snprintf(c->err, c->errlen, "offset %zu: ", c->pos), fmt,
                    ap);
    va_end(ap);
    return false;
}

static int peek(const struct cursor *c)
{
    return c->pos < c->len ? (unsigned char)c->text[c->pos] : -1;
}

static void skip_space(struct cursor *c)
{
    while (c->pos < c->len) {
        char ch = c->text[c->pos];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
            break;
        }
        c->pos++;
    }
}

static bool expect(struct cursor *c, char ch)
{
    skip_space(c);
    if (peek(c) != (unsigned char)ch) {
        return fail(c, "expected '%c'", ch);
    }
    c->pos++;
    return true;
}

/* A string literal into out (at most max - 1 bytes and a NUL). \uXXXX is refused: nothing
 * rtexp reads needs anything beyond ASCII. */
static bool parse_string(struct cursor *c, char *out, size_t max)
{
    if (!expect(c, '"')) {
        return false;
    }
    size_t n = 0;
    for (;;) {
        int ch = peek(c);
        if (ch < 0) {
            return fail(c, "unterminated string");
        }
        c->pos++;
        if (ch == '"') {
            break;
        }
        if (ch < 0x20) {
            return fail(c, "control character in a string");
        }
        if (ch == '\\') {
            int esc = peek(c);
            c->pos++;
            switch (esc) {
            case '"':
            case '\\':
            case '/':
                ch = esc;
                break;
            case 'n':
                ch = '\n';
                break;
            case 't':
                ch = '\t';
                break;
            default:
                return fail(c, "unsupported escape in a string");
            }
        }
        if (n + 1 >= max) {
            return fail(c, "string longer than %zu characters", max - 1);
        }
        out[n++] = (char)ch;
    }
    out[n] = '\0';
    return true;
}

static bool is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* A number as the JSON grammar has it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool parse_number(struct cursor *c, struct json_number *num)
{
    size_t start = c->pos;
    bool integral = true;
    if (peek(c) == '-') {
        c->pos++;
    }
    if (!is_digit(peek(c))) {
        return fail(c, "expected a value");
    }
    if (peek(c) == '0') {
        c->pos++;
        if (is_digit(peek(c))) {
            return fail(c, "leading zero in a number");
        }
    }
    while (is_digit(peek(c))) {
        c->pos++;
    }
    if (peek(c) == '.') {
        integral = false;
        c->pos++;
        if (!is_digit(peek(c))) {
            return fail(c, "digit expected after '.'");
        }
        while (is_digit(peek(c))) {
            c->pos++;
        }
    }
    if (peek(c) == 'e' || peek(c) == 'E') {
        integral = false;
        c->pos++;
        if (peek(c) == '+' || peek(c) == '-') {
            c->pos++;
        }
        if (!is_digit(peek(c))) {
            return fail(c, "digit expected in an exponent");
        }
        while (is_digit(peek(c))) {
            c->pos++;
        }
    }
    size_t n = c->pos - start;
    if (n >= NUMBER_TOKEN_MAX) {
        return fail(c, "number too long");
    }
    char token[NUMBER_TOKEN_MAX];
    memcpy(token, c->text + start, n);
    token[n] = '\0';

    memset(num, 0, sizeof(*num));
    errno = 0;
    num->d = strtod(token, NULL);
    if (errno == ERANGE) {
        return fail(c, "number out of range");
    }
    if (integral) {
        errno = 0;
        long long v = strtoll(token, NULL, 10);
        if (errno == 0) {
            num->is_int = true;
            num->i = v;
        }
    }
    return true;
}

static bool match_word(struct cursor *c, const char *word)
{
    size_t n = strlen(word);
    if (c->len - c->pos >= n && memcmp(c->text + c->pos, word, n) == 0) {
        c->pos += n;
        return true;
    }
    return false;
}

static bool parse_array(struct cursor *c, struct json_field *f)
{
    c->pos++; /* '[' */
    f->type = JSON_ARRAY;
    f->len = 0;
    skip_space(c);
    if (peek(c) == ']') {
        c->pos++;
        return true;
    }
    for (;;) {
        skip_space(c);
        if (f->len >= JSON_ARRAY_MAX) {
            return fail(c, "array longer than %u elements", JSON_ARRAY_MAX);
        }
        struct json_number *e = &f->elem[f->len];
        if (match_word(c, "null")) {
            memset(e, 0, sizeof(*e));
            e->is_null = true;
        } else if (!parse_number(c, e)) {
            return false;
        }
        f->len++;
        skip_space(c);
        int ch = peek(c);
        c->pos++;
        if (ch == ']') {
            return true;
        }
        if (ch != ',') {
            c->pos--;
            return fail(c, "expected ',' or ']' in an array of numbers");
        }
    }
}

static bool parse_value(struct cursor *c, struct json_field *f)
{
    skip_space(c);
    int ch = peek(c);
    if (ch == '"') {
        f->type = JSON_STRING;
        return parse_string(c, f->str, sizeof(f->str));
    }
    if (ch == '[') {
        return parse_array(c, f);
    }
    if (ch == '{') {
        return fail(c, "nested object (only flat objects are read)");
    }
    if (match_word(c, "true")) {
        f->type = JSON_BOOL;
        f->b = true;
        return true;
    }
    if (match_word(c, "false")) {
        f->type = JSON_BOOL;
        f->b = false;
        return true;
    }
    if (match_word(c, "null")) {
        f->type = JSON_NULL;
        return true;
    }
    f->type = JSON_NUMBER;
    return parse_number(c, &f->num);
}

bool json_parse_object(const char *text, size_t len, struct json_object *obj, size_t *end,
                       char *err, size_t errlen)
{
    struct cursor c = {.text = text, .len = len, .pos = 0, .err = err, .errlen = errlen};
    obj->nfields = 0;
    if (!expect(&c, '{')) {
        return false;
    }
    skip_space(&c);
    if (peek(&c) == '}') {
        c.pos++;
        *end = c.pos;
        return true;
    }
    for (;;) {
        if (obj->nfields >= JSON_MAX_FIELDS) {
            return fail(&c, "more than %u fields", JSON_MAX_FIELDS);
        }
        struct json_field *f = &obj->field[obj->nfields];
        memset(f, 0, sizeof(*f));
        skip_space(&c);
        size_t key_pos = c.pos;
        if (!parse_string(&c, f->key, sizeof(f->key))) {
            return false;
        }
        if (json_find(obj, f->key) != NULL) {
            c.pos = key_pos;
            return fail(&c, "field \"%s\" given twice", f->key);
        }
        if (!expect(&c, ':') || !parse_value(&c, f)) {
            return false;
        }
        obj->nfields++;
        skip_space(&c);
        int ch = peek(&c);
        c.pos++;
        if (ch == '}') {
            *end = c.pos;
            return true;
        }
        if (ch != ',') {
            c.pos--;
            return fail(&c, "expected ',' or '}'");
        }
    }
}

const struct json_field *json_find(const struct json_object *obj, const char *key)
{
    for (uint32_t i = 0; i < obj->nfields; i++) {
        if (strcmp(obj->field[i].key, key) == 0) {
            return &obj->field[i];
        }
    }
    return NULL;
}

bool json_get_u64(const struct json_object *obj, const char *key, uint64_t *out)
{
    const struct json_field *f = json_find(obj, key);
    if (f == NULL || f->type != JSON_NUMBER || !f->num.is_int || f->num.i < 0) {
        return false;
    }
    *out = (uint64_t)f->num.i;
    return true;
}
