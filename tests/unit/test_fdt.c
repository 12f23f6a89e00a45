/* Unit tests for lib/fdt.c: DTBs compiled by dtc from tests/unit/data, blobs assembled here
 * token by token to reach each error, and byte mutations and truncations under ASan. */
#define CHECK_SUITE "fdt"
#include "check.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/fdt.h"

/* DTB format facts (Devicetree Specification), kept independent of fdt.c's own copies. */
#define DTB_MAGIC           0xd00dfeedu
#define DTB_VERSION         17u
#define DTB_LAST_COMP       16u
#define HDR_TOTALSIZE       4
#define HDR_OFF_DT_STRUCT   8
#define HDR_OFF_DT_STRINGS  12
#define HDR_OFF_MEM_RSVMAP  16
#define HDR_VERSION         20
#define HDR_LAST_COMP       24
#define HDR_SIZE_DT_STRINGS 32
#define HDR_SIZE_DT_STRUCT  36
#define TOK_BEGIN_NODE      1u
#define TOK_END_NODE        2u
#define TOK_PROP            3u
#define TOK_NOP             4u
#define TOK_END             9u
#define RSV_ENTRY           16u

#define MAX_OUT             8
#define BUILDER_BYTES       8192
#define BUILDER_MAX_RSV     4

/* ---- blob access -------------------------------------------------------------------------- */

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

static uint8_t *dup_exact(const uint8_t *src, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);
    if (p == NULL) {
        abort();
    }
    memcpy(p, src, len);
    return p;
}

static uint8_t *load_dtb(const char *name, size_t *size)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", UNIT_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    uint8_t buf[BUILDER_BYTES];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    *size = n;
    return n > 0 && n < sizeof(buf) ? dup_exact(buf, n) : NULL;
}

/* ---- a small DTB writer, so each malformation can be produced on purpose --------------------- */

struct builder {
    uint8_t structure[BUILDER_BYTES];
    size_t struct_len;
    char strings[BUILDER_BYTES];
    size_t strings_len;
    uint64_t rsv[BUILDER_MAX_RSV][2];
    int rsv_count;
    uint32_t version;
};

static void b_init(struct builder *b)
{
    memset(b, 0, sizeof(*b));
    b->version = DTB_VERSION;
}

static void b_bytes(struct builder *b, const void *p, size_t n)
{
    if (b->struct_len + n > sizeof(b->structure)) {
        abort();
    }
    memcpy(b->structure + b->struct_len, p, n);
    b->struct_len += n;
}

static void b_pad(struct builder *b)
{
    static const uint8_t zeros[4];
    b_bytes(b, zeros, (4 - b->struct_len % 4) % 4);
}

static void b_token(struct builder *b, uint32_t v)
{
    uint8_t raw[4];
    put_be32(raw, v);
    b_bytes(b, raw, sizeof(raw));
}

static void b_begin(struct builder *b, const char *name)
{
    b_token(b, TOK_BEGIN_NODE);
    b_bytes(b, name, strlen(name) + 1);
    b_pad(b);
}

static void b_end(struct builder *b)
{
    b_token(b, TOK_END_NODE);
}

static uint32_t b_string(struct builder *b, const char *name)
{
    for (size_t off = 0; off < b->strings_len; off += strlen(b->strings + off) + 1) {
        if (strcmp(b->strings + off, name) == 0) {
            return (uint32_t)off;
        }
    }
    size_t n = strlen(name) + 1;
    if (b->strings_len + n > sizeof(b->strings)) {
        abort();
    }
    memcpy(b->strings + b->strings_len, name, n);
    b->strings_len += n;
    return (uint32_t)(b->strings_len - n);
}

static void b_prop(struct builder *b, const char *name, const void *value, size_t len)
{
    b_token(b, TOK_PROP);
    b_token(b, (uint32_t)len);
    b_token(b, b_string(b, name));
    b_bytes(b, value, len);
    b_pad(b);
}

static void b_prop_str(struct builder *b, const char *name, const char *s)
{
    b_prop(b, name, s, strlen(s) + 1);
}

