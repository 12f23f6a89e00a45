/* Unit tests for arch/aarch64/loader/payload.c: a well-formed payload, then one defect at a time
 * in the header or an entry, hostile offsets and sizes, and byte mutations under ASan. */
#define CHECK_SUITE "payload"
#include "check.h"

#include <stdint.h>

#include "arch/aarch64/loader/payload.h"

/* Reference payload: kernel in page 1, a user image spanning pages 2-3, the DTB in page 4. */
#define KERNEL_OFF   (1 * PAYLOAD_ALIGN)
#define KERNEL_SIZE  100u
#define USER_OFF     (2 * PAYLOAD_ALIGN)
#define USER_SIZE    (PAYLOAD_ALIGN + 904u)
#define DTB_OFF      (4 * PAYLOAD_ALIGN)
#define DTB_SIZE     64u
#define TOTAL        (DTB_OFF + DTB_SIZE)

static struct payload_header reference_header(void)
{
    struct payload_header h;
    memset(&h, 0, sizeof(h));
    h.magic = PAYLOAD_MAGIC;
    h.version = PAYLOAD_VERSION;
    h.count = 3;
    h.entries[0] = (struct payload_entry){PAYLOAD_KERNEL, 0, KERNEL_OFF, KERNEL_SIZE};
    h.entries[1] = (struct payload_entry){PAYLOAD_USER, 0, USER_OFF, USER_SIZE};
    h.entries[2] = (struct payload_entry){PAYLOAD_DTB, 0, DTB_OFF, DTB_SIZE};
    return h;
}

/* An exactly sized heap payload holding `h` and recognisable blob bytes. */
static uint8_t *build(const struct payload_header *h, size_t total)
{
    uint8_t *p = malloc(total);
    if (p == NULL) {
        abort();
    }
    for (size_t i = 0; i < total; i++) {
        p[i] = (uint8_t)(i / PAYLOAD_ALIGN);
    }
    payload_encode_header(h, p);
    return p;
}

static int check_header(const struct payload_header *h, size_t total)
{
    uint8_t *p = build(h, total);
    int rc = payload_check(p, total);
    free(p);
    return rc;
}

static int find_in(const struct payload_header *h, size_t total, uint32_t kind)
{
    const void *blob;
    uint64_t size;
    uint8_t *p = build(h, total);
    int rc = payload_find(p, total, kind, &blob, &size);
    free(p);
    return rc;
}

TEST(finds_each_kind)
{
    struct payload_header h = reference_header();
    uint8_t *p = build(&h, TOTAL);
    const void *blob;
    uint64_t size;

    CHECK_EQ(payload_check(p, TOTAL), 0);
    CHECK_EQ(payload_find(p, TOTAL, PAYLOAD_KERNEL, &blob, &size), 0);
    CHECK_PTR_EQ(blob, p + KERNEL_OFF);
    CHECK_EQ(size, KERNEL_SIZE);
    CHECK_EQ(payload_find(p, TOTAL, PAYLOAD_USER, &blob, &size), 0);
    CHECK_PTR_EQ(blob, p + USER_OFF);
    CHECK_EQ(size, USER_SIZE);
    CHECK_EQ(payload_find(p, TOTAL, PAYLOAD_DTB, &blob, &size), 0);
    CHECK_PTR_EQ(blob, p + DTB_OFF);
    CHECK_EQ(size, DTB_SIZE);
    CHECK_EQ(((const uint8_t *)blob)[DTB_SIZE - 1], DTB_OFF / PAYLOAD_ALIGN);
    free(p);
}

TEST(on_disk_layout)
{
    /* "KAIROSPL" in the first eight bytes, and on this little-endian host the encoding equals
     * the C struct's memory image. */
    struct payload_header h = reference_header();
    uint8_t raw[PAYLOAD_HEADER_BYTES];
    payload_encode_header(&h, raw);
    CHECK(memcmp(raw, "KAIROSPL", 8) == 0);
    CHECK(memcmp(raw, &h, sizeof(h)) == 0);
    CHECK_EQ(raw[PAYLOAD_HDR_VERSION], PAYLOAD_VERSION);
    CHECK_EQ(raw[PAYLOAD_HDR_ENTRIES + PAYLOAD_ENTRY_BYTES + PAYLOAD_ENTRY_KIND], PAYLOAD_USER);
}

