/* ELF64 executable parser for the boot loader (see elf.h). The blob is hostile: every field is
 * read byte-wise (it may be unaligned) and every offset and size is checked before use. */
#include "elf.h"

static uint16_t read_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t read_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t read_le64(const uint8_t *p)
{
    return (uint64_t)read_le32(p) | (uint64_t)read_le32(p + 4) << 32;
}

static void image_clear(struct elf_image *img)
{
    img->base = NULL;
    img->size = 0;
    img->entry = 0;
    img->phoff = 0;
    img->phnum = 0;
    img->load_count = 0;
    img->vaddr_lo = 0;
    img->vaddr_hi = 0;
    img->paddr_lo = 0;
    img->paddr_hi = 0;
}

/* Decode program header `i`; elf_open has checked that the whole table lies in the blob. */
static uint32_t read_phdr(const struct elf_image *img, uint16_t i, struct elf_segment *seg)
{
    const uint8_t *ph = img->base + img->phoff + (uint64_t)i * ELF_PHDR_SIZE;

    seg->flags = read_le32(ph + ELF_PHDR_FLAGS);
    seg->file_offset = read_le64(ph + ELF_PHDR_OFFSET);
    seg->vaddr = read_le64(ph + ELF_PHDR_VADDR);
    seg->paddr = read_le64(ph + ELF_PHDR_PADDR);
    seg->file_size = read_le64(ph + ELF_PHDR_FILESZ);
    seg->mem_size = read_le64(ph + ELF_PHDR_MEMSZ);
    seg->align = read_le64(ph + ELF_PHDR_ALIGN);
    return read_le32(ph + ELF_PHDR_TYPE);
}

static bool segment_valid(const struct elf_segment *seg, uint64_t blob_size)
{
    if (seg->file_size > seg->mem_size) {
        return false;
    }
    /* Written as subtractions so that hostile values cannot wrap the comparison. */
    if (seg->file_offset > blob_size || seg->file_size > blob_size - seg->file_offset) {
        return false;
    }
    if (seg->mem_size > UINT64_MAX - seg->vaddr || seg->mem_size > UINT64_MAX - seg->paddr) {
        return false;
    }
    if (seg->align > 1) {
        /* gABI: p_vaddr == p_offset modulo p_align, with p_align a power of two. */
        if ((seg->align & (seg->align - 1)) != 0) {
            return false;
        }
        if (((seg->vaddr ^ seg->file_offset) & (seg->align - 1)) != 0) {
            return false;
        }
    }
    return true;
}

static enum elf_status check_ident(const uint8_t *b)
{
    if (b[0] != ELF_MAGIC0 || b[1] != ELF_MAGIC1 || b[2] != ELF_MAGIC2 || b[3] != ELF_MAGIC3) {
        return ELF_ERR_MAGIC;
    }
    if (b[ELF_IDENT_CLASS] != ELF_CLASS64) {
        return ELF_ERR_CLASS;
    }
    if (b[ELF_IDENT_DATA] != ELF_DATA_LSB) {
        return ELF_ERR_ENDIAN;
    }
    if (b[ELF_IDENT_VERSION] != ELF_VERSION_CURRENT
        || read_le32(b + ELF_EHDR_VERSION) != ELF_VERSION_CURRENT) {
        return ELF_ERR_VERSION;
    }
    if (read_le16(b + ELF_EHDR_MACHINE) != ELF_MACHINE_AARCH64) {
        return ELF_ERR_MACHINE;
    }
    if (read_le16(b + ELF_EHDR_TYPE) != ELF_TYPE_EXEC) {
        return ELF_ERR_TYPE;
    }
    return ELF_OK;
}

static enum elf_status check_phdr_table(const uint8_t *b, uint64_t size)
{
    uint16_t phnum = read_le16(b + ELF_EHDR_PHNUM);
    uint64_t phoff = read_le64(b + ELF_EHDR_PHOFF);

    if (phnum == 0) {
        return ELF_ERR_NO_SEGMENTS;
    }
    if (phnum == ELF_PN_XNUM || read_le16(b + ELF_EHDR_PHENTSIZE) != ELF_PHDR_SIZE) {
        return ELF_ERR_PHDR;
    }
    /* phnum < 2^16, so the table length cannot overflow 64 bits. */
    if (phoff > size || (uint64_t)phnum * ELF_PHDR_SIZE > size - phoff) {
        return ELF_ERR_PHDR;
    }
    return ELF_OK;
}

/* Walk the PT_LOADs: validate each one, count them and accumulate the address bounds. */
static enum elf_status scan_segments(struct elf_image *img)
{
    bool any_memory = false;
    bool entry_ok = false;

