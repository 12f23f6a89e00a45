/* Unit tests for arch/aarch64/loader/elf.c: hand-built ELF images with one defect each, byte
 * mutations and truncations under AddressSanitizer, and a real AArch64 executable. */
#define CHECK_SUITE "elf"
#include "check.h"

#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/loader/elf.h"

/*
 * The reference image: header, three program headers (code, data+bss, and a PT_NOTE with an
 * absurd address that must not count), code at 0x1000 and data at 0x2000 in the file.
 */
#define IMG_SIZE        0x3000u
#define IMG_PHNUM       3u
#define PT_NOTE         4u
#define CODE_OFFSET     0x1000u
#define CODE_VADDR      0x400000ull
#define CODE_PADDR      0x80000000ull
#define CODE_SIZE       0x800u
#define DATA_OFFSET     0x2000u
#define DATA_VADDR      0x410000ull
#define DATA_PADDR      0x80010000ull
#define DATA_FILESZ     0x100u
#define DATA_MEMSZ      0x5000u
#define PAGE            0x1000u
#define ENTRY           (CODE_VADDR + 0x10)
#define NOTE_VADDR      0xffff000000000000ull
#define EM_X86_64       62
#define ET_DYN          3
#define ET_REL          1
#define ELFCLASS32      1
#define ELFDATA2MSB     2

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint8_t *phdr_at(uint8_t *img, unsigned i)
{
    return img + ELF_EHDR_SIZE + i * ELF_PHDR_SIZE;
}

