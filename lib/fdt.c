/* Flattened device tree reader (see fdt.h). The blob is hostile: fields are read byte-wise as
 * big-endian, every offset is checked against its block, and the walk is iterative and bounded. */
#include "fdt.h"

#include <stdbool.h>

#include "lib/error_name.h"

/* Facts from the Devicetree Specification, chapter "Flattened Devicetree (DTB) Format". */
#define FDT_MAGIC               0xd00dfeedu
#define FDT_MIN_VERSION         16u
#define FDT_MAX_COMPAT_VERSION  17u     /* newest layout this reader understands */
#define FDT_V16_HEADER_SIZE     36u     /* before version 17 added size_dt_struct */
#define FDT_STRUCT_SIZE_VERSION 17u

#define HDR_MAGIC           0
#define HDR_TOTALSIZE       4
#define HDR_OFF_DT_STRUCT   8
#define HDR_OFF_DT_STRINGS  12
#define HDR_OFF_MEM_RSVMAP  16
#define HDR_VERSION         20
#define HDR_LAST_COMP       24
#define HDR_SIZE_DT_STRINGS 32
#define HDR_SIZE_DT_STRUCT  36

#define TOKEN_BEGIN_NODE    1u
#define TOKEN_END_NODE      2u
#define TOKEN_PROP          3u
#define TOKEN_NOP           4u
#define TOKEN_END           9u
#define TOKEN_SIZE          4u  /* tokens and the data after them are 4-byte aligned */
#define PROP_HEADER_SIZE    8u  /* value length and name offset */

#define RSV_ENTRY_SIZE      16u /* big-endian u64 address, u64 size; (0, 0) terminates */
#define CELL_SIZE           4u
#define CELLS_PER_U64       2u
#define DEFAULT_ADDR_CELLS  2u  /* values a node assumes when its parent gives none */
#define DEFAULT_SIZE_CELLS  1u

/* Where the blocks of a header-checked blob are; all offsets are from the blob start. */
struct fdt_layout {
    const uint8_t *base;
    uint32_t struct_off;
    uint32_t struct_size;
    uint32_t strings_off;
    uint32_t strings_size;
    uint32_t rsvmap_off;
    uint32_t rsv_count;     /* entries before the terminator */
};

/* One node, reported once all its properties have been seen (at its first child or its end). */
struct fdt_node {
    const char *name;
    uint32_t depth;                 /* root is 0 */
    uint32_t parent_addr_cells;     /* the cells its "reg" is written in */
    uint32_t parent_size_cells;
    const uint8_t *reg;             /* NULL when the property is absent */
    uint32_t reg_len;
    const uint8_t *compatible;
    uint32_t compatible_len;
    const uint8_t *device_type;
    uint32_t device_type_len;
    const uint8_t *status;
    uint32_t status_len;
};

struct fdt_scan {
    struct fdt_layout lay;
    uint32_t pos;           /* next token, as an offset into the structure block */
    uint32_t depth;         /* nodes currently open */
    bool props_open;        /* the innermost open node has no child yet, so may get properties */
    bool root_closed;
    bool ended;
    struct fdt_node cur;    /* innermost open node, while props_open */
    uint32_t addr_cells[FDT_MAX_DEPTH];     /* #address-cells of each open node */
    uint32_t size_cells[FDT_MAX_DEPTH];
};

static uint32_t read_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t read_be64(const uint8_t *p)
{
    return (uint64_t)read_be32(p) << 32 | read_be32(p + 4);
}

static bool block_fits(uint32_t off, uint32_t size, uint32_t total, uint32_t header_size)
{
    return off >= header_size && off <= total && size <= total - off;
}

static bool bytes_equal(const uint8_t *a, const char *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (a[i] != (uint8_t)b[i]) {
            return false;
        }
    }
    return true;
}