    for (uint16_t i = 0; i < img->phnum; i++) {
        struct elf_segment seg;
        if (read_phdr(img, i, &seg) != ELF_PT_LOAD) {
            continue;
        }
        if (!segment_valid(&seg, img->size)) {
            return ELF_ERR_SEGMENT;
        }
        img->load_count++;
        if (seg.mem_size == 0) {
            continue;
        }
        uint64_t vend = seg.vaddr + seg.mem_size;
        uint64_t pend = seg.paddr + seg.mem_size;
        if (!any_memory) {
            img->vaddr_lo = seg.vaddr;
            img->vaddr_hi = vend;
            img->paddr_lo = seg.paddr;
            img->paddr_hi = pend;
            any_memory = true;
        } else {
            img->vaddr_lo = seg.vaddr < img->vaddr_lo ? seg.vaddr : img->vaddr_lo;
            img->vaddr_hi = vend > img->vaddr_hi ? vend : img->vaddr_hi;
            img->paddr_lo = seg.paddr < img->paddr_lo ? seg.paddr : img->paddr_lo;
            img->paddr_hi = pend > img->paddr_hi ? pend : img->paddr_hi;
        }
        if ((seg.flags & ELF_PF_X) && img->entry >= seg.vaddr && img->entry < vend) {
            entry_ok = true;
        }
    }
    if (!any_memory) {
        return ELF_ERR_NO_SEGMENTS;
    }
    /* The loader jumps to the entry point; it must be code that the image actually loads. */
    return entry_ok ? ELF_OK : ELF_ERR_ENTRY;
}

enum elf_status elf_open(struct elf_image *img, const void *blob, size_t size)
{
    if (img == NULL) {
        return ELF_ERR_ARGS;
    }
    image_clear(img);
    if (blob == NULL) {
        return ELF_ERR_ARGS;
    }
    if (size < ELF_EHDR_SIZE) {
        return ELF_ERR_TRUNCATED;
    }

    const uint8_t *b = blob;
    enum elf_status st = check_ident(b);
    if (st == ELF_OK) {
        st = check_phdr_table(b, size);
    }
    if (st != ELF_OK) {
        return st;
    }

    img->base = b;
    img->size = size;
    img->entry = read_le64(b + ELF_EHDR_ENTRY);
    img->phoff = read_le64(b + ELF_EHDR_PHOFF);
    img->phnum = read_le16(b + ELF_EHDR_PHNUM);
    st = scan_segments(img);
    if (st != ELF_OK) {
        image_clear(img);
    }
    return st;
}

size_t elf_load_segment_count(const struct elf_image *img)
{
    return img != NULL ? img->load_count : 0;
}

bool elf_load_segment(const struct elf_image *img, size_t index, struct elf_segment *out)
{
    if (img == NULL || out == NULL || index >= img->load_count) {
        return false;
    }
    size_t seen = 0;
    for (uint16_t i = 0; i < img->phnum; i++) {
        if (read_phdr(img, i, out) != ELF_PT_LOAD) {
            continue;
        }
        if (seen == index) {
            return true;
        }
        seen++;
    }
    return false;
}

const uint8_t *elf_segment_bytes(const struct elf_image *img, const struct elf_segment *seg)
{
    if (img == NULL || seg == NULL || img->base == NULL) {
        return NULL;
    }
    if (seg->file_offset > img->size || seg->file_size > img->size - seg->file_offset) {
        return NULL;
    }
    return img->base + seg->file_offset;
}

void elf_vaddr_bounds(const struct elf_image *img, uint64_t *lo, uint64_t *hi)
{
    *lo = img != NULL ? img->vaddr_lo : 0;
    *hi = img != NULL ? img->vaddr_hi : 0;
}

void elf_paddr_bounds(const struct elf_image *img, uint64_t *lo, uint64_t *hi)
{
    *lo = img != NULL ? img->paddr_lo : 0;
    *hi = img != NULL ? img->paddr_hi : 0;
}

const char *elf_status_name(enum elf_status status)
{
    static const char *const names[ELF_STATUS_COUNT] = {
        [ELF_OK] = "ok",
        [ELF_ERR_ARGS] = "bad arguments",
        [ELF_ERR_TRUNCATED] = "truncated ELF header",
        [ELF_ERR_MAGIC] = "bad ELF magic",
        [ELF_ERR_CLASS] = "not a 64-bit ELF",
        [ELF_ERR_ENDIAN] = "not little-endian",
        [ELF_ERR_VERSION] = "unsupported ELF version",
        [ELF_ERR_MACHINE] = "not an AArch64 ELF",
        [ELF_ERR_TYPE] = "not an executable (ET_EXEC)",
        [ELF_ERR_PHDR] = "bad program header table",
        [ELF_ERR_SEGMENT] = "bad PT_LOAD segment",
        [ELF_ERR_NO_SEGMENTS] = "no loadable segments",
        [ELF_ERR_ENTRY] = "entry point outside executable segments",
    };
    if ((unsigned)status >= ELF_STATUS_COUNT) {
        return "unknown ELF status";
    }
    return names[status];
}