/* A property of big-endian cells, given as a count and a list. */
static void b_prop_cells(struct builder *b, const char *name, int n, const uint32_t *cells)
{
    uint8_t raw[64];
    if (n * 4 > (int)sizeof(raw)) {
        abort();
    }
    for (int i = 0; i < n; i++) {
        put_be32(raw + 4 * i, cells[i]);
    }
    b_prop(b, name, raw, (size_t)n * 4);
}

static void b_prop_u32(struct builder *b, const char *name, uint32_t v)
{
    b_prop_cells(b, name, 1, &v);
}

/* Layout: header, reservation map, structure block, strings block. Exact-size heap copy. */
static uint8_t *b_finish(const struct builder *b, size_t *size)
{
    size_t rsv_off = FDT_HEADER_SIZE;
    size_t struct_off = rsv_off + (size_t)(b->rsv_count + 1) * RSV_ENTRY;
    size_t strings_off = struct_off + b->struct_len;
    size_t total = strings_off + b->strings_len;
    uint8_t *blob = calloc(1, total);
    if (blob == NULL) {
        abort();
    }
    put_be32(blob, DTB_MAGIC);
    put_be32(blob + HDR_TOTALSIZE, (uint32_t)total);
    put_be32(blob + HDR_OFF_DT_STRUCT, (uint32_t)struct_off);
    put_be32(blob + HDR_OFF_DT_STRINGS, (uint32_t)strings_off);
    put_be32(blob + HDR_OFF_MEM_RSVMAP, (uint32_t)rsv_off);
    put_be32(blob + HDR_VERSION, b->version);
    put_be32(blob + HDR_LAST_COMP, DTB_LAST_COMP);
    put_be32(blob + HDR_SIZE_DT_STRINGS, (uint32_t)b->strings_len);
    put_be32(blob + HDR_SIZE_DT_STRUCT, (uint32_t)b->struct_len);
    for (int i = 0; i < b->rsv_count; i++) {
        put_be64(blob + rsv_off + (size_t)i * RSV_ENTRY, b->rsv[i][0]);
        put_be64(blob + rsv_off + (size_t)i * RSV_ENTRY + 8, b->rsv[i][1]);
    }
    memcpy(blob + struct_off, b->structure, b->struct_len);
    memcpy(blob + strings_off, b->strings, b->strings_len);
    *size = total;
    return blob;
}

/* Root with the given cells (0 = property absent) and one memory node with `reg`. */
static void b_simple_tree(struct builder *b, uint32_t addr_cells, uint32_t size_cells,
                          int reg_cells, const uint32_t *reg)
{
    b_init(b);
    b_begin(b, "");
    if (addr_cells != 0) {
        b_prop_u32(b, "#address-cells", addr_cells);
    }
    if (size_cells != 0) {
        b_prop_u32(b, "#size-cells", size_cells);
    }
    b_begin(b, "memory@0");
    b_prop_str(b, "device_type", "memory");
    b_prop_cells(b, "reg", reg_cells, reg);
    b_end(b);
    b_end(b);
    b_token(b, TOK_END);
}

static int check_built(const struct builder *b)
{
    size_t size;
    uint8_t *blob = b_finish(b, &size);
    int rc = fdt_check(blob, size);
    free(blob);
    return rc;
}

static int memory_of_built(const struct builder *b, struct fdt_region *out, int max)
{
    size_t size;
    uint8_t *blob = b_finish(b, &size);
    int rc = fdt_memory_regions(blob, out, max);
    free(blob);
    return rc;
}

static bool region_is(const struct fdt_region *r, uint64_t base, uint64_t size)
{
    return r->base == base && r->size == size;
}

/* ---- the compiled boards ----------------------------------------------------------------- */

TEST(board_2_2_is_valid)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    CHECK(blob != NULL);
    CHECK_EQ(fdt_check(blob, size), 0);
    CHECK_EQ(fdt_total_size(blob), size);
    CHECK_EQ(fdt_check(blob, size - 1), FDT_ERR_SIZE);
    CHECK_EQ(fdt_check(blob, FDT_HEADER_SIZE - 1), FDT_ERR_TRUNCATED);
    CHECK_EQ(fdt_check(NULL, size), FDT_ERR_ARGS);
    free(blob);
}

