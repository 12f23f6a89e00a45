/* ELF64 executable parser for the boot loader: validates a little-endian AArch64 ET_EXEC image
 * and lists its PT_LOAD segments. Pure code, shared with the host packer (tools/kpack.c). */
#ifndef KAIROS_LOADER_ELF_H
#define KAIROS_LOADER_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* File-format facts from the System V gABI (ELF-64 object file format) and the AArch64 ELF ABI. */
#define ELF_IDENT_SIZE      16
#define ELF_IDENT_CLASS     4
#define ELF_IDENT_DATA      5
#define ELF_IDENT_VERSION   6
#define ELF_MAGIC0          0x7f
#define ELF_MAGIC1          'E'
#define ELF_MAGIC2          'L'
#define ELF_MAGIC3          'F'
#define ELF_CLASS64         2
#define ELF_DATA_LSB        1
#define ELF_VERSION_CURRENT 1
#define ELF_TYPE_EXEC       2
#define ELF_MACHINE_AARCH64 183
#define ELF_PN_XNUM         0xffff  /* phnum escape: real count lives in section 0 (unsupported) */

/* Byte offsets of the ELF64 file header fields. */
#define ELF_EHDR_TYPE       16
#define ELF_EHDR_MACHINE    18
#define ELF_EHDR_VERSION    20
#define ELF_EHDR_ENTRY      24
#define ELF_EHDR_PHOFF      32
#define ELF_EHDR_PHENTSIZE  54
#define ELF_EHDR_PHNUM      56
#define ELF_EHDR_SIZE       64

/* Byte offsets of the ELF64 program header fields. */
#define ELF_PHDR_TYPE       0
#define ELF_PHDR_FLAGS      4
#define ELF_PHDR_OFFSET     8
#define ELF_PHDR_VADDR      16
#define ELF_PHDR_PADDR      24
#define ELF_PHDR_FILESZ     32
#define ELF_PHDR_MEMSZ      40
#define ELF_PHDR_ALIGN      48
#define ELF_PHDR_SIZE       56

#define ELF_PT_LOAD         1
#define ELF_PF_X            0x1u
#define ELF_PF_W            0x2u
#define ELF_PF_R            0x4u

enum elf_status {
    ELF_OK = 0,
    ELF_ERR_ARGS,        /* NULL image or blob */
    ELF_ERR_TRUNCATED,   /* shorter than the ELF64 file header */
    ELF_ERR_MAGIC,
    ELF_ERR_CLASS,       /* not ELFCLASS64 */
    ELF_ERR_ENDIAN,      /* not little-endian */
    ELF_ERR_VERSION,     /* ident or header version is not EV_CURRENT */
    ELF_ERR_MACHINE,     /* not EM_AARCH64 */
    ELF_ERR_TYPE,        /* not ET_EXEC */
    ELF_ERR_PHDR,        /* bad phentsize, PN_XNUM, or table outside the blob */
    ELF_ERR_SEGMENT,     /* a PT_LOAD is inconsistent or out of bounds */
    ELF_ERR_NO_SEGMENTS, /* no PT_LOAD with a non-zero memory size */
    ELF_ERR_ENTRY,       /* entry point not inside an executable PT_LOAD */
    ELF_STATUS_COUNT
};

/* One PT_LOAD program header, already checked by elf_open. */
struct elf_segment {
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t file_offset;
    uint64_t file_size;
    uint64_t mem_size;
    uint64_t align;
    uint32_t flags;     /* ELF_PF_* */
};

/* A validated image. Filled by elf_open; read-only afterwards. */
struct elf_image {
    const uint8_t *base;
    size_t size;
    uint64_t entry;
    uint64_t phoff;
    uint16_t phnum;
    size_t load_count;  /* PT_LOAD headers, including ones with mem_size 0 */
    uint64_t vaddr_lo, vaddr_hi;    /* over PT_LOADs with mem_size > 0; hi exclusive */
    uint64_t paddr_lo, paddr_hi;
};

/*
 * Check a whole ELF image and fill `img`. Every PT_LOAD must satisfy: file_size <= mem_size;
 * [file_offset, file_offset + file_size) inside the blob; vaddr + mem_size and paddr + mem_size
 * representable (so exclusive ends never wrap); align 0 or a power of two, with vaddr congruent
 * to file_offset modulo align. At least one PT_LOAD must occupy memory and the entry point must
 * lie inside an executable one. On error `img` describes an empty image.
 */
enum elf_status elf_open(struct elf_image *img, const void *blob, size_t size);

size_t elf_load_segment_count(const struct elf_image *img);

/* The index-th PT_LOAD in program-header order; false if there is none. */
bool elf_load_segment(const struct elf_image *img, size_t index, struct elf_segment *out);

/* The file bytes of a segment (file_size of them), or NULL if `seg` does not fit the image. */
const uint8_t *elf_segment_bytes(const struct elf_image *img, const struct elf_segment *seg);

/* Lowest address and exclusive end over all PT_LOADs that occupy memory (0, 0 if none). */
void elf_vaddr_bounds(const struct elf_image *img, uint64_t *lo, uint64_t *hi);
void elf_paddr_bounds(const struct elf_image *img, uint64_t *lo, uint64_t *hi);

const char *elf_status_name(enum elf_status status);

#endif /* KAIROS_LOADER_ELF_H */