struct phdr_fields {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static void put_phdr(uint8_t *img, unsigned i, const struct phdr_fields *f)
{
    uint8_t *ph = phdr_at(img, i);
    put_le(ph + ELF_PHDR_TYPE, f->type, 4);
    put_le(ph + ELF_PHDR_FLAGS, f->flags, 4);
    put_le(ph + ELF_PHDR_OFFSET, f->offset, 8);
    put_le(ph + ELF_PHDR_VADDR, f->vaddr, 8);
    put_le(ph + ELF_PHDR_PADDR, f->paddr, 8);
    put_le(ph + ELF_PHDR_FILESZ, f->filesz, 8);
    put_le(ph + ELF_PHDR_MEMSZ, f->memsz, 8);
    put_le(ph + ELF_PHDR_ALIGN, f->align, 8);
}

/* A fresh, exactly sized heap copy of the reference image, so ASan sees any overread. */
static uint8_t *make_image(void)
{
    uint8_t *img = calloc(1, IMG_SIZE);
    if (img == NULL) {
        abort();
    }
    img[0] = ELF_MAGIC0;
    img[1] = ELF_MAGIC1;
    img[2] = ELF_MAGIC2;
    img[3] = ELF_MAGIC3;
    img[ELF_IDENT_CLASS] = ELF_CLASS64;
    img[ELF_IDENT_DATA] = ELF_DATA_LSB;
    img[ELF_IDENT_VERSION] = ELF_VERSION_CURRENT;
    put_le(img + ELF_EHDR_TYPE, ELF_TYPE_EXEC, 2);
    put_le(img + ELF_EHDR_MACHINE, ELF_MACHINE_AARCH64, 2);
    put_le(img + ELF_EHDR_VERSION, ELF_VERSION_CURRENT, 4);
    put_le(img + ELF_EHDR_ENTRY, ENTRY, 8);
    put_le(img + ELF_EHDR_PHOFF, ELF_EHDR_SIZE, 8);
    put_le(img + ELF_EHDR_PHENTSIZE, ELF_PHDR_SIZE, 2);
    put_le(img + ELF_EHDR_PHNUM, IMG_PHNUM, 2);

    struct phdr_fields code = {ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, CODE_OFFSET, CODE_VADDR,
                               CODE_PADDR, CODE_SIZE, CODE_SIZE, PAGE};
    struct phdr_fields data = {ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, DATA_OFFSET, DATA_VADDR,
                               DATA_PADDR, DATA_FILESZ, DATA_MEMSZ, PAGE};
    struct phdr_fields note = {PT_NOTE, ELF_PF_R, 0, NOTE_VADDR, NOTE_VADDR, 0, 0x100, 4};
    put_phdr(img, 0, &code);
    put_phdr(img, 1, &data);
    put_phdr(img, 2, &note);
    for (unsigned i = 0; i < CODE_SIZE; i++) {
        img[CODE_OFFSET + i] = (uint8_t)i;
    }
    return img;
}

static enum elf_status open_image(const uint8_t *img, size_t size)
{
    struct elf_image e;
    return elf_open(&e, img, size);
}

/* Open the reference image after overwriting one program-header field of segment `i`. */
static enum elf_status open_with_phdr_field(unsigned i, unsigned field, uint64_t value)
{
    uint8_t *img = make_image();
    put_le(phdr_at(img, i) + field, value, field == ELF_PHDR_TYPE || field == ELF_PHDR_FLAGS
                                               ? 4 : 8);
    enum elf_status st = open_image(img, IMG_SIZE);
    free(img);
    return st;
}

static enum elf_status open_with_header_field(unsigned off, uint64_t value, unsigned bytes)
{
    uint8_t *img = make_image();
    put_le(img + off, value, bytes);
    enum elf_status st = open_image(img, IMG_SIZE);
    free(img);
    return st;
}

TEST(reference_image_opens)
{
    uint8_t *img = make_image();
    struct elf_image e;
    struct elf_segment s;
    uint64_t lo, hi;

    CHECK_EQ(elf_open(&e, img, IMG_SIZE), ELF_OK);
    CHECK_EQ(e.entry, ENTRY);
    CHECK_EQ(e.phnum, IMG_PHNUM);
    CHECK_EQ(elf_load_segment_count(&e), 2);

    CHECK(elf_load_segment(&e, 0, &s));
    CHECK_EQ(s.vaddr, CODE_VADDR);
    CHECK_EQ(s.paddr, CODE_PADDR);
    CHECK_EQ(s.file_offset, CODE_OFFSET);
    CHECK_EQ(s.file_size, CODE_SIZE);
    CHECK_EQ(s.mem_size, CODE_SIZE);
    CHECK_EQ(s.align, PAGE);
    CHECK_EQ(s.flags, ELF_PF_R | ELF_PF_X);
    CHECK_PTR_EQ(elf_segment_bytes(&e, &s), img + CODE_OFFSET);

    CHECK(elf_load_segment(&e, 1, &s));
    CHECK_EQ(s.vaddr, DATA_VADDR);
    CHECK_EQ(s.file_size, DATA_FILESZ);
    CHECK_EQ(s.mem_size, DATA_MEMSZ);
    CHECK_EQ(s.flags, ELF_PF_R | ELF_PF_W);

    /* The PT_NOTE is not a load segment, whatever its index. */
    CHECK(!elf_load_segment(&e, 2, &s));
    CHECK(!elf_load_segment(&e, SIZE_MAX, &s));

    elf_vaddr_bounds(&e, &lo, &hi);
    CHECK_EQ(lo, CODE_VADDR);
    CHECK_EQ(hi, DATA_VADDR + DATA_MEMSZ);
    elf_paddr_bounds(&e, &lo, &hi);
    CHECK_EQ(lo, CODE_PADDR);
    CHECK_EQ(hi, DATA_PADDR + DATA_MEMSZ);
    free(img);
}

TEST(bounds_use_lowest_and_highest_segment)
{
    /* Segments out of address order: the bounds still span both, per address space. */
    uint8_t *img = make_image();
    struct elf_image e;
    uint64_t lo, hi;
    struct phdr_fields high_data = {ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, DATA_OFFSET, 0x300000,
                                    0x90000000, DATA_FILESZ, DATA_MEMSZ, PAGE};
    put_phdr(img, 1, &high_data);
    CHECK_EQ(elf_open(&e, img, IMG_SIZE), ELF_OK);
    elf_vaddr_bounds(&e, &lo, &hi);
    CHECK_EQ(lo, 0x300000);
    CHECK_EQ(hi, CODE_VADDR + CODE_SIZE);
    elf_paddr_bounds(&e, &lo, &hi);
    CHECK_EQ(lo, CODE_PADDR);
    CHECK_EQ(hi, 0x90000000 + DATA_MEMSZ);
    free(img);
}

TEST(truncated_header)
{
    uint8_t *img = make_image();
    struct elf_image e;
    CHECK_EQ(elf_open(&e, img, 0), ELF_ERR_TRUNCATED);
    CHECK_EQ(elf_open(&e, img, 4), ELF_ERR_TRUNCATED);
    CHECK_EQ(elf_open(&e, img, ELF_EHDR_SIZE - 1), ELF_ERR_TRUNCATED);
    CHECK_EQ(elf_open(&e, NULL, IMG_SIZE), ELF_ERR_ARGS);
    CHECK_EQ(elf_open(NULL, img, IMG_SIZE), ELF_ERR_ARGS);
    free(img);
}

TEST(failed_open_leaves_empty_image)
{
    uint8_t *img = make_image();
    struct elf_image e;
    struct elf_segment s;
    uint64_t lo, hi;

    CHECK_EQ(elf_open(&e, img, IMG_SIZE), ELF_OK);
    img[0] = 0;
    CHECK_EQ(elf_open(&e, img, IMG_SIZE), ELF_ERR_MAGIC);
    CHECK_EQ(elf_load_segment_count(&e), 0);
    CHECK(!elf_load_segment(&e, 0, &s));
    elf_vaddr_bounds(&e, &lo, &hi);
    CHECK_EQ(lo, 0);
    CHECK_EQ(hi, 0);
    free(img);
}

TEST(bad_magic)
{
    for (unsigned i = 0; i < 4; i++) {
        uint8_t *img = make_image();
        img[i] ^= 0x20;
        enum elf_status st = open_image(img, IMG_SIZE);
        free(img);
        CHECK_EQ(st, ELF_ERR_MAGIC);
    }
}

TEST(wrong_class_endian_version)
{
    CHECK_EQ(open_with_header_field(ELF_IDENT_CLASS, ELFCLASS32, 1), ELF_ERR_CLASS);
    CHECK_EQ(open_with_header_field(ELF_IDENT_CLASS, 0, 1), ELF_ERR_CLASS);
    CHECK_EQ(open_with_header_field(ELF_IDENT_DATA, ELFDATA2MSB, 1), ELF_ERR_ENDIAN);
    CHECK_EQ(open_with_header_field(ELF_IDENT_VERSION, 0, 1), ELF_ERR_VERSION);
    CHECK_EQ(open_with_header_field(ELF_EHDR_VERSION, 2, 4), ELF_ERR_VERSION);
}

TEST(wrong_machine_and_type)
{
    CHECK_EQ(open_with_header_field(ELF_EHDR_MACHINE, EM_X86_64, 2), ELF_ERR_MACHINE);
    CHECK_EQ(open_with_header_field(ELF_EHDR_MACHINE, 0, 2), ELF_ERR_MACHINE);
    CHECK_EQ(open_with_header_field(ELF_EHDR_TYPE, ET_DYN, 2), ELF_ERR_TYPE);
    CHECK_EQ(open_with_header_field(ELF_EHDR_TYPE, ET_REL, 2), ELF_ERR_TYPE);
}

TEST(phdr_table_out_of_bounds)
{
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHENTSIZE, ELF_PHDR_SIZE - 1, 2), ELF_ERR_PHDR);
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHENTSIZE, ELF_PHDR_SIZE * 2, 2), ELF_ERR_PHDR);
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHNUM, ELF_PN_XNUM, 2), ELF_ERR_PHDR);
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHOFF, IMG_SIZE + 1, 8), ELF_ERR_PHDR);
    /* Table starting in bounds but ending one byte past the blob. */
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHOFF, IMG_SIZE - IMG_PHNUM * ELF_PHDR_SIZE + 1, 8),
             ELF_ERR_PHDR);
    /* An offset that would wrap when the table length is added. */
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHOFF, UINT64_MAX - 8, 8), ELF_ERR_PHDR);
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHNUM, 0xfffe, 2), ELF_ERR_PHDR);

    /* Header and table only, the blob cut right after the last program header: fine up to
     * the table, but then the segments point past the end. */
    uint8_t *img = make_image();
    CHECK_EQ(open_image(img, ELF_EHDR_SIZE + IMG_PHNUM * ELF_PHDR_SIZE), ELF_ERR_SEGMENT);
    CHECK_EQ(open_image(img, ELF_EHDR_SIZE + IMG_PHNUM * ELF_PHDR_SIZE - 1), ELF_ERR_PHDR);
    free(img);
}