TEST(board_2_2_memory)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    struct fdt_region r[MAX_OUT];
    CHECK(blob != NULL);
    /* Skipped: the empty bank, the disabled bank and the "memory" node below /soc. */
    CHECK_EQ(fdt_memory_regions(blob, r, MAX_OUT), 3);
    CHECK(region_is(&r[0], 0x40000000, 0x20000000));
    CHECK(region_is(&r[1], 0x100000000, 0x40000000));
    CHECK(region_is(&r[2], 0x200000000, 0x100000000));
    CHECK_EQ(fdt_memory_regions(blob, r, 3), 3);
    CHECK_EQ(fdt_memory_regions(blob, r, 2), FDT_ERR_NOSPACE);
    CHECK_EQ(fdt_memory_regions(blob, NULL, 0), FDT_ERR_NOSPACE);
    CHECK_EQ(fdt_memory_regions(blob, r, -1), FDT_ERR_ARGS);
    CHECK_EQ(fdt_memory_regions(blob, NULL, 1), FDT_ERR_ARGS);
    CHECK_EQ(fdt_memory_regions(NULL, r, MAX_OUT), FDT_ERR_ARGS);
    free(blob);
}

TEST(board_2_2_devices)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    struct fdt_region r[MAX_OUT];
    CHECK(blob != NULL);
    /* The disabled PL011 comes first in the blob; the enabled one wins. /soc has 1/1 cells. */
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,pl011", r, MAX_OUT), 1);
    CHECK(region_is(&r[0], 0x9000000, 0x1000));
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,primecell", r, MAX_OUT), 1);
    CHECK(region_is(&r[0], 0x9000000, 0x1000));
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,cortex-a15-gic", r, MAX_OUT), 2);
    CHECK(region_is(&r[0], 0x8000000, 0x10000));
    CHECK(region_is(&r[1], 0x8010000, 0x10000));
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,cortex-a15-gic", r, 1), FDT_ERR_NOSPACE);
    /* Whole entries only: no prefixes, no substrings. */
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,pl01", r, MAX_OUT), FDT_ERR_NOTFOUND);
    CHECK_EQ(fdt_find_compatible_reg(blob, "pl011", r, MAX_OUT), FDT_ERR_NOTFOUND);
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,pl011x", r, MAX_OUT), FDT_ERR_NOTFOUND);
    /* Matching nodes without "reg": the root, the bus (ranges only) and a firmware node. */
    CHECK_EQ(fdt_find_compatible_reg(blob, "kairos,test-board", r, MAX_OUT), 0);
    CHECK_EQ(fdt_find_compatible_reg(blob, "simple-bus", r, MAX_OUT), 0);
    CHECK_EQ(fdt_find_compatible_reg(blob, "kairos,no-reg", NULL, 0), 0);
    CHECK_EQ(fdt_find_compatible_reg(blob, "", r, MAX_OUT), FDT_ERR_ARGS);
    CHECK_EQ(fdt_find_compatible_reg(blob, NULL, r, MAX_OUT), FDT_ERR_ARGS);
    free(blob);
}

TEST(board_2_2_reservations)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    struct fdt_region r[MAX_OUT];
    CHECK(blob != NULL);
    CHECK_EQ(fdt_reserved_regions(blob, r, MAX_OUT), 1);
    CHECK(region_is(&r[0], 0x48000000, 0x100000));
    CHECK_EQ(fdt_reserved_regions(blob, r, 0), FDT_ERR_NOSPACE);
    free(blob);
}

TEST(board_1_1)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-1-1.dtb", &size);
    struct fdt_region r[MAX_OUT];
    CHECK(blob != NULL);
    CHECK_EQ(fdt_check(blob, size), 0);
    CHECK_EQ(fdt_memory_regions(blob, r, MAX_OUT), 3);
    CHECK(region_is(&r[0], 0x80000000, 0x10000000));
    CHECK(region_is(&r[1], 0x0, 0x8000000));
    CHECK(region_is(&r[2], 0xfffff000, 0x1000));
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,pl011", r, MAX_OUT), 1);
    CHECK(region_is(&r[0], 0x1c090000, 0x1000));
    CHECK_EQ(fdt_reserved_regions(blob, r, MAX_OUT), 0);
    free(blob);
}

