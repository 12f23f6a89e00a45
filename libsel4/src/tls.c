/* tls.c — static TLS for the root task's initial thread: finds the PT_TLS segment through the
 * ELF header the linker maps at __ehdr_start, builds the TLS block and sets TPIDR_EL0. */
#include <stdint.h>

#include <kairos/runtime.h>
#include <kairos/stdio.h>
#include <kairos/string.h>

#include "elf.h"
#include "tls.h"

/* AArch64 uses TLS variant I: TPIDR_EL0 points at a 16-byte thread control block and the
 * TLS block starts at TP + 16 rounded up to the segment's alignment. With local-exec
 * accesses, the linker has already baked exactly that offset into the code. */
#define TLS_TCB_SIZE 16

/* Room for the TCB, alignment padding and the TLS block; a program with more TLS fails
 * at start with a message instead of corrupting memory. */
#define TLS_STATIC_AREA_SIZE 4096

/* Ordinary (not thread-local) storage: it becomes the initial thread's TLS. */
static unsigned char tls_area[TLS_STATIC_AREA_SIZE] __attribute__((__aligned__(TLS_TCB_SIZE)));

/* Defined by GNU ld when the ELF header lies inside a loaded segment, which is the case for
 * the default static layout (-Ttext-segment puts the headers at the start of the text). */
extern const Elf64_Ehdr __ehdr_start __attribute__((__visibility__("hidden")));

static uintptr_t align_up(uintptr_t value, uintptr_t align)
{
    return (value + align - 1) & ~(align - 1);
}

static bool is_power_of_two(uint64_t value)
{
    return value != 0 && (value & (value - 1)) == 0;
}

static bool elf_header_is_valid(const Elf64_Ehdr *ehdr)
{
    return ehdr->e_ident[0] == ELF_MAGIC0 && ehdr->e_ident[1] == ELF_MAGIC1 &&
           ehdr->e_ident[2] == ELF_MAGIC2 && ehdr->e_ident[3] == ELF_MAGIC3 &&
           ehdr->e_phentsize == sizeof(Elf64_Phdr);
}

static const Elf64_Phdr *find_tls_segment(const Elf64_Ehdr *ehdr)
{
    const unsigned char *phdrs = (const unsigned char *)ehdr + ehdr->e_phoff;

    for (uint16_t i = 0; i < ehdr->e_phnum; i++) {
        const Elf64_Phdr *phdr = (const Elf64_Phdr *)(phdrs + (uintptr_t)i * ehdr->e_phentsize);
        if (phdr->p_type == ELF_PT_TLS) {
            return phdr;
        }
    }
    return NULL;
}

static void set_thread_pointer(uintptr_t tp)
{
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}

/* Lays out the image's PT_TLS template in [area, area + size): *tp gets the thread
 * pointer. NULL on success, else what is wrong (nothing is written then). */
static const char *tls_layout(unsigned char *area, size_t size, uintptr_t *tp_out)
{
    const Elf64_Ehdr *ehdr = &__ehdr_start;

    if (!elf_header_is_valid(ehdr)) {
        return "no valid ELF header at __ehdr_start";
    }

    /* Without a PT_TLS segment the thread still gets a valid, empty TLS area. */
    const Elf64_Phdr *tls = find_tls_segment(ehdr);
    uint64_t align = 1;
    uint64_t filesz = 0;
    uint64_t memsz = 0;
    const void *image = NULL;

    if (tls != NULL) {
        align = tls->p_align != 0 ? tls->p_align : 1;
        filesz = tls->p_filesz;
        memsz = tls->p_memsz;
        image = (const void *)(uintptr_t)tls->p_vaddr;
    }
    if (!is_power_of_two(align) || filesz > memsz) {
        return "malformed PT_TLS";
    }

    /* TP aligned to the segment's alignment makes the block start aligned too. */
    uintptr_t base = (uintptr_t)area;
    uintptr_t tp = align_up(base, align > TLS_TCB_SIZE ? align : TLS_TCB_SIZE);
    uintptr_t block = tp + align_up(TLS_TCB_SIZE, align);

    if (memsz > size || block - base > size - memsz) {
        return "TLS larger than the area reserved for it";
    }

    /* The TCB is unused by this runtime; .tdata is copied, .tbss zeroed. */
    memset((void *)tp, 0, block - tp);
    memcpy((void *)block, image, filesz);
    memset((void *)(block + filesz), 0, memsz - filesz);
    *tp_out = tp;
    return NULL;
}

uintptr_t kairos_tls_new(void *area, size_t size)
{
    uintptr_t tp = 0;
    return tls_layout(area, size, &tp) == NULL ? tp : 0;
}

bool kairos_tls_init_initial_thread(void)
{
    uintptr_t tp = 0;
    const char *why = tls_layout(tls_area, sizeof(tls_area), &tp);
    if (why != NULL) {
        printf("kairos runtime: %s (%lu bytes reserved)\n", why, (unsigned long)sizeof(tls_area));
        return false;
    }
    set_thread_pointer(tp);
    return true;
}
