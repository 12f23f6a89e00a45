/* Boot payload format, shared by the packer (tools/kpack.c) and the loader: a little-endian
 * header listing up to four blobs (kernel ELF, root-task ELF, DTB), each 4 KiB-aligned after it. */
#ifndef KAIROS_LOADER_PAYLOAD_H
#define KAIROS_LOADER_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#define PAYLOAD_MAGIC       0x4c50534f5249414bull  /* the bytes "KAIROSPL" as a little-endian u64 */
#define PAYLOAD_VERSION     1u
#define PAYLOAD_MAX_ENTRIES 4u
#define PAYLOAD_ALIGN       4096u   /* blob offsets are multiples of this (a page) */

enum payload_kind {
    PAYLOAD_KERNEL = 1,
    PAYLOAD_USER = 2,
    PAYLOAD_DTB = 3,
};

/*
 * On-disk layout, little-endian whatever the host. Readers decode it byte-wise with the offsets
 * below (the payload may be unaligned) rather than casting a pointer to these structs.
 */
struct payload_entry {
    uint32_t kind;      /* enum payload_kind */
    uint32_t reserved;  /* must be 0 */
    uint64_t offset;    /* from the start of the header; a multiple of PAYLOAD_ALIGN */
    uint64_t size;      /* bytes; never 0 */
};

struct payload_header {
    uint64_t magic;     /* PAYLOAD_MAGIC */
    uint32_t version;   /* PAYLOAD_VERSION */
    uint32_t count;     /* entries in use, at most PAYLOAD_MAX_ENTRIES; the rest are ignored */
    struct payload_entry entries[PAYLOAD_MAX_ENTRIES];
};

#define PAYLOAD_HDR_MAGIC       0
#define PAYLOAD_HDR_VERSION     8
#define PAYLOAD_HDR_COUNT       12
#define PAYLOAD_HDR_ENTRIES     16
#define PAYLOAD_ENTRY_KIND      0
#define PAYLOAD_ENTRY_RESERVED  4
#define PAYLOAD_ENTRY_OFFSET    8
#define PAYLOAD_ENTRY_SIZE_FIELD 16
#define PAYLOAD_ENTRY_BYTES     24
#define PAYLOAD_HEADER_BYTES    (PAYLOAD_HDR_ENTRIES + PAYLOAD_MAX_ENTRIES * PAYLOAD_ENTRY_BYTES)

_Static_assert(sizeof(struct payload_entry) == PAYLOAD_ENTRY_BYTES, "entry layout");
_Static_assert(offsetof(struct payload_entry, offset) == PAYLOAD_ENTRY_OFFSET, "entry layout");
_Static_assert(offsetof(struct payload_entry, size) == PAYLOAD_ENTRY_SIZE_FIELD, "entry layout");
_Static_assert(offsetof(struct payload_header, count) == PAYLOAD_HDR_COUNT, "header layout");
_Static_assert(offsetof(struct payload_header, entries) == PAYLOAD_HDR_ENTRIES, "header layout");
_Static_assert(sizeof(struct payload_header) == PAYLOAD_HEADER_BYTES, "header layout");
_Static_assert(PAYLOAD_HEADER_BYTES <= PAYLOAD_ALIGN, "first blob goes at PAYLOAD_ALIGN");

enum payload_error {
    PAYLOAD_ERR_ARGS = -1,      /* NULL pointer */
    PAYLOAD_ERR_TRUNCATED = -2, /* fewer bytes than a header */
    PAYLOAD_ERR_MAGIC = -3,
    PAYLOAD_ERR_VERSION = -4,
    PAYLOAD_ERR_COUNT = -5,     /* count > PAYLOAD_MAX_ENTRIES */
    PAYLOAD_ERR_KIND = -6,      /* unknown kind or non-zero reserved field */
    PAYLOAD_ERR_DUPLICATE = -7, /* two entries of one kind */
    PAYLOAD_ERR_ALIGN = -8,     /* offset not a multiple of PAYLOAD_ALIGN */
    PAYLOAD_ERR_BOUNDS = -9,    /* blob overlaps the header or runs past the payload */
    PAYLOAD_ERR_EMPTY = -10,    /* blob of size 0 */
    PAYLOAD_ERR_OVERLAP = -11,  /* two blobs share bytes */
    PAYLOAD_ERR_NOTFOUND = -12, /* valid payload without that kind */
    PAYLOAD_ERR_MIN = -12
};

/*
 * Validate the header at `base`, of which `avail` bytes are readable, and every used entry:
 * known kind, reserved 0, no duplicate kinds, offset aligned and past the header, blob
 * non-empty, inside `avail` and disjoint from the others. 0 or a payload_error.
 */
int payload_check(const void *base, size_t avail);

/* payload_check, then the blob of `kind`: its address and size. 0 or a payload_error. */
int payload_find(const void *base, size_t avail, uint32_t kind, const void **blob,
                 uint64_t *size);

/* Serialise `hdr` into its on-disk bytes (little-endian, unused entries as given). */
void payload_encode_header(const struct payload_header *hdr, uint8_t out[PAYLOAD_HEADER_BYTES]);

const char *payload_error_name(int err);

#endif /* KAIROS_LOADER_PAYLOAD_H */