TEST(unaligned_blob)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-1-1.dtb", &size);
    struct fdt_region r[MAX_OUT];
    CHECK(blob != NULL);
    uint8_t *shifted = malloc(size + 1);
    CHECK(shifted != NULL);
    memcpy(shifted + 1, blob, size);
    CHECK_EQ(fdt_check(shifted + 1, size), 0);
    CHECK_EQ(fdt_memory_regions(shifted + 1, r, MAX_OUT), 3);
    CHECK(region_is(&r[2], 0xfffff000, 0x1000));
    free(shifted);
    free(blob);
}

/* ---- header corruption ------------------------------------------------------------------- */

/* fdt_check of the 2/2 board after overwriting one big-endian header word. */
static int check_with_header_word(unsigned off, uint32_t value)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    if (blob == NULL) {
        return 1;   /* not an fdt_error: makes the caller's CHECK_EQ fail */
    }
    put_be32(blob + off, value);
    int rc = fdt_check(blob, size);
    free(blob);
    return rc;
}

TEST(header_corruption)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    CHECK(blob != NULL);
    uint32_t total = (uint32_t)size;
    uint32_t struct_off = get_be32(blob + HDR_OFF_DT_STRUCT);
    uint32_t strings_off = get_be32(blob + HDR_OFF_DT_STRINGS);
    uint32_t strings_size = get_be32(blob + HDR_SIZE_DT_STRINGS);
    free(blob);

    CHECK_EQ(check_with_header_word(0, 0xd00dfeef), FDT_ERR_MAGIC);
    CHECK_EQ(check_with_header_word(0, 0xedfe0dd0), FDT_ERR_MAGIC);  /* little-endian magic */
    CHECK_EQ(check_with_header_word(HDR_TOTALSIZE, total + 1), FDT_ERR_SIZE);
    CHECK_EQ(check_with_header_word(HDR_TOTALSIZE, UINT32_MAX), FDT_ERR_SIZE);
    CHECK_EQ(check_with_header_word(HDR_TOTALSIZE, FDT_HEADER_SIZE - 1), FDT_ERR_SIZE);
    CHECK_EQ(check_with_header_word(HDR_VERSION, 15), FDT_ERR_VERSION);
    CHECK_EQ(check_with_header_word(HDR_LAST_COMP, 18), FDT_ERR_VERSION);
    CHECK_EQ(check_with_header_word(HDR_OFF_DT_STRUCT, total), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_DT_STRUCT, UINT32_MAX - 3), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_DT_STRUCT, struct_off + 2), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_DT_STRUCT, 0), FDT_ERR_LAYOUT);  /* the header */
    CHECK_EQ(check_with_header_word(HDR_SIZE_DT_STRUCT, total), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_SIZE_DT_STRUCT, UINT32_MAX), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_DT_STRINGS, total - strings_size + 1),
             FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_DT_STRINGS, UINT32_MAX), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_SIZE_DT_STRINGS, total - strings_off + 1),
             FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_MEM_RSVMAP, total - RSV_ENTRY / 2), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_MEM_RSVMAP, UINT32_MAX), FDT_ERR_LAYOUT);
    CHECK_EQ(check_with_header_word(HDR_OFF_MEM_RSVMAP, 8), FDT_ERR_LAYOUT);
    /* Reservation map starting inside the strings block: names, never a (0, 0) terminator. */
    CHECK_EQ(check_with_header_word(HDR_OFF_MEM_RSVMAP, total - RSV_ENTRY), FDT_ERR_LAYOUT);
}

TEST(queries_reject_corrupt_blobs)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    struct fdt_region r[MAX_OUT];
    CHECK(blob != NULL);
    put_be32(blob + HDR_SIZE_DT_STRUCT, get_be32(blob + HDR_SIZE_DT_STRUCT) - 4);
    CHECK_EQ(fdt_memory_regions(blob, r, MAX_OUT), FDT_ERR_STRUCTURE);
    CHECK_EQ(fdt_find_compatible_reg(blob, "arm,pl011", r, MAX_OUT), FDT_ERR_STRUCTURE);
    CHECK_EQ(fdt_reserved_regions(blob, r, MAX_OUT), FDT_ERR_STRUCTURE);
    blob[0] = 0;
    CHECK_EQ(fdt_memory_regions(blob, r, MAX_OUT), FDT_ERR_MAGIC);
    free(blob);
}

