/* trace_codec.c — CRC-32, base64 and `@kt` lines for the event log's console stream
 * (docs/tracing.md). Built into the root-task runtime and into the host converter, so it uses
 * no C library and no allocation: every buffer is the caller's or on the stack. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kairos/trace_codec.h>

/* ---------------------------------------------------------------------------------------- */
/* CRC-32 */

#define CRC32_POLY_REFLECTED 0xEDB88320u
#define CRC32_INVERT 0xFFFFFFFFu
#define NIBBLE_BITS 4u
#define NIBBLE_MASK 0xFu

/* Four steps of the bitwise CRC, folded into a 16-entry table that the compiler builds: small
 * enough for a root task, and two lookups per byte instead of eight shifts. */
#define CRC32_BIT(c) (((c) >> 1) ^ (((c)&1u) ? CRC32_POLY_REFLECTED : 0u))
#define CRC32_NIBBLE(i) CRC32_BIT(CRC32_BIT(CRC32_BIT(CRC32_BIT((uint32_t)(i)))))

static const uint32_t crc32_nibble_table[16] = {
    CRC32_NIBBLE(0),  CRC32_NIBBLE(1),  CRC32_NIBBLE(2),  CRC32_NIBBLE(3),
    CRC32_NIBBLE(4),  CRC32_NIBBLE(5),  CRC32_NIBBLE(6),  CRC32_NIBBLE(7),
    CRC32_NIBBLE(8),  CRC32_NIBBLE(9),  CRC32_NIBBLE(10), CRC32_NIBBLE(11),
    CRC32_NIBBLE(12), CRC32_NIBBLE(13), CRC32_NIBBLE(14), CRC32_NIBBLE(15),
};

uint32_t ktrace_crc32(uint32_t crc, const void *p, size_t n)
{
    const uint8_t *b = p;
    crc ^= CRC32_INVERT;
    for (size_t i = 0; i < n; i++) {
        crc ^= b[i];
        crc = (crc >> NIBBLE_BITS) ^ crc32_nibble_table[crc & NIBBLE_MASK];
        crc = (crc >> NIBBLE_BITS) ^ crc32_nibble_table[crc & NIBBLE_MASK];
    }
    return crc ^ CRC32_INVERT;
}

/* ---------------------------------------------------------------------------------------- */
/* Base64 (RFC 4648 §4, with padding) */

#define B64_GROUP_BYTES 3u
#define B64_GROUP_CHARS 4u
#define B64_SEXTET_BITS 6u
#define B64_SEXTET_MASK 0x3Fu
#define B64_PAD '='
#define B64_INVALID 0xFFu
#define BYTE_BITS 8u
#define BYTE_MASK 0xFFu

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
_Static_assert(sizeof(b64_alphabet) == (1u << B64_SEXTET_BITS) + 1u, "base64 alphabet");

/* Where each run of b64_alphabet starts. */
#define B64_LETTERS 26u
#define B64_LOWER_FIRST B64_LETTERS
#define B64_DIGIT_FIRST (2u * B64_LETTERS)
#define B64_PLUS_VALUE (B64_DIGIT_FIRST + 10u)
#define B64_SLASH_VALUE (B64_PLUS_VALUE + 1u)

/* The alphabet's value of c, or B64_INVALID; by ranges, so no 256-entry table is needed. */
static unsigned b64_value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return (unsigned)(c - 'A');
    }
    if (c >= 'a' && c <= 'z') {
        return (unsigned)(c - 'a') + B64_LOWER_FIRST;
    }
    if (c >= '0' && c <= '9') {
        return (unsigned)(c - '0') + B64_DIGIT_FIRST;
    }
    if (c == '+') {
        return B64_PLUS_VALUE;
    }
    if (c == '/') {
        return B64_SLASH_VALUE;
    }
    return B64_INVALID;
}