TEST(no_load_segments)
{
    CHECK_EQ(open_with_header_field(ELF_EHDR_PHNUM, 0, 2), ELF_ERR_NO_SEGMENTS);
    /* Only the PT_NOTE left. */
    uint8_t *img = make_image();
    put_le(phdr_at(img, 0) + ELF_PHDR_TYPE, PT_NOTE, 4);
    put_le(phdr_at(img, 1) + ELF_PHDR_TYPE, PT_NOTE, 4);
    CHECK_EQ(open_image(img, IMG_SIZE), ELF_ERR_NO_SEGMENTS);
    free(img);
    /* PT_LOADs that occupy no memory do not count as something to load. */
    img = make_image();
    put_le(phdr_at(img, 0) + ELF_PHDR_FILESZ, 0, 8);
    put_le(phdr_at(img, 0) + ELF_PHDR_MEMSZ, 0, 8);
    put_le(phdr_at(img, 1) + ELF_PHDR_FILESZ, 0, 8);
    put_le(phdr_at(img, 1) + ELF_PHDR_MEMSZ, 0, 8);
    CHECK_EQ(open_image(img, IMG_SIZE), ELF_ERR_NO_SEGMENTS);
    free(img);
}

TEST(empty_load_segment_counts_but_not_in_bounds)
{
    uint8_t *img = make_image();
    struct elf_image e;
    uint64_t lo, hi;
    put_le(phdr_at(img, 1) + ELF_PHDR_FILESZ, 0, 8);
    put_le(phdr_at(img, 1) + ELF_PHDR_MEMSZ, 0, 8);
    CHECK_EQ(elf_open(&e, img, IMG_SIZE), ELF_OK);
    CHECK_EQ(elf_load_segment_count(&e), 2);
    elf_vaddr_bounds(&e, &lo, &hi);
    CHECK_EQ(lo, CODE_VADDR);
    CHECK_EQ(hi, CODE_VADDR + CODE_SIZE);
    free(img);
}