TEST(truncated_struct_block)
{
    size_t size;
    uint8_t *blob = load_dtb("board-cells-2-2.dtb", &size);
    CHECK(blob != NULL);
    uint32_t struct_size = get_be32(blob + HDR_SIZE_DT_STRUCT);
    /* Every shorter structure block is missing at least its END token. */
    for (uint32_t cut = 0; cut < struct_size; cut++) {
        put_be32(blob + HDR_SIZE_DT_STRUCT, cut);
        int rc = fdt_check(blob, size);
        CHECK_EQ(rc, FDT_ERR_STRUCTURE);
    }
    put_be32(blob + HDR_SIZE_DT_STRUCT, struct_size);
    CHECK_EQ(fdt_check(blob, size), 0);
    free(blob);
}

TEST(version_16_without_struct_size)
{
    struct builder b;
    size_t size;
    struct fdt_region r[MAX_OUT];
    static const uint32_t reg[] = {0x0, 0x40000000, 0x0, 0x1000000};
    b_simple_tree(&b, 2, 2, 4, reg);
    b.version = 16;
    uint8_t *blob = b_finish(&b, &size);
    put_be32(blob + HDR_SIZE_DT_STRUCT, 0xdeadbeef);   /* not a field in version 16 */
    CHECK_EQ(fdt_check(blob, size), 0);
    CHECK_EQ(fdt_memory_regions(blob, r, MAX_OUT), 1);
    CHECK(region_is(&r[0], 0x40000000, 0x1000000));
    free(blob);
}

/* ---- structure-block malformations -------------------------------------------------------- */

TEST(builder_baseline_is_valid)
{
    /* The constructions below differ from this one by a single defect. */
    struct builder b;
    struct fdt_region r[MAX_OUT];
    static const uint32_t reg[] = {0x0, 0x40000000, 0x0, 0x1000000};
    b_simple_tree(&b, 2, 2, 4, reg);
    CHECK_EQ(check_built(&b), 0);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), 1);
}

TEST(unterminated_strings)
{
    struct builder b;
    size_t size;
    static const uint32_t reg[] = {0x0, 0x40000000, 0x0, 0x1000000};
    b_simple_tree(&b, 2, 2, 4, reg);
    uint8_t *blob = b_finish(&b, &size);
    /* Drop the NUL of the last property name ("reg") from the strings block. */
    put_be32(blob + HDR_SIZE_DT_STRINGS, (uint32_t)b.strings_len - 1);
    CHECK_EQ(fdt_check(blob, size), FDT_ERR_STRING);
    free(blob);

    /* A name offset at or past the end of the strings block. */
    b_init(&b);
    b_begin(&b, "");
    b_prop_u32(&b, "#address-cells", 2);
    b_end(&b);
    b_token(&b, TOK_END);
    blob = b_finish(&b, &size);
    uint32_t nameoff_at = get_be32(blob + HDR_OFF_DT_STRUCT) + 4 + 4 + 4 + 4;
    put_be32(blob + nameoff_at, (uint32_t)b.strings_len);
    CHECK_EQ(fdt_check(blob, size), FDT_ERR_STRING);
    put_be32(blob + nameoff_at, UINT32_MAX);
    CHECK_EQ(fdt_check(blob, size), FDT_ERR_STRING);
    free(blob);
}

TEST(unterminated_node_name)
{
    struct builder b;
    b_init(&b);
    b_token(&b, TOK_BEGIN_NODE);
    b_bytes(&b, "abcd", 4);  /* no NUL before the block ends */
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);
}

TEST(nesting_depth_limit)
{
    struct builder b;
    /* FDT_MAX_DEPTH levels of nodes (root included) are fine; one more is refused. */
    for (int levels = FDT_MAX_DEPTH; levels <= FDT_MAX_DEPTH + 1; levels++) {
        b_init(&b);
        for (int i = 0; i < levels; i++) {
            b_begin(&b, i == 0 ? "" : "n");
        }
        for (int i = 0; i < levels; i++) {
            b_end(&b);
        }
        b_token(&b, TOK_END);
        CHECK_EQ(check_built(&b), levels <= FDT_MAX_DEPTH ? 0 : FDT_ERR_DEPTH);
    }
    /* Hostile nesting far beyond the limit, never closed. */
    b_init(&b);
    for (int i = 0; i < 1000; i++) {
        b_begin(&b, "n");
    }
    CHECK_EQ(check_built(&b), FDT_ERR_DEPTH);
}

