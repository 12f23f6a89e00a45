/* kairos/trace_codec.h — the console stream's codec (docs/tracing.md): CRC-32, base64 and the
 * `@kt` line, shared by the root-task runtime (which writes the stream) and the host converter
 * (which reads it back). Freestanding: calls nothing from a C library and never allocates. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <kairos/trace_format.h>

/* The payload of one full `@kt` line. */
#define KTRACE_LINE_BYTES (KTRACE_LINE_RECORDS * KTRACE_RECORD_BYTES)

/* Base64 length of `bytes` bytes, with padding. */
#define KTRACE_BASE64_CHARS(bytes) ((((bytes) + 2u) / 3u) * 4u)

#define KTRACE_CRC_DIGITS 8    /* a CRC-32 as lowercase hex */
#define KTRACE_INDEX_DIGITS 10 /* a uint32_t in decimal */

/* The longest `@kt` line, without a newline or NUL: "@kt <index> <base64> <crc>". */
#define KTRACE_LINE_MAX                                                                            \
    (sizeof(KTRACE_STREAM_LINE) - 1u + 1u + KTRACE_INDEX_DIGITS + 1u +                             \
     KTRACE_BASE64_CHARS(KTRACE_LINE_BYTES) + 1u + KTRACE_CRC_DIGITS)
/* A buffer that holds any `@kt` line with its NUL. */
#define KTRACE_LINE_BUFFER (KTRACE_LINE_MAX + 1u)

/* ktrace_decode_line's *first when the line failed before its index could be read. A log holds
 * at most KTRACE_CAPACITY records, so no real index comes near it. */
#define KTRACE_INDEX_UNKNOWN UINT32_MAX

/* ktrace_decode_line's results, checked in this order. */
enum ktrace_codec_error {
    KTRACE_CODEC_OK = 0,
    KTRACE_CODEC_SYNTAX = -1, /* not "@kt <decimal> <token> <8 hex digits>" */
    KTRACE_CODEC_BASE64 = -2, /* the token is not canonical padded base64 */
    KTRACE_CODEC_LENGTH = -3, /* the bytes are not 1..KTRACE_LINE_RECORDS whole records */
    KTRACE_CODEC_CRC = -4,    /* the bytes do not match the line's CRC-32 */
};

/* CRC-32 as zlib's crc32(): IEEE polynomial, reflected, inverted before and after. Incremental:
 * start with 0 and pass each result back in with the next piece. */
uint32_t ktrace_crc32(uint32_t crc, const void *p, size_t n);

/* Writes the padded base64 of n bytes and a NUL into out; returns its length, or 0 (out
 * untouched) when outsz cannot hold it and the NUL. */
size_t ktrace_base64_encode(char *out, size_t outsz, const void *in, size_t n);

/* Decodes len base64 characters. Returns KTRACE_CODEC_OK when all of them are canonical padded
 * base64 (length a multiple of 4, '=' only as the last one or two, zero unused bits), else
 * KTRACE_CODEC_BASE64. *outlen is the decoded length even when it exceeds outsz; only the first
 * outsz bytes are written. */
int ktrace_base64_decode(void *out, size_t outsz, size_t *outlen, const char *in, size_t len);

/* A record's wire form: each field little-endian, in declaration order, no padding. Done field
 * by field, so the codec is right whatever the CPU's byte order. */
void ktrace_record_pack(uint8_t out[KTRACE_RECORD_BYTES], const struct ktrace_record *r);
void ktrace_record_unpack(struct ktrace_record *r, const uint8_t in[KTRACE_RECORD_BYTES]);

/* Writes the `@kt` line for records r[0..n) whose first has index `first`, NUL-terminated and
 * without a newline. Returns its length, or 0 when n is not 1..KTRACE_LINE_RECORDS or outsz
 * cannot hold the line and its NUL (KTRACE_LINE_BUFFER always can). */
size_t ktrace_encode_line(char *out, size_t outsz, uint32_t first, const struct ktrace_record *r,
                          unsigned n);

/* Decodes one `@kt` line of len characters (a trailing "\r", "\n", blanks are ignored) into
 * out[0..*n), n <= KTRACE_LINE_RECORDS. Returns KTRACE_CODEC_OK or the first check that failed.
 * Even on failure *first is the line's index when it could be read (else KTRACE_INDEX_UNKNOWN)
 * and *n the records the line held when that is known (from the decoded length, or for bad
 * base64 from the token's length), else 0; out is then unspecified. */
int ktrace_decode_line(const char *line, size_t len, uint32_t *first, struct ktrace_record *out,
                       unsigned *n);

/* A short name for a ktrace_codec_error ("CRC mismatch", ...); "unknown error" otherwise. */
const char *ktrace_codec_error_name(int err);