static uint32_t cstring_length(const char *s)
{
    uint32_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static bool cstring_equal(const char *a, const char *b)
{
    uint32_t n = cstring_length(b);
    return bytes_equal((const uint8_t *)a, b, n + 1);
}

static int check_rsvmap(struct fdt_layout *lay, uint32_t total, uint32_t header_size)
{
    uint32_t off = lay->rsvmap_off;

    if (off < header_size) {
        return FDT_ERR_LAYOUT;
    }
    lay->rsv_count = 0;
    for (;;) {
        if (off > total || total - off < RSV_ENTRY_SIZE) {
            return FDT_ERR_LAYOUT;  /* ran off the blob before the terminator */
        }
        const uint8_t *e = lay->base + off;
        if (read_be64(e) == 0 && read_be64(e + sizeof(uint64_t)) == 0) {
            return 0;
        }
        lay->rsv_count++;
        off += RSV_ENTRY_SIZE;
    }
}

static int check_header(const void *blob, size_t avail, struct fdt_layout *lay)
{
    if (blob == NULL) {
        return FDT_ERR_ARGS;
    }
    if (avail < FDT_HEADER_SIZE) {
        return FDT_ERR_TRUNCATED;
    }
    const uint8_t *b = blob;
    if (read_be32(b + HDR_MAGIC) != FDT_MAGIC) {
        return FDT_ERR_MAGIC;
    }
    uint32_t version = read_be32(b + HDR_VERSION);
    if (version < FDT_MIN_VERSION || read_be32(b + HDR_LAST_COMP) > FDT_MAX_COMPAT_VERSION) {
        return FDT_ERR_VERSION;
    }
    uint32_t total = read_be32(b + HDR_TOTALSIZE);
    if (total > avail || total < FDT_HEADER_SIZE) {
        return FDT_ERR_SIZE;
    }

    uint32_t header_size = FDT_HEADER_SIZE;
    lay->base = b;
    lay->struct_off = read_be32(b + HDR_OFF_DT_STRUCT);
    lay->strings_off = read_be32(b + HDR_OFF_DT_STRINGS);
    lay->strings_size = read_be32(b + HDR_SIZE_DT_STRINGS);
    lay->rsvmap_off = read_be32(b + HDR_OFF_MEM_RSVMAP);
    if (version >= FDT_STRUCT_SIZE_VERSION) {
        lay->struct_size = read_be32(b + HDR_SIZE_DT_STRUCT);
    } else {
        /* Version 16 has no size_dt_struct: the block may run to the end of the blob. */
        header_size = FDT_V16_HEADER_SIZE;
        lay->struct_size = lay->struct_off <= total ? total - lay->struct_off : 0;
    }
    /* Token padding is defined relative to the blob start, so the block must be aligned. */
    if (lay->struct_off % TOKEN_SIZE != 0
        || !block_fits(lay->struct_off, lay->struct_size, total, header_size)
        || !block_fits(lay->strings_off, lay->strings_size, total, header_size)) {
        return FDT_ERR_LAYOUT;
    }
    return check_rsvmap(lay, total, header_size);
}

static bool struct_read_u32(const struct fdt_scan *s, uint32_t off, uint32_t *value)
{
    if (off > s->lay.struct_size || s->lay.struct_size - off < sizeof(uint32_t)) {
        return false;
    }
    *value = read_be32(s->lay.base + s->lay.struct_off + off);
    return true;
}

/* Move past `len` bytes at the current position plus padding to the next token. */
static bool struct_skip(struct fdt_scan *s, uint64_t len)
{
    uint64_t next = (uint64_t)s->pos + len;
    next = (next + TOKEN_SIZE - 1) & ~(uint64_t)(TOKEN_SIZE - 1);
    if (next > s->lay.struct_size) {
        return false;
    }
    s->pos = (uint32_t)next;
    return true;
}

/* A NUL-terminated string at `off` inside [0, limit) of `area`; its length or -1. */
static int64_t bounded_string_length(const uint8_t *area, uint32_t off, uint32_t limit)
{
    for (uint32_t i = off; i < limit; i++) {
        if (area[i] == '\0') {
            return (int64_t)(i - off);
        }
    }
    return -1;
}

/* Field by field: a struct assignment may become a memcpy call, which the loader lacks. */
static void node_copy(struct fdt_node *dst, const struct fdt_node *src)
{
    dst->name = src->name;
    dst->depth = src->depth;
    dst->parent_addr_cells = src->parent_addr_cells;
    dst->parent_size_cells = src->parent_size_cells;
    dst->reg = src->reg;
    dst->reg_len = src->reg_len;
    dst->compatible = src->compatible;
    dst->compatible_len = src->compatible_len;
    dst->device_type = src->device_type;
    dst->device_type_len = src->device_type_len;
    dst->status = src->status;
    dst->status_len = src->status_len;
}

static int scan_begin_node(struct fdt_scan *s, struct fdt_node *out, bool *emitted)
{
    const uint8_t *block = s->lay.base + s->lay.struct_off;
    int64_t len = bounded_string_length(block, s->pos, s->lay.struct_size);

    if (len < 0) {
        return FDT_ERR_STRUCTURE;
    }
    if (s->depth == 0 && s->root_closed) {
        return FDT_ERR_STRUCTURE;   /* a second root node */
    }
    if (s->depth >= FDT_MAX_DEPTH) {
        return FDT_ERR_DEPTH;
    }
    /* The parent's properties are complete once its first child starts. */
    *emitted = s->props_open;
    if (s->props_open) {
        node_copy(out, &s->cur);
    }

    /* Field by field, like node_copy: a compound literal may become a memset call. */
    uint32_t d = s->depth;
    struct fdt_node *n = &s->cur;
    n->name = (const char *)block + s->pos;
    n->depth = d;
    n->parent_addr_cells = d > 0 ? s->addr_cells[d - 1] : DEFAULT_ADDR_CELLS;
    n->parent_size_cells = d > 0 ? s->size_cells[d - 1] : DEFAULT_SIZE_CELLS;
    n->reg = NULL;
    n->reg_len = 0;
    n->compatible = NULL;
    n->compatible_len = 0;
    n->device_type = NULL;
    n->device_type_len = 0;
    n->status = NULL;
    n->status_len = 0;
    s->addr_cells[d] = DEFAULT_ADDR_CELLS;
    s->size_cells[d] = DEFAULT_SIZE_CELLS;
    s->depth++;
    s->props_open = true;
    return struct_skip(s, (uint64_t)len + 1) ? 0 : FDT_ERR_STRUCTURE;
}

static int scan_prop(struct fdt_scan *s)
{
    uint32_t len;
    uint32_t name_off;

    if (!struct_read_u32(s, s->pos, &len)
        || !struct_read_u32(s, s->pos + sizeof(uint32_t), &name_off)) {
        return FDT_ERR_STRUCTURE;
    }
    s->pos += PROP_HEADER_SIZE;
    const uint8_t *value = s->lay.base + s->lay.struct_off + s->pos;
    if (!struct_skip(s, len)) {
        return FDT_ERR_STRUCTURE;   /* value runs past the block */
    }
    /* Properties belong to a node and precede its children. */
    if (!s->props_open) {
        return FDT_ERR_STRUCTURE;
    }
    const uint8_t *strings = s->lay.base + s->lay.strings_off;
    if (name_off >= s->lay.strings_size
        || bounded_string_length(strings, name_off, s->lay.strings_size) < 0) {
        return FDT_ERR_STRING;
    }
    const char *name = (const char *)strings + name_off;
    struct fdt_node *n = &s->cur;

    if (cstring_equal(name, "#address-cells")) {
        if (len != CELL_SIZE) {
            return FDT_ERR_BADPROP;
        }
        s->addr_cells[n->depth] = read_be32(value);
    } else if (cstring_equal(name, "#size-cells")) {
        if (len != CELL_SIZE) {
            return FDT_ERR_BADPROP;
        }
        s->size_cells[n->depth] = read_be32(value);
    } else if (cstring_equal(name, "reg")) {
        n->reg = value;
        n->reg_len = len;
    } else if (cstring_equal(name, "compatible")) {
        n->compatible = value;
        n->compatible_len = len;
    } else if (cstring_equal(name, "device_type")) {
        n->device_type = value;
        n->device_type_len = len;
    } else if (cstring_equal(name, "status")) {
        n->status = value;
        n->status_len = len;
    }
    return 0;
}

/*
 * Advance to the next node whose properties are complete and copy it to `out`.
 * 1: a node; 0: the END token after a single, fully closed root; negative: an fdt_error.
 * Every token moves `pos` forward inside the block, so the walk always terminates.
 */
static int scan_next(struct fdt_scan *s, struct fdt_node *out)
{
    while (!s->ended) {
        uint32_t token;
        if (!struct_read_u32(s, s->pos, &token)) {
            return FDT_ERR_STRUCTURE;   /* block ended without an END token */
        }
        s->pos += TOKEN_SIZE;

        int rc = 0;
        bool emitted = false;
        switch (token) {
        case TOKEN_BEGIN_NODE:
            rc = scan_begin_node(s, out, &emitted);
            break;
        case TOKEN_END_NODE:
            if (s->depth == 0) {
                return FDT_ERR_STRUCTURE;
            }
            emitted = s->props_open;
            if (emitted) {
                node_copy(out, &s->cur);
            }
            s->depth--;
            s->props_open = false;
            s->root_closed = s->depth == 0;
            break;
        case TOKEN_PROP:
            rc = scan_prop(s);
            break;
        case TOKEN_NOP:
            break;
        case TOKEN_END:
            if (s->depth != 0 || !s->root_closed) {
                return FDT_ERR_STRUCTURE;
            }
            s->ended = true;
            break;
        default:
            return FDT_ERR_STRUCTURE;
        }
        if (rc < 0) {
            return rc;
        }
        if (emitted) {
            return 1;
        }
    }
    return 0;
}

static int scan_start(struct fdt_scan *s, const void *blob, size_t avail)
{
    int rc = check_header(blob, avail, &s->lay);
    if (rc < 0) {
        return rc;
    }
    s->pos = 0;
    s->depth = 0;
    s->props_open = false;
    s->root_closed = false;
    s->ended = false;
    return 0;
}

int fdt_check(const void *blob, size_t avail)
{
    struct fdt_scan s;
    struct fdt_node node;
    int rc = scan_start(&s, blob, avail);

    if (rc < 0) {
        return rc;
    }
    do {
        rc = scan_next(&s, &node);
    } while (rc > 0);
    return rc;
}

uint32_t fdt_total_size(const void *blob)
{
    return blob != NULL ? read_be32((const uint8_t *)blob + HDR_TOTALSIZE) : 0;
}

/* Common start of the queries: argument checks, a full validation, then a fresh walk. */
static int query_start(struct fdt_scan *s, const void *blob, const struct fdt_region *out,
                       int max)
{
    if (blob == NULL || max < 0 || (max > 0 && out == NULL)) {
        return FDT_ERR_ARGS;
    }
    size_t total = fdt_total_size(blob);
    int rc = fdt_check(blob, total);
    return rc < 0 ? rc : scan_start(s, blob, total);
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < cells; i++) {
        v = v << 32 | read_be32(p + i * CELL_SIZE);
    }
    return v;
}

