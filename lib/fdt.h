/* Flattened device tree (DTB) reader used by the loader and the kernel: header and structure
 * checks, memory banks, reserved ranges and device registers. Pure code, no allocation. */
#ifndef LIB_FDT_H
#define LIB_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAX_REGIONS 16  /* what callers are expected to reserve for memory banks */
#define FDT_MAX_DEPTH   16  /* nodes nest at most this deep (root is depth 0); deeper is refused */
#define FDT_HEADER_SIZE 40  /* version-17 header; fdt_check needs this many readable bytes */

/* All errors are negative so that counts and errors share one return value. */
enum fdt_error {
    FDT_ERR_ARGS = -1,      /* NULL pointer or negative max */
    FDT_ERR_TRUNCATED = -2, /* fewer bytes available than a header */
    FDT_ERR_MAGIC = -3,
    FDT_ERR_VERSION = -4,   /* version < 16 or needs a reader newer than 17 */
    FDT_ERR_SIZE = -5,      /* totalsize larger than available or smaller than a header */
    FDT_ERR_LAYOUT = -6,    /* a block (struct, strings, reserve map) outside totalsize */
    FDT_ERR_STRUCTURE = -7, /* bad token, nesting, unterminated name or missing END */
    FDT_ERR_DEPTH = -8,     /* nesting deeper than FDT_MAX_DEPTH */
    FDT_ERR_STRING = -9,    /* property name offset outside strings or unterminated */
    FDT_ERR_BADPROP = -10,  /* malformed #address-cells/#size-cells/reg, or a range that wraps */
    FDT_ERR_CELLS = -11,    /* cell counts a 64-bit address or size cannot hold */
    FDT_ERR_NOSPACE = -12,  /* more regions than `max` */
    FDT_ERR_NOTFOUND = -13, /* no node with that compatible string */
    FDT_ERR_MIN = -13
};

struct fdt_region {
    uint64_t base;
    uint64_t size;
};

/*
 * Validate a blob of which `avail` bytes are readable: magic 0xd00dfeed, version >= 16 and
 * last compatible version <= 17, FDT_HEADER_SIZE <= totalsize <= avail, struct block,
 * strings block and memory-reservation map inside totalsize, and a full walk of the structure
 * block (tokens, one root, nesting depth, names and property-name offsets). 0 or an fdt_error.
 */
int fdt_check(const void *blob, size_t avail);

/* The header's totalsize field. Needs FDT_HEADER_SIZE readable bytes. */
uint32_t fdt_total_size(const void *blob);

/*
 * The queries below trust only the header's totalsize, so `blob` must have passed fdt_check;
 * each re-validates the blob itself before reading it. Each returns the number of regions
 * written to out[0..max) or an fdt_error; FDT_ERR_NOSPACE if they do not fit.
 */

/*
 * Memory banks: every child of the root named "memory" or "memory@..." or with
 * device_type = "memory", skipping nodes whose status is present and not "okay"/"ok". Their
 * "reg" entries are decoded with the root's #address-cells/#size-cells (2 and 1 if absent);
 * entries of size 0 are skipped.
 */
int fdt_memory_regions(const void *blob, struct fdt_region *out, int max);

/*
 * Registers of the first enabled node (in blob order; status absent, "okay" or "ok") whose
 * "compatible" list contains `compatible` exactly. Its "reg" is decoded with its parent's
 * #address-cells/#size-cells. 0 if the node has no "reg"; FDT_ERR_NOTFOUND if no node matches.
 */
int fdt_find_compatible_reg(const void *blob, const char *compatible, struct fdt_region *out,
                            int max);

/* Entries of the memory-reservation map (/memreserve/), skipping ones of size 0. */
int fdt_reserved_regions(const void *blob, struct fdt_region *out, int max);

const char *fdt_error_name(int err);

#endif /* LIB_FDT_H */