TEST(token_sequence_errors)
{
    struct builder b;

    /* No root at all. */
    b_init(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);

    /* END while a node is open. */
    b_init(&b);
    b_begin(&b, "");
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);

    /* END_NODE with nothing open. */
    b_init(&b);
    b_begin(&b, "");
    b_end(&b);
    b_end(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);

    /* Two roots. */
    b_init(&b);
    b_begin(&b, "");
    b_end(&b);
    b_begin(&b, "");
    b_end(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);

    /* A property outside any node. */
    b_init(&b);
    b_prop_u32(&b, "#address-cells", 2);
    b_begin(&b, "");
    b_end(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);

    /* A property after a child node. */
    b_init(&b);
    b_begin(&b, "");
    b_begin(&b, "child");
    b_end(&b);
    b_prop_u32(&b, "#address-cells", 2);
    b_end(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);

    /* An unknown token. */
    b_init(&b);
    b_begin(&b, "");
    b_token(&b, 5);
    b_end(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_STRUCTURE);

    /* NOPs anywhere are fine. */
    b_init(&b);
    b_token(&b, TOK_NOP);
    b_begin(&b, "");
    b_token(&b, TOK_NOP);
    b_end(&b);
    b_token(&b, TOK_NOP);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), 0);
}

TEST(property_value_past_block)
{
    struct builder b;
    size_t size;
    b_init(&b);
    b_begin(&b, "");
    b_prop_u32(&b, "#address-cells", 2);
    b_end(&b);
    b_token(&b, TOK_END);
    uint8_t *blob = b_finish(&b, &size);
    uint32_t len_at = get_be32(blob + HDR_OFF_DT_STRUCT) + 4 + 4 + 4;
    static const uint32_t lengths[] = {4 + 4 + 4 + 1, UINT32_MAX, UINT32_MAX - 3, 0x80000000};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        put_be32(blob + len_at, lengths[i]);
        CHECK_EQ(fdt_check(blob, size), FDT_ERR_STRUCTURE);
    }
    free(blob);
}

/* ---- property decoding ------------------------------------------------------------------- */

TEST(default_cells)
{
    /* No #address-cells/#size-cells at the root: 2 and 1. */
    struct builder b;
    struct fdt_region r[MAX_OUT];
    static const uint32_t reg[] = {0x1, 0x40000000, 0x10000000, 0x0, 0x1000, 0x2000};
    b_simple_tree(&b, 0, 0, 6, reg);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), 2);
    CHECK(region_is(&r[0], 0x140000000, 0x10000000));
    CHECK(region_is(&r[1], 0x1000, 0x2000));
}

TEST(bad_cells)
{
    struct builder b;
    struct fdt_region r[MAX_OUT];
    static const uint32_t reg[] = {0, 0, 0, 0, 0, 0, 0, 0};
    /* Well-formed but unusable counts only fail the query that needs them. */
    b_simple_tree(&b, 3, 2, 5, reg);
    CHECK_EQ(check_built(&b), 0);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), FDT_ERR_CELLS);
    b_simple_tree(&b, 2, 3, 5, reg);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), FDT_ERR_CELLS);
    b_simple_tree(&b, 0xffffffff, 2, 4, reg);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), FDT_ERR_CELLS);

    /* #address-cells 0 cannot address anything. */
    b_init(&b);
    b_begin(&b, "");
    b_prop_u32(&b, "#address-cells", 0);
    b_begin(&b, "memory");
    b_prop_cells(&b, "reg", 1, reg);
    b_end(&b);
    b_end(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), FDT_ERR_CELLS);

    /* #address-cells must be exactly one cell. */
    b_init(&b);
    b_begin(&b, "");
    b_prop_cells(&b, "#address-cells", 2, reg);
    b_end(&b);
    b_token(&b, TOK_END);
    CHECK_EQ(check_built(&b), FDT_ERR_BADPROP);
}