TEST(filesz_greater_than_memsz)
{
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_FILESZ, DATA_MEMSZ + 1), ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(0, ELF_PHDR_MEMSZ, CODE_SIZE - 1), ELF_ERR_SEGMENT);
}

TEST(segment_file_range_out_of_bounds)
{
    /* Exactly reaching the end is fine; one byte more is not. */
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_FILESZ, IMG_SIZE - DATA_OFFSET), ELF_OK);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_FILESZ, IMG_SIZE - DATA_OFFSET + 1),
             ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_OFFSET, IMG_SIZE), ELF_ERR_SEGMENT);
    /* Offsets that wrap when the file size is added. */
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_OFFSET, UINT64_MAX - 0x10), ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_FILESZ, UINT64_MAX), ELF_ERR_SEGMENT);

    /* offset + filesz wraps to a small number inside the blob; addresses are made harmless so
     * only the file-range check can object. */
    uint8_t *img = make_image();
    struct phdr_fields wrap = {ELF_PT_LOAD, ELF_PF_R, DATA_OFFSET, 0, 0, UINT64_MAX - PAGE,
                               UINT64_MAX - PAGE, 0};
    put_phdr(img, 1, &wrap);
    CHECK_EQ(open_image(img, IMG_SIZE), ELF_ERR_SEGMENT);
    free(img);
}