size_t ktrace_base64_encode(char *out, size_t outsz, const void *in, size_t n)
{
    const uint8_t *b = in;
    size_t chars = KTRACE_BASE64_CHARS(n);
    if (chars >= outsz) {
        return 0;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i += B64_GROUP_BYTES) {
        size_t have = n - i < B64_GROUP_BYTES ? n - i : B64_GROUP_BYTES;
        uint32_t group = (uint32_t)b[i] << (2 * BYTE_BITS);
        if (have > 1) {
            group |= (uint32_t)b[i + 1] << BYTE_BITS;
        }
        if (have > 2) {
            group |= b[i + 2];
        }
        /* have bytes fill have + 1 characters; the rest of the group is padding. */
        for (unsigned k = 0; k < B64_GROUP_CHARS; k++) {
            unsigned shift = (B64_GROUP_CHARS - 1 - k) * B64_SEXTET_BITS;
            out[o++] = k <= have ? b64_alphabet[(group >> shift) & B64_SEXTET_MASK] : B64_PAD;
        }
    }
    out[o] = '\0';
    return o;
}

int ktrace_base64_decode(void *out, size_t outsz, size_t *outlen, const char *in, size_t len)
{
    uint8_t *b = out;
    *outlen = 0;
    if (len % B64_GROUP_CHARS != 0) {
        return KTRACE_CODEC_BASE64;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i += B64_GROUP_CHARS) {
        bool last = i + B64_GROUP_CHARS == len;
        unsigned pad = 0;
        if (last && in[i + 3] == B64_PAD) {
            pad = in[i + 2] == B64_PAD ? 2u : 1u;
        }
        uint32_t group = 0;
        for (unsigned k = 0; k < B64_GROUP_CHARS; k++) {
            unsigned v = k < B64_GROUP_CHARS - pad ? b64_value(in[i + k]) : 0u;
            if (v == B64_INVALID) {
                return KTRACE_CODEC_BASE64; /* includes '=' anywhere but the padding */
            }
            group = (group << B64_SEXTET_BITS) | v;
        }
        unsigned have = B64_GROUP_BYTES - pad;
        /* Canonical only: the bits padding leaves unused must be zero, so each byte string has
         * exactly one encoding and a flipped character cannot hide there. */
        unsigned unused_bits = pad * BYTE_BITS;
        if (unused_bits != 0 && (group & ((1u << unused_bits) - 1u)) != 0) {
            return KTRACE_CODEC_BASE64;
        }
        for (unsigned k = 0; k < have; k++) {
            if (o < outsz) {
                b[o] = (uint8_t)((group >> ((B64_GROUP_BYTES - 1 - k) * BYTE_BITS)) & BYTE_MASK);
            }
            o++;
        }
    }
    *outlen = o;
    return KTRACE_CODEC_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Records on the wire */

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (BYTE_BITS * i));
    }
}

static uint64_t get_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v |= (uint64_t)p[i] << (BYTE_BITS * i);
    }
    return v;
}

/* Field offsets on the wire; they match the struct's, which trace_format.h sizes at 32. */
#define WIRE_TIME 0u
#define WIRE_EVENT 8u
#define WIRE_ARG 10u
#define WIRE_TCB 12u
#define WIRE_SC 16u
#define WIRE_AUX 20u
#define WIRE_VALUE 24u
_Static_assert(WIRE_VALUE + sizeof(uint64_t) == KTRACE_RECORD_BYTES, "ktrace wire layout");
_Static_assert(offsetof(struct ktrace_record, event) == WIRE_EVENT, "ktrace event offset");
_Static_assert(offsetof(struct ktrace_record, aux) == WIRE_AUX, "ktrace aux offset");
_Static_assert(offsetof(struct ktrace_record, value) == WIRE_VALUE, "ktrace value offset");

void ktrace_record_pack(uint8_t out[KTRACE_RECORD_BYTES], const struct ktrace_record *r)
{
    put_le(out + WIRE_TIME, r->time, sizeof(r->time));
    put_le(out + WIRE_EVENT, r->event, sizeof(r->event));
    put_le(out + WIRE_ARG, r->arg, sizeof(r->arg));
    put_le(out + WIRE_TCB, r->tcb, sizeof(r->tcb));
    put_le(out + WIRE_SC, r->sc, sizeof(r->sc));
    put_le(out + WIRE_AUX, r->aux, sizeof(r->aux));
    put_le(out + WIRE_VALUE, r->value, sizeof(r->value));
}