/* Append the (address, size) pairs of a node's "reg" to out[*count..max). */
static int decode_reg(const struct fdt_node *n, bool skip_empty, struct fdt_region *out, int max,
                      int *count)
{
    uint32_t ac = n->parent_addr_cells;
    uint32_t sc = n->parent_size_cells;

    if (ac == 0 || ac > CELLS_PER_U64 || sc > CELLS_PER_U64) {
        return FDT_ERR_CELLS;
    }
    uint32_t entry = (ac + sc) * CELL_SIZE;
    if (n->reg_len % entry != 0) {
        return FDT_ERR_BADPROP;
    }
    for (uint32_t off = 0; off < n->reg_len; off += entry) {
        uint64_t base = read_cells(n->reg + off, ac);
        uint64_t size = read_cells(n->reg + off + ac * CELL_SIZE, sc);
        if (size == 0 && skip_empty) {
            continue;
        }
        /* Exclusive ends must be representable, as for ELF segments. */
        if (size > UINT64_MAX - base) {
            return FDT_ERR_BADPROP;
        }
        if (*count >= max) {
            return FDT_ERR_NOSPACE;
        }
        out[*count].base = base;
        out[*count].size = size;
        (*count)++;
    }
    return 0;
}

/* A property holding exactly one string equal to `s`. */
static bool prop_is_string(const uint8_t *value, uint32_t len, const char *s)
{
    uint32_t n = cstring_length(s);
    return value != NULL && len == n + 1 && bytes_equal(value, s, n + 1);
}