TEST(address_overflow)
{
    /* vaddr + memsz must stay representable: ending below 2^64 is allowed, at 2^64 is not. */
    uint64_t last_page = UINT64_MAX - DATA_MEMSZ + 1 - PAGE;
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_VADDR, last_page), ELF_OK);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_VADDR, UINT64_MAX - DATA_MEMSZ + 1),
             ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_MEMSZ, UINT64_MAX), ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_PADDR, UINT64_MAX - 0xfff), ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_PADDR, UINT64_MAX - DATA_MEMSZ), ELF_OK);
}

TEST(alignment)
{
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_ALIGN, 0), ELF_OK);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_ALIGN, 1), ELF_OK);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_ALIGN, 0x10000 + 1), ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_ALIGN, 3 * PAGE), ELF_ERR_SEGMENT);
    /* vaddr and file offset must agree modulo the alignment. */
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_VADDR, DATA_VADDR + 8), ELF_ERR_SEGMENT);
    CHECK_EQ(open_with_phdr_field(1, ELF_PHDR_ALIGN, 0x100000), ELF_ERR_SEGMENT);
}

TEST(entry_point)
{
    CHECK_EQ(open_with_header_field(ELF_EHDR_ENTRY, CODE_VADDR, 8), ELF_OK);
    CHECK_EQ(open_with_header_field(ELF_EHDR_ENTRY, CODE_VADDR + CODE_SIZE - 4, 8), ELF_OK);
    CHECK_EQ(open_with_header_field(ELF_EHDR_ENTRY, CODE_VADDR + CODE_SIZE, 8), ELF_ERR_ENTRY);
    CHECK_EQ(open_with_header_field(ELF_EHDR_ENTRY, 0, 8), ELF_ERR_ENTRY);
    /* Inside a loaded but non-executable segment, or inside a non-load one. */
    CHECK_EQ(open_with_header_field(ELF_EHDR_ENTRY, DATA_VADDR, 8), ELF_ERR_ENTRY);
    CHECK_EQ(open_with_header_field(ELF_EHDR_ENTRY, NOTE_VADDR, 8), ELF_ERR_ENTRY);
    CHECK_EQ(open_with_phdr_field(0, ELF_PHDR_FLAGS, ELF_PF_R), ELF_ERR_ENTRY);
}

TEST(unaligned_blob)
{
    /* The loader may find an image at any byte address: parsing reads byte-wise. */
    uint8_t *img = make_image();
    uint8_t *shifted = malloc(IMG_SIZE + 1);
    struct elf_image e;
    CHECK(shifted != NULL);
    memcpy(shifted + 1, img, IMG_SIZE);
    CHECK_EQ(elf_open(&e, shifted + 1, IMG_SIZE), ELF_OK);
    CHECK_EQ(elf_load_segment_count(&e), 2);
    free(shifted);
    free(img);
}

TEST(segment_bytes_rejects_forged_segment)
{
    uint8_t *img = make_image();
    struct elf_image e;
    struct elf_segment s;
    CHECK_EQ(elf_open(&e, img, IMG_SIZE), ELF_OK);
    CHECK(elf_load_segment(&e, 1, &s));
    s.file_size = IMG_SIZE;
    CHECK_PTR_EQ(elf_segment_bytes(&e, &s), NULL);
    s.file_offset = UINT64_MAX;
    s.file_size = 2;
    CHECK_PTR_EQ(elf_segment_bytes(&e, &s), NULL);
    free(img);
}

/* Touch every byte the parser hands out, so ASan flags anything outside the blob. */
static uint64_t consume_image(const struct elf_image *e)
{
    uint64_t sum = 0;
    struct elf_segment s;
    for (size_t i = 0; elf_load_segment(e, i, &s); i++) {
        const uint8_t *bytes = elf_segment_bytes(e, &s);
        if (bytes == NULL) {
            return UINT64_MAX;
        }
        for (uint64_t j = 0; j < s.file_size; j++) {
            sum += bytes[j];
        }
    }
    return sum;
}

