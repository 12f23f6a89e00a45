/* Boot payload header reader and writer (see payload.h). The loader treats the payload as
 * hostile: every field is read byte-wise and every offset and size is checked before use. */
#include "payload.h"

#include <stdbool.h>

#include "lib/error_name.h"

#define BITS_PER_BYTE 8

static uint64_t read_le(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = bytes; i > 0; i--) {
        v = v << BITS_PER_BYTE | p[i - 1];
    }
    return v;
}

static void write_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (i * BITS_PER_BYTE));
    }
}

struct decoded_entry {
    uint32_t kind;
    uint64_t offset;
    uint64_t size;
};

static void decode_entry(const uint8_t *hdr, uint32_t i, struct decoded_entry *e,
                         uint32_t *reserved)
{
    const uint8_t *p = hdr + PAYLOAD_HDR_ENTRIES + i * PAYLOAD_ENTRY_BYTES;

    e->kind = (uint32_t)read_le(p + PAYLOAD_ENTRY_KIND, sizeof(uint32_t));
    *reserved = (uint32_t)read_le(p + PAYLOAD_ENTRY_RESERVED, sizeof(uint32_t));
    e->offset = read_le(p + PAYLOAD_ENTRY_OFFSET, sizeof(uint64_t));
    e->size = read_le(p + PAYLOAD_ENTRY_SIZE_FIELD, sizeof(uint64_t));
}

static bool kind_known(uint32_t kind)
{
    return kind == PAYLOAD_KERNEL || kind == PAYLOAD_USER || kind == PAYLOAD_DTB;
}

static int check_entry(const struct decoded_entry *e, uint32_t reserved, uint64_t avail)
{
    if (!kind_known(e->kind) || reserved != 0) {
        return PAYLOAD_ERR_KIND;
    }
    if (e->offset % PAYLOAD_ALIGN != 0) {
        return PAYLOAD_ERR_ALIGN;
    }
    if (e->size == 0) {
        return PAYLOAD_ERR_EMPTY;
    }
    /* Subtraction form: a hostile offset + size must not wrap past the check. */
    if (e->offset < PAYLOAD_HEADER_BYTES || e->offset > avail || e->size > avail - e->offset) {
        return PAYLOAD_ERR_BOUNDS;
    }
    return 0;
}

/* Validate the header and decode the used entries into `entries` (count returned via *count). */
static int decode_header(const void *base, size_t avail, struct decoded_entry *entries,
                         uint32_t *count)
{
    if (base == NULL) {
        return PAYLOAD_ERR_ARGS;
    }
    if (avail < PAYLOAD_HEADER_BYTES) {
        return PAYLOAD_ERR_TRUNCATED;
    }
    const uint8_t *hdr = base;
    if (read_le(hdr + PAYLOAD_HDR_MAGIC, sizeof(uint64_t)) != PAYLOAD_MAGIC) {
        return PAYLOAD_ERR_MAGIC;
    }
    if (read_le(hdr + PAYLOAD_HDR_VERSION, sizeof(uint32_t)) != PAYLOAD_VERSION) {
        return PAYLOAD_ERR_VERSION;
    }
    uint32_t n = (uint32_t)read_le(hdr + PAYLOAD_HDR_COUNT, sizeof(uint32_t));
    if (n > PAYLOAD_MAX_ENTRIES) {
        return PAYLOAD_ERR_COUNT;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t reserved;
        decode_entry(hdr, i, &entries[i], &reserved);
        int rc = check_entry(&entries[i], reserved, avail);
        if (rc < 0) {
            return rc;
        }
        /* Entries are in bounds, so offset + size cannot wrap below. */
        for (uint32_t j = 0; j < i; j++) {
            if (entries[j].kind == entries[i].kind) {
                return PAYLOAD_ERR_DUPLICATE;
            }
            if (entries[i].offset < entries[j].offset + entries[j].size
                && entries[j].offset < entries[i].offset + entries[i].size) {
                return PAYLOAD_ERR_OVERLAP;
            }
        }
    }
    *count = n;
    return 0;
}

int payload_check(const void *base, size_t avail)
{
    struct decoded_entry entries[PAYLOAD_MAX_ENTRIES];
    uint32_t count;

    return decode_header(base, avail, entries, &count);
}

int payload_find(const void *base, size_t avail, uint32_t kind, const void **blob,
                 uint64_t *size)
{
    struct decoded_entry entries[PAYLOAD_MAX_ENTRIES];
    uint32_t count;

    if (blob == NULL || size == NULL) {
        return PAYLOAD_ERR_ARGS;
    }
    int rc = decode_header(base, avail, entries, &count);
    if (rc < 0) {
        return rc;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (entries[i].kind == kind) {
            *blob = (const uint8_t *)base + entries[i].offset;
            *size = entries[i].size;
            return 0;
        }
    }
    return PAYLOAD_ERR_NOTFOUND;
}

void payload_encode_header(const struct payload_header *hdr, uint8_t out[PAYLOAD_HEADER_BYTES])
{
    write_le(out + PAYLOAD_HDR_MAGIC, hdr->magic, sizeof(uint64_t));
    write_le(out + PAYLOAD_HDR_VERSION, hdr->version, sizeof(uint32_t));
    write_le(out + PAYLOAD_HDR_COUNT, hdr->count, sizeof(uint32_t));
    for (uint32_t i = 0; i < PAYLOAD_MAX_ENTRIES; i++) {
        const struct payload_entry *e = &hdr->entries[i];
        uint8_t *p = out + PAYLOAD_HDR_ENTRIES + i * PAYLOAD_ENTRY_BYTES;
        write_le(p + PAYLOAD_ENTRY_KIND, e->kind, sizeof(uint32_t));
        write_le(p + PAYLOAD_ENTRY_RESERVED, e->reserved, sizeof(uint32_t));
        write_le(p + PAYLOAD_ENTRY_OFFSET, e->offset, sizeof(uint64_t));
        write_le(p + PAYLOAD_ENTRY_SIZE_FIELD, e->size, sizeof(uint64_t));
    }
}

const char *payload_error_name(int err)
{
    static const char *const names[] = {
        "ok",
        "bad arguments",
        "truncated header",
        "bad magic",
        "unsupported version",
        "too many entries",
        "unknown kind or reserved field set",
        "duplicate kind",
        "misaligned blob offset",
        "blob outside the payload",
        "empty blob",
        "overlapping blobs",
        "not found",
    };
    _Static_assert(sizeof(names) / sizeof(names[0]) == 1 - PAYLOAD_ERR_MIN, "one name per error");
    return error_name(names, 1 - PAYLOAD_ERR_MIN, err, "unknown payload error");
}