void ktrace_record_unpack(struct ktrace_record *r, const uint8_t in[KTRACE_RECORD_BYTES])
{
    r->time = get_le(in + WIRE_TIME, sizeof(r->time));
    r->event = (uint16_t)get_le(in + WIRE_EVENT, sizeof(r->event));
    r->arg = (uint16_t)get_le(in + WIRE_ARG, sizeof(r->arg));
    r->tcb = (uint32_t)get_le(in + WIRE_TCB, sizeof(r->tcb));
    r->sc = (uint32_t)get_le(in + WIRE_SC, sizeof(r->sc));
    r->aux = (uint32_t)get_le(in + WIRE_AUX, sizeof(r->aux));
    r->value = get_le(in + WIRE_VALUE, sizeof(r->value));
}

/* ---------------------------------------------------------------------------------------- */
/* `@kt <index> <base64> <crc32>` */

#define DECIMAL_BASE 10u
#define HEX_BASE 16u
#define HEX_DIGIT_BITS 4u

static const char hex_digits[] = "0123456789abcdef";

/* Appends the decimal digits of v at out + o; returns the new length. */
static size_t put_decimal(char *out, size_t o, uint32_t v)
{
    char digits[KTRACE_INDEX_DIGITS];
    unsigned k = 0;
    do {
        digits[k++] = (char)('0' + v % DECIMAL_BASE);
        v /= DECIMAL_BASE;
    } while (v != 0);
    while (k > 0) {
        out[o++] = digits[--k];
    }
    return o;
}

size_t ktrace_encode_line(char *out, size_t outsz, uint32_t first, const struct ktrace_record *r,
                          unsigned n)
{
    if (n == 0 || n > KTRACE_LINE_RECORDS || outsz == 0) {
        return 0;
    }
    uint8_t bytes[KTRACE_LINE_BYTES];
    for (unsigned i = 0; i < n; i++) {
        ktrace_record_pack(bytes + i * KTRACE_RECORD_BYTES, &r[i]);
    }
    size_t nbytes = (size_t)n * KTRACE_RECORD_BYTES;

    /* Build in a buffer that always fits, then copy, so a short out is never half written. */
    char line[KTRACE_LINE_BUFFER];
    size_t o = 0;
    for (const char *p = KTRACE_STREAM_LINE; *p != '\0'; p++) {
        line[o++] = *p;
    }
    line[o++] = ' ';
    o = put_decimal(line, o, first);
    line[o++] = ' ';
    o += ktrace_base64_encode(line + o, sizeof(line) - o, bytes, nbytes);
    line[o++] = ' ';
    uint32_t crc = ktrace_crc32(0, bytes, nbytes);
    for (unsigned k = 0; k < KTRACE_CRC_DIGITS; k++) {
        unsigned shift = (KTRACE_CRC_DIGITS - 1 - k) * HEX_DIGIT_BITS;
        line[o++] = hex_digits[(crc >> shift) & NIBBLE_MASK];
    }
    if (o >= outsz) {
        return 0;
    }
    for (size_t i = 0; i < o; i++) {
        out[i] = line[i];
    }
    out[o] = '\0';
    return o;
}

static bool is_trailing_blank(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t';
}

/* The value of a hex digit of either case, or HEX_BASE when c is none. */
static unsigned hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return (unsigned)(c - '0');
    }
    if (c >= 'a' && c <= 'f') {
        return (unsigned)(c - 'a') + DECIMAL_BASE;
    }
    if (c >= 'A' && c <= 'F') {
        return (unsigned)(c - 'A') + DECIMAL_BASE;
    }
    return HEX_BASE;
}