TEST(byte_mutations_stay_in_bounds)
{
    static const uint8_t values[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
    const unsigned header_bytes = ELF_EHDR_SIZE + IMG_PHNUM * ELF_PHDR_SIZE;

    for (unsigned pos = 0; pos < header_bytes; pos++) {
        for (unsigned v = 0; v < sizeof(values); v++) {
            uint8_t *img = make_image();
            struct elf_image e;
            img[pos] = values[v];
            if (elf_open(&e, img, IMG_SIZE) == ELF_OK) {
                uint64_t lo, hi;
                CHECK(consume_image(&e) != UINT64_MAX);
                elf_vaddr_bounds(&e, &lo, &hi);
                CHECK_LE(lo, e.entry);
                CHECK_LT(e.entry, hi);
            }
            free(img);
        }
    }
}

TEST(truncations_stay_in_bounds)
{
    uint8_t *img = make_image();
    for (size_t len = 0; len <= IMG_SIZE; len++) {
        uint8_t *cut = malloc(len ? len : 1);
        struct elf_image e;
        CHECK(cut != NULL);
        memcpy(cut, img, len);
        enum elf_status st = elf_open(&e, cut, len);
        /* Only a blob that still holds the end of the data segment's file bytes is valid. */
        CHECK_EQ(st == ELF_OK, len >= DATA_OFFSET + DATA_FILESZ);
        if (st == ELF_OK) {
            CHECK(consume_image(&e) != UINT64_MAX);
        }
        free(cut);
    }
    free(img);
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    uint8_t *buf = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0) {
        len = ftell(f);
    }
    if (len > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)len);
        if (buf != NULL && fread(buf, 1, (size_t)len, f) != (size_t)len) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    *size = (size_t)len;
    return buf;
}

TEST(real_aarch64_executable)
{
    /* Built at test time by the cross compiler (see unit.mk): a static ET_EXEC with bss. */
    size_t size = 0;
    uint8_t *blob = read_file(UNIT_DATA_DIR "/sample_user.elf", &size);
    struct elf_image e;
    struct elf_segment s;
    uint64_t lo, hi;
    bool has_bss = false;
    bool entry_in_code = false;

    CHECK(blob != NULL);
    CHECK_EQ(elf_open(&e, blob, size), ELF_OK);
    CHECK_LE(1, elf_load_segment_count(&e));
    elf_vaddr_bounds(&e, &lo, &hi);
    CHECK_LE(lo, e.entry);
    CHECK_LT(e.entry, hi);
    for (size_t i = 0; elf_load_segment(&e, i, &s); i++) {
        CHECK(elf_segment_bytes(&e, &s) != NULL);
        CHECK_LE(s.file_size, s.mem_size);
        has_bss |= s.file_size < s.mem_size;
        entry_in_code |= (s.flags & ELF_PF_X) && e.entry >= s.vaddr
                         && e.entry < s.vaddr + s.mem_size;
    }
    CHECK(has_bss);
    CHECK(entry_in_code);
    /* The same bytes cut short lose their segments. */
    CHECK_EQ(elf_open(&e, blob, ELF_EHDR_SIZE), ELF_ERR_PHDR);
    free(blob);
}

TEST(status_names)
{
    for (int st = 0; st < ELF_STATUS_COUNT; st++) {
        const char *name = elf_status_name((enum elf_status)st);
        CHECK(name != NULL);
        CHECK(strcmp(name, "unknown ELF status") != 0);
        for (int other = 0; other < st; other++) {
            CHECK(strcmp(name, elf_status_name((enum elf_status)other)) != 0);
        }
    }
    CHECK_STR_EQ(elf_status_name(ELF_OK), "ok");
    CHECK_STR_EQ(elf_status_name(ELF_STATUS_COUNT), "unknown ELF status");
    CHECK_STR_EQ(elf_status_name((enum elf_status)-1), "unknown ELF status");
}