/* Whether a string-list property has an entry equal to `s`; an unterminated tail never matches. */
static bool prop_list_contains(const uint8_t *value, uint32_t len, const char *s)
{
    uint32_t n = cstring_length(s);
    uint32_t start = 0;

    if (value == NULL) {
        return false;
    }
    while (start < len) {
        uint32_t end = start;
        while (end < len && value[end] != '\0') {
            end++;
        }
        if (end == len) {
            return false;
        }
        if (end - start == n && bytes_equal(value + start, s, n)) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

static bool node_enabled(const struct fdt_node *n)
{
    return n->status == NULL || prop_is_string(n->status, n->status_len, "okay")
           || prop_is_string(n->status, n->status_len, "ok");
}

static bool node_is_memory(const struct fdt_node *n)
{
    static const char prefix[] = "memory@";
    const uint32_t stem = sizeof(prefix) - 2;   /* "memory" without '@' and NUL */

    if (prop_is_string(n->device_type, n->device_type_len, "memory")) {
        return true;
    }
    /* The name is NUL-terminated inside the block, so comparing stops at its end. */
    if (!bytes_equal((const uint8_t *)n->name, prefix, stem)) {
        return false;
    }
    return n->name[stem] == '\0' || n->name[stem] == '@';
}

int fdt_memory_regions(const void *blob, struct fdt_region *out, int max)
{
    struct fdt_scan s;
    struct fdt_node node;
    int count = 0;
    int rc = query_start(&s, blob, out, max);

    while (rc >= 0 && (rc = scan_next(&s, &node)) > 0) {
        if (node.depth != 1 || node.reg == NULL || !node_is_memory(&node)
            || !node_enabled(&node)) {
            continue;
        }
        rc = decode_reg(&node, true, out, max, &count);
    }
    return rc < 0 ? rc : count;
}

int fdt_find_compatible_reg(const void *blob, const char *compatible, struct fdt_region *out,
                            int max)
{
    struct fdt_scan s;
    struct fdt_node node;

    if (compatible == NULL || compatible[0] == '\0') {
        return FDT_ERR_ARGS;
    }
    int rc = query_start(&s, blob, out, max);
    while (rc >= 0 && (rc = scan_next(&s, &node)) > 0) {
        if (!prop_list_contains(node.compatible, node.compatible_len, compatible)
            || !node_enabled(&node)) {
            continue;
        }
        if (node.reg == NULL) {
            return 0;
        }
        int count = 0;
        rc = decode_reg(&node, false, out, max, &count);
        return rc < 0 ? rc : count;
    }
    return rc < 0 ? rc : FDT_ERR_NOTFOUND;
}

int fdt_reserved_regions(const void *blob, struct fdt_region *out, int max)
{
    struct fdt_scan s;
    int count = 0;
    int rc = query_start(&s, blob, out, max);

    for (uint32_t i = 0; rc >= 0 && i < s.lay.rsv_count; i++) {
        const uint8_t *e = s.lay.base + s.lay.rsvmap_off + i * RSV_ENTRY_SIZE;
        uint64_t base = read_be64(e);
        uint64_t size = read_be64(e + sizeof(uint64_t));
        if (size == 0) {
            continue;
        }
        if (size > UINT64_MAX - base) {
            return FDT_ERR_BADPROP;
        }
        if (count >= max) {
            return FDT_ERR_NOSPACE;
        }
        out[count].base = base;
        out[count].size = size;
        count++;
    }
    return rc < 0 ? rc : count;
}

const char *fdt_error_name(int err)
{
    static const char *const names[] = {
        "ok",
        "bad arguments",
        "truncated header",
        "bad magic",
        "unsupported version",
        "bad total size",
        "block outside the blob",
        "malformed structure block",
        "nodes nested too deep",
        "bad property name",
        "malformed property",
        "unsupported cell count",
        "too many regions",
        "not found",
    };
    _Static_assert(sizeof(names) / sizeof(names[0]) == 1 - FDT_ERR_MIN, "one name per error");
    return error_name(names, 1 - FDT_ERR_MIN, err, "unknown FDT error");
}