TEST(missing_kinds)
{
    struct payload_header h = reference_header();
    h.count = 2;    /* no DTB; the stale third entry is ignored */
    CHECK_EQ(check_header(&h, TOTAL), 0);
    CHECK_EQ(find_in(&h, TOTAL, PAYLOAD_DTB), PAYLOAD_ERR_NOTFOUND);
    CHECK_EQ(find_in(&h, TOTAL, PAYLOAD_USER), 0);
    h.count = 0;
    CHECK_EQ(check_header(&h, TOTAL), 0);
    CHECK_EQ(find_in(&h, TOTAL, PAYLOAD_KERNEL), PAYLOAD_ERR_NOTFOUND);
    h = reference_header();
    CHECK_EQ(find_in(&h, TOTAL, 0), PAYLOAD_ERR_NOTFOUND);
    CHECK_EQ(find_in(&h, TOTAL, 99), PAYLOAD_ERR_NOTFOUND);
}

TEST(entries_past_count_are_ignored)
{
    struct payload_header h = reference_header();
    h.count = 1;
    h.entries[1] = (struct payload_entry){0xdead, 0xbeef, 1, UINT64_MAX};
    h.entries[3] = (struct payload_entry){PAYLOAD_KERNEL, 7, 3, 0};
    CHECK_EQ(find_in(&h, TOTAL, PAYLOAD_KERNEL), 0);
}

TEST(header_errors)
{
    struct payload_header h = reference_header();
    uint8_t *p = build(&h, TOTAL);
    const void *blob;
    uint64_t size;
    CHECK_EQ(payload_find(NULL, TOTAL, PAYLOAD_KERNEL, &blob, &size), PAYLOAD_ERR_ARGS);
    CHECK_EQ(payload_find(p, TOTAL, PAYLOAD_KERNEL, NULL, &size), PAYLOAD_ERR_ARGS);
    CHECK_EQ(payload_find(p, TOTAL, PAYLOAD_KERNEL, &blob, NULL), PAYLOAD_ERR_ARGS);
    CHECK_EQ(payload_check(NULL, TOTAL), PAYLOAD_ERR_ARGS);
    CHECK_EQ(payload_check(p, 0), PAYLOAD_ERR_TRUNCATED);
    CHECK_EQ(payload_check(p, PAYLOAD_HEADER_BYTES - 1), PAYLOAD_ERR_TRUNCATED);
    free(p);

    h.magic ^= 1;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_MAGIC);
    h = reference_header();
    h.version = 0;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_VERSION);
    h.version = PAYLOAD_VERSION + 1;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_VERSION);
    h = reference_header();
    h.count = PAYLOAD_MAX_ENTRIES + 1;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_COUNT);
    h.count = UINT32_MAX;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_COUNT);
}

TEST(kind_and_reserved)
{
    static const uint32_t bad_kinds[] = {0, 4, 0x100, UINT32_MAX};
    for (size_t i = 0; i < sizeof(bad_kinds) / sizeof(bad_kinds[0]); i++) {
        struct payload_header h = reference_header();
        h.entries[1].kind = bad_kinds[i];
        CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_KIND);
    }
    struct payload_header h = reference_header();
    h.entries[2].reserved = 1;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_KIND);
    h = reference_header();
    h.entries[2].kind = PAYLOAD_KERNEL;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_DUPLICATE);
}

/* The reference payload with entry `i`'s offset and size replaced. */
static int check_entry_range(unsigned i, uint64_t offset, uint64_t size)
{
    struct payload_header h = reference_header();
    h.entries[i].offset = offset;
    h.entries[i].size = size;
    return check_header(&h, TOTAL);
}

TEST(hostile_offsets_and_sizes)
{
    CHECK_EQ(check_entry_range(2, DTB_OFF + 1, DTB_SIZE), PAYLOAD_ERR_ALIGN);
    CHECK_EQ(check_entry_range(2, DTB_OFF + PAYLOAD_ALIGN / 2, 1), PAYLOAD_ERR_ALIGN);
    CHECK_EQ(check_entry_range(0, 0, KERNEL_SIZE), PAYLOAD_ERR_BOUNDS);   /* the header */
    CHECK_EQ(check_entry_range(2, DTB_OFF, 0), PAYLOAD_ERR_EMPTY);
    /* Exactly up to the end is fine, a byte more is not. */
    CHECK_EQ(check_entry_range(2, DTB_OFF, DTB_SIZE), 0);
    CHECK_EQ(check_entry_range(2, DTB_OFF, DTB_SIZE + 1), PAYLOAD_ERR_BOUNDS);
    CHECK_EQ(check_entry_range(2, 5 * PAYLOAD_ALIGN, 1), PAYLOAD_ERR_BOUNDS);
    CHECK_EQ(check_entry_range(2, DTB_OFF, UINT64_MAX), PAYLOAD_ERR_BOUNDS);
    /* Offsets whose sum with the size wraps to something small. */
    CHECK_EQ(check_entry_range(2, UINT64_MAX - PAYLOAD_ALIGN + 1, 2 * PAYLOAD_ALIGN),
             PAYLOAD_ERR_BOUNDS);
    CHECK_EQ(check_entry_range(2, 0x8000000000000000ull, 0x8000000000000000ull),
             PAYLOAD_ERR_BOUNDS);

    /* A shorter payload than the header claims. */
    struct payload_header h = reference_header();
    CHECK_EQ(check_header(&h, TOTAL - 1), PAYLOAD_ERR_BOUNDS);
}