TEST(bad_reg)
{
    struct builder b;
    struct fdt_region r[MAX_OUT];
    /* Not a whole number of (address, size) entries. */
    static const uint32_t ragged[] = {0x0, 0x40000000, 0x0, 0x1000, 0x0};
    b_simple_tree(&b, 2, 2, 5, ragged);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), FDT_ERR_BADPROP);
    /* A range that wraps past 2^64, and one that ends exactly at it. */
    static const uint32_t wraps[] = {0xffffffff, 0xfffff000, 0x0, 0x1000};
    b_simple_tree(&b, 2, 2, 4, wraps);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), FDT_ERR_BADPROP);
    static const uint32_t fits[] = {0xffffffff, 0xffffe000, 0x0, 0x1000};
    b_simple_tree(&b, 2, 2, 4, fits);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), 1);
    CHECK(region_is(&r[0], 0xffffffffffffe000, 0x1000));
    /* An empty reg is no region, not an error. */
    b_simple_tree(&b, 2, 2, 0, fits);
    CHECK_EQ(memory_of_built(&b, r, MAX_OUT), 0);
}

/* A root with one child named `name` carrying the given device_type/status (NULL = absent). */
static int memory_count_for(const char *name, const void *dtype, size_t dtype_len,
                            const char *status)
{
    struct builder b;
    struct fdt_region r[MAX_OUT];
    static const uint32_t reg[] = {0x80000000, 0x1000};
    b_init(&b);
    b_begin(&b, "");
    b_prop_u32(&b, "#address-cells", 1);
    b_prop_u32(&b, "#size-cells", 1);
    b_begin(&b, name);
    if (dtype != NULL) {
        b_prop(&b, "device_type", dtype, dtype_len);
    }
    if (status != NULL) {
        b_prop_str(&b, "status", status);
    }
    b_prop_cells(&b, "reg", 2, reg);
    b_end(&b);
    b_end(&b);
    b_token(&b, TOK_END);
    return memory_of_built(&b, r, MAX_OUT);
}

TEST(which_nodes_are_memory)
{
    CHECK_EQ(memory_count_for("memory", NULL, 0, NULL), 1);
    CHECK_EQ(memory_count_for("memory@80000000", NULL, 0, NULL), 1);
    CHECK_EQ(memory_count_for("dram", "memory", 7, NULL), 1);
    CHECK_EQ(memory_count_for("memory", NULL, 0, "okay"), 1);
    CHECK_EQ(memory_count_for("memory", NULL, 0, "ok"), 1);
    CHECK_EQ(memory_count_for("memory", NULL, 0, "disabled"), 0);
    CHECK_EQ(memory_count_for("memory", NULL, 0, "okayish"), 0);
    CHECK_EQ(memory_count_for("memoryx", NULL, 0, NULL), 0);
    CHECK_EQ(memory_count_for("memor", NULL, 0, NULL), 0);
    CHECK_EQ(memory_count_for("mem", NULL, 0, NULL), 0);
    CHECK_EQ(memory_count_for("", NULL, 0, NULL), 0);
    CHECK_EQ(memory_count_for("dram", "memory", 6, NULL), 0);      /* no NUL */
    CHECK_EQ(memory_count_for("dram", "memory\0x", 9, NULL), 0);   /* trailing junk */
    CHECK_EQ(memory_count_for("dram", "cpu", 4, NULL), 0);
}

TEST(compatible_list_edges)
{
    struct builder b;
    size_t size;
    struct fdt_region r[MAX_OUT];
    static const uint32_t reg[] = {0x9000000, 0x1000};
    b_init(&b);
    b_begin(&b, "");
    b_prop_u32(&b, "#address-cells", 1);
    b_prop_u32(&b, "#size-cells", 1);
    b_begin(&b, "a");
    b_prop(&b, "compatible", "vendor,unterminated", 19);   /* no NUL: never matches */
    b_prop_cells(&b, "reg", 2, reg);
    b_end(&b);
    b_begin(&b, "b");
    b_prop(&b, "compatible", "\0\0x,y\0", 6);              /* empty entries, then x,y */
    b_prop_cells(&b, "reg", 2, reg);
    b_end(&b);
    b_end(&b);
    b_token(&b, TOK_END);
    uint8_t *blob = b_finish(&b, &size);
    CHECK_EQ(fdt_find_compatible_reg(blob, "vendor,unterminated", r, MAX_OUT), FDT_ERR_NOTFOUND);
    CHECK_EQ(fdt_find_compatible_reg(blob, "x,y", r, MAX_OUT), 1);
    CHECK_EQ(fdt_find_compatible_reg(blob, "x", r, MAX_OUT), FDT_ERR_NOTFOUND);
    free(blob);
}