/* Records a base64 token of `chars` characters would hold, 0 when it is no whole number: the
 * best guess at what a line with a damaged token held. */
static unsigned records_for_token(size_t chars)
{
    size_t bytes = chars / B64_GROUP_CHARS * B64_GROUP_BYTES;
    for (unsigned n = 1; n <= KTRACE_LINE_RECORDS; n++) {
        size_t full = (size_t)n * KTRACE_RECORD_BYTES;
        /* Padding takes up to two bytes off the group count's length. */
        if (bytes >= full && bytes < full + B64_GROUP_BYTES) {
            return n;
        }
    }
    return 0;
}

int ktrace_decode_line(const char *line, size_t len, uint32_t *first, struct ktrace_record *out,
                       unsigned *n)
{
    *first = KTRACE_INDEX_UNKNOWN;
    *n = 0;
    while (len > 0 && is_trailing_blank(line[len - 1])) {
        len--;
    }

    size_t pos = 0;
    for (const char *p = KTRACE_STREAM_LINE; *p != '\0'; p++, pos++) {
        if (pos >= len || line[pos] != *p) {
            return KTRACE_CODEC_SYNTAX;
        }
    }
    if (pos >= len || line[pos++] != ' ') {
        return KTRACE_CODEC_SYNTAX;
    }

    uint64_t index = 0;
    size_t digits = 0;
    while (pos < len && line[pos] >= '0' && line[pos] <= '9') {
        index = index * DECIMAL_BASE + (uint64_t)(line[pos] - '0');
        if (index > UINT32_MAX - 1u) { /* UINT32_MAX is KTRACE_INDEX_UNKNOWN */
            return KTRACE_CODEC_SYNTAX;
        }
        pos++;
        digits++;
    }
    if (digits == 0 || pos >= len || line[pos++] != ' ') {
        return KTRACE_CODEC_SYNTAX;
    }
    *first = (uint32_t)index;

    size_t token = pos;
    while (pos < len && line[pos] != ' ') {
        pos++;
    }
    size_t token_len = pos - token;
    if (token_len == 0 || pos >= len || line[pos++] != ' ') {
        return KTRACE_CODEC_SYNTAX;
    }

    if (len - pos != KTRACE_CRC_DIGITS) {
        return KTRACE_CODEC_SYNTAX;
    }
    uint32_t crc = 0;
    for (; pos < len; pos++) {
        unsigned v = hex_value(line[pos]);
        if (v == HEX_BASE) {
            return KTRACE_CODEC_SYNTAX;
        }
        crc = (crc << HEX_DIGIT_BITS) | v;
    }

    uint8_t bytes[KTRACE_LINE_BYTES];
    size_t nbytes;
    if (ktrace_base64_decode(bytes, sizeof(bytes), &nbytes, line + token, token_len) !=
        KTRACE_CODEC_OK) {
        *n = records_for_token(token_len);
        return KTRACE_CODEC_BASE64;
    }
    if (nbytes == 0 || nbytes % KTRACE_RECORD_BYTES != 0 || nbytes > sizeof(bytes)) {
        return KTRACE_CODEC_LENGTH;
    }
    *n = (unsigned)(nbytes / KTRACE_RECORD_BYTES);
    if (ktrace_crc32(0, bytes, nbytes) != crc) {
        return KTRACE_CODEC_CRC;
    }
    for (unsigned i = 0; i < *n; i++) {
        ktrace_record_unpack(&out[i], bytes + i * KTRACE_RECORD_BYTES);
    }
    return KTRACE_CODEC_OK;
}

const char *ktrace_codec_error_name(int err)
{
    switch (err) {
    case KTRACE_CODEC_OK:
        return "ok";
    case KTRACE_CODEC_SYNTAX:
        return "malformed line";
    case KTRACE_CODEC_BASE64:
        return "bad base64";
    case KTRACE_CODEC_LENGTH:
        return "bad record length";
    case KTRACE_CODEC_CRC:
        return "CRC mismatch";
    default:
        return "unknown error";
    }
}
