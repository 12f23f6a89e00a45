/* json.h — a parser for flat JSON objects: rtexp's experiment files, the root task's result
 * lines and rtexp's own sets.jsonl lines. A value is a number, a string, true, false, null or
 * an array of numbers and nulls; nested objects and arrays of anything else are errors, so the
 * parser stays small enough to check by reading. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_FIELDS 48
#define JSON_KEY_MAX 32
#define JSON_STRING_MAX 256 /* EXP_COMMENT_MAX */
#define JSON_ARRAY_MAX 16   /* RTEXP_MAX_TASKS: the longest array rtexp writes or reads */
#define JSON_ERR_MAX 256

/* Error messages: err already holds `used` bytes of prefix (snprintf's result); the
 * formatted rest follows it if there is room. Returns false, what a failing parser returns. */
bool json_error_tail(char *err, size_t errlen, int used, const char *fmt, va_list ap);

enum json_type {
    JSON_NUMBER,
    JSON_STRING,
    JSON_BOOL,
    JSON_NULL,
    JSON_ARRAY,
};

struct json_number {
    bool is_null; /* an array's null element */
    bool is_int;  /* written without fraction or exponent and within int64_t: i is exact */
    int64_t i;
    double d; /* always set (from i when is_int) */
};

struct json_field {
    char key[JSON_KEY_MAX];
    enum json_type type;
    struct json_number num; /* JSON_NUMBER */
    bool b;                 /* JSON_BOOL */
    char str[JSON_STRING_MAX];
    uint32_t len; /* JSON_ARRAY: elem[0..len) */
    struct json_number elem[JSON_ARRAY_MAX];
};

struct json_object {
    uint32_t nfields;
    struct json_field field[JSON_MAX_FIELDS];
};

/* Parses the object that starts at text[0] (after optional white space). On success *end is
 * the offset just past its closing brace; on failure err says what and at which offset.
 * Duplicate keys are an error: a file that sets a field twice is ambiguous. */
bool json_parse_object(const char *text, size_t len, struct json_object *obj, size_t *end,
                       char *err, size_t errlen);

/* The field named key, or NULL. */
const struct json_field *json_find(const struct json_object *obj, const char *key);

/* A field as a non-negative integer that fits uint64_t: false when absent, not an integer, or
 * negative. */
bool json_get_u64(const struct json_object *obj, const char *key, uint64_t *out);