TEST(reservation_map)
{
    struct builder b;
    size_t size;
    struct fdt_region r[MAX_OUT];
    static const uint32_t reg[] = {0x0, 0x40000000, 0x0, 0x1000000};
    b_simple_tree(&b, 2, 2, 4, reg);
    b.rsv[0][0] = 0x1000;
    b.rsv[0][1] = 0x2000;
    b.rsv[1][0] = 0x5000;        /* size 0: skipped, but not a terminator */
    b.rsv[1][1] = 0;
    b.rsv[2][0] = 0xffffffff00000000;
    b.rsv[2][1] = 0x100000000 - 1;
    b.rsv_count = 3;
    uint8_t *blob = b_finish(&b, &size);
    CHECK_EQ(fdt_reserved_regions(blob, r, MAX_OUT), 2);
    CHECK(region_is(&r[0], 0x1000, 0x2000));
    CHECK(region_is(&r[1], 0xffffffff00000000, 0xffffffff));
    CHECK_EQ(fdt_reserved_regions(blob, r, 1), FDT_ERR_NOSPACE);
    free(blob);

    b.rsv[2][1] = 0x100000001;   /* wraps past 2^64 */
    blob = b_finish(&b, &size);
    CHECK_EQ(fdt_reserved_regions(blob, r, MAX_OUT), FDT_ERR_BADPROP);
    free(blob);
}

/* ---- robustness: every byte, every length ------------------------------------------------- */

static void run_all_queries(const uint8_t *blob, size_t size)
{
    struct fdt_region r[MAX_OUT];
    if (fdt_check(blob, size) != 0) {
        return;     /* queries require a checked blob */
    }
    int n = fdt_memory_regions(blob, r, MAX_OUT);
    CHECK_LE(n < 0 ? 0 : n, MAX_OUT);
    n = fdt_find_compatible_reg(blob, "arm,pl011", r, MAX_OUT);
    CHECK_LE(n < 0 ? 0 : n, MAX_OUT);
    n = fdt_reserved_regions(blob, r, MAX_OUT);
    CHECK_LE(n < 0 ? 0 : n, MAX_OUT);
}

TEST(byte_mutations_stay_in_bounds)
{
    static const uint8_t values[] = {0x00, 0x01, 0x02, 0x03, 0x09, 0x7f, 0x80, 0xff};
    size_t size;
    uint8_t *orig = load_dtb("board-cells-2-2.dtb", &size);
    CHECK(orig != NULL);
    for (size_t pos = 0; pos < size; pos++) {
        for (size_t v = 0; v < sizeof(values); v++) {
            uint8_t *blob = dup_exact(orig, size);
            blob[pos] = values[v];
            run_all_queries(blob, size);
            free(blob);
        }
    }
    free(orig);
}

TEST(truncations_stay_in_bounds)
{
    size_t size;
    uint8_t *orig = load_dtb("board-cells-2-2.dtb", &size);
    CHECK(orig != NULL);
    for (size_t len = 0; len < size; len++) {
        uint8_t *blob = dup_exact(orig, len);
        int rc = fdt_check(blob, len);
        free(blob);
        CHECK(rc == FDT_ERR_TRUNCATED || rc == FDT_ERR_SIZE);
    }
    free(orig);
}

TEST(error_names)
{
    for (int err = FDT_ERR_MIN; err <= 0; err++) {
        CHECK(fdt_error_name(err) != NULL);
        CHECK(strcmp(fdt_error_name(err), "unknown FDT error") != 0);
        for (int other = FDT_ERR_MIN; other < err; other++) {
            CHECK(strcmp(fdt_error_name(err), fdt_error_name(other)) != 0);
        }
    }
    CHECK_STR_EQ(fdt_error_name(FDT_ERR_DEPTH), "nodes nested too deep");
    CHECK_STR_EQ(fdt_error_name(FDT_ERR_MIN - 1), "unknown FDT error");
    CHECK_STR_EQ(fdt_error_name(1), "unknown FDT error");
    /* Negating the most negative int would overflow: the bound is checked without it. */
    CHECK_STR_EQ(fdt_error_name(INT_MIN), "unknown FDT error");
}