TEST(overlapping_blobs)
{
    /* The kernel grows into the user image's first page; then both start at one offset. */
    CHECK_EQ(check_entry_range(0, KERNEL_OFF, PAYLOAD_ALIGN + 1), PAYLOAD_ERR_OVERLAP);
    CHECK_EQ(check_entry_range(0, KERNEL_OFF, PAYLOAD_ALIGN), 0);   /* adjacent */
    CHECK_EQ(check_entry_range(1, KERNEL_OFF, USER_SIZE), PAYLOAD_ERR_OVERLAP);
    /* The user image wholly inside the kernel. */
    struct payload_header h = reference_header();
    h.entries[0].size = 3 * PAYLOAD_ALIGN;
    h.entries[1].size = 10;
    CHECK_EQ(check_header(&h, TOTAL), PAYLOAD_ERR_OVERLAP);
}

TEST(bad_entry_fails_every_lookup)
{
    /* A loader must not take the kernel from a payload whose DTB entry is hostile. */
    struct payload_header h = reference_header();
    h.entries[2].size = UINT64_MAX;
    CHECK_EQ(find_in(&h, TOTAL, PAYLOAD_KERNEL), PAYLOAD_ERR_BOUNDS);
}

TEST(unaligned_base)
{
    struct payload_header h = reference_header();
    uint8_t *p = build(&h, TOTAL);
    uint8_t *shifted = malloc(TOTAL + 1);
    const void *blob;
    uint64_t size;
    CHECK(shifted != NULL);
    memcpy(shifted + 1, p, TOTAL);
    CHECK_EQ(payload_find(shifted + 1, TOTAL, PAYLOAD_USER, &blob, &size), 0);
    CHECK_PTR_EQ(blob, shifted + 1 + USER_OFF);
    CHECK_EQ(size, USER_SIZE);
    free(shifted);
    free(p);
}

TEST(byte_mutations_stay_in_bounds)
{
    static const uint8_t values[] = {0x00, 0x01, 0x10, 0x7f, 0x80, 0xff};
    struct payload_header h = reference_header();
    uint8_t *orig = build(&h, TOTAL);
    for (size_t pos = 0; pos < PAYLOAD_HEADER_BYTES; pos++) {
        for (size_t v = 0; v < sizeof(values); v++) {
            uint8_t *p = malloc(TOTAL);
            CHECK(p != NULL);
            memcpy(p, orig, TOTAL);
            p[pos] = values[v];
            for (uint32_t kind = PAYLOAD_KERNEL; kind <= PAYLOAD_DTB; kind++) {
                const void *blob;
                uint64_t size;
                if (payload_find(p, TOTAL, kind, &blob, &size) == 0) {
                    const uint8_t *b = blob;
                    CHECK(b >= p + PAYLOAD_HEADER_BYTES && b <= p + TOTAL);
                    CHECK_LE(size, (uint64_t)(p + TOTAL - b));
                    CHECK_EQ(b[0] + b[size - 1] < 512, 1);  /* ASan checks both ends */
                }
            }
            free(p);
        }
    }
    free(orig);
}

TEST(error_names)
{
    for (int err = PAYLOAD_ERR_MIN; err <= 0; err++) {
        CHECK(payload_error_name(err) != NULL);
        CHECK(strcmp(payload_error_name(err), "unknown payload error") != 0);
        for (int other = PAYLOAD_ERR_MIN; other < err; other++) {
            CHECK(strcmp(payload_error_name(err), payload_error_name(other)) != 0);
        }
    }
    CHECK_STR_EQ(payload_error_name(PAYLOAD_ERR_OVERLAP), "overlapping blobs");
    CHECK_STR_EQ(payload_error_name(PAYLOAD_ERR_MIN - 1), "unknown payload error");
}
