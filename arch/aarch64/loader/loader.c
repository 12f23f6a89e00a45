/* The first boot stage: unpacks the kernel, the DTB and the root task from the payload,
 * builds the first page tables and enters the kernel at its virtual address (ABI §6.1). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/aarch64/cpu.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace_layout.h"
#include "drivers/uart/uart.h"
#include "elf.h"
#include "lib/fdt.h"
#include "lib/string.h"
#include "payload.h"
#include "platform.h"

/* Read by loader_enter_kernel in start.S; the offsets there follow this order. */
struct loader_handoff {
    uint64_t ui_p_start, ui_p_end, pv_offset, v_entry, dtb_p, dtb_size;
    uint64_t kernel_entry, reserved;
    uint64_t mair, tcr, ttbr0, ttbr1, sctlr;
};
_Static_assert(offsetof(struct loader_handoff, mair) == 64, "start.S reads mair at 64");
_Static_assert(offsetof(struct loader_handoff, sctlr) == 96, "start.S reads sctlr at 96");

void loader_enter_kernel(const struct loader_handoff *h) __attribute__((noreturn));
void loader_main(uintptr_t dtb_in, uint64_t entry_el);
void loader_misplaced(uintptr_t running_at, uintptr_t linked_at) __attribute__((noreturn));
void loader_exception(uint64_t esr, uint64_t elr, uint64_t far) __attribute__((noreturn));

extern char _loader_start[], _loader_end[], _payload_start[], _payload_end[];

#define GIB_SHIFT L1_SHIFT
#define DTB_MAX_SIZE (1ul << 21)
#define DTB_ALIGN 8ul
#define MAX_RAM_REGIONS 8

static uint64_t l0_identity[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l1_identity[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l0_kernel[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t l1_kernel[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static struct loader_handoff handoff;
static struct fdt_region ram[MAX_RAM_REGIONS];
static int ram_count;

static void puts_(const char *s)
{
    while (*s) {
        uart_putc(*s++);
    }
}

static void put_hex(uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    puts_("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        uart_putc(digits[(v >> shift) & 0xf]);
    }
}

static void __attribute__((noreturn)) fail(const char *why)
{
    puts_("kairos-loader: error: ");
    puts_(why);
    puts_("\n");
    /* Under QEMU with semihosting the run ends with a failure status; on a board the
     * loader stops here, its message on the console. */
#if SEMIHOSTING
    machine_poweroff(1);
#endif
    for (;;) {
        __asm__ volatile("wfe");
    }
}

/* Called from start.S before .bss is cleared, at an address the image was not linked for:
 * only PC-relative code and data may be used, which is all the UART and the printing here
 * use (uart_init stores the base before anything reads it). */
void loader_misplaced(uintptr_t running_at, uintptr_t linked_at)
{
    uart_init(PLAT_UART_PADDR);
    puts_("kairos-loader: loaded at ");
    put_hex(running_at);
    puts_(" but linked to run at ");
    put_hex(linked_at);
    puts_(" (" PLAT_NAME "'s LOADER_PADDR)\n");
    fail("load the image at its link address (bootm of the uImage or FIT does)");
}

/* From start.S's vectors: nothing in the loader expects an exception, so one ends the boot
 * with what the registers say. */
void loader_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
    puts_("kairos-loader: exception: ESR ");
    put_hex(esr);
    puts_(" at ");
    put_hex(elr);
    puts_(" (address ");
    put_hex(far);
    puts_(")\n");
    fail("the boot stops here");
}

static uint64_t page_up(uint64_t x)
{
    return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static bool ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < b_end && b < a_end;
}

static bool in_ram(uint64_t start, uint64_t end)
{
    for (int i = 0; i < ram_count; i++) {
        if (start >= ram[i].base && end <= ram[i].base + ram[i].size && end >= start) {
            return true;
        }
    }
    return false;
}

/* Every destination must be RAM and must not overwrite the loader or its payload. */
static void check_destination(uint64_t start, uint64_t end, const char *what)
{
    if (end < start || !in_ram(start, end) ||
        ranges_overlap(start, end, (uintptr_t)_loader_start, (uintptr_t)_loader_end)) {
        puts_("kairos-loader: ");
        puts_(what);
        puts_(" at ");
        put_hex(start);
        puts_("..");
        put_hex(end);
        fail(" does not fit in free RAM");
    }
}

static const void *payload_blob(uint32_t kind, uint64_t *size, const char *what)
{
    const void *blob;
    if (payload_find(_payload_start, (size_t)(_payload_end - _payload_start), kind, &blob, size)) {
        puts_(what);
        fail(": missing from the payload");
    }
    return blob;
}

static void open_elf(struct elf_image *img, const void *blob, uint64_t size, const char *what)
{
    enum elf_status st = elf_open(img, blob, size);
    if (st != ELF_OK) {
        puts_(what);
        puts_(": ");
        fail(elf_status_name(st));
    }
}

/* Copies every PT_LOAD segment to (address + shift) and zero-fills its tail. */
static void load_segments(const struct elf_image *img, bool use_paddr, uint64_t shift)
{
    struct elf_segment seg;
    for (size_t i = 0; elf_load_segment(img, i, &seg); i++) {
        uint64_t dst = (use_paddr ? seg.paddr : seg.vaddr) + shift;
        memcpy((void *)dst, img->base + seg.file_offset, seg.file_size);
        memset((void *)(dst + seg.file_size), 0, seg.mem_size - seg.file_size);
    }
}

/* The devices this platform has where its device tree cannot put RAM. */
#define DEVICE_PADDR(paddr, size, kernel_vaddr, user_available) paddr,
static const uint64_t plat_devices[] = {PLAT_KERNEL_DEVICES(DEVICE_PADDR)};

static void find_ram(const void *dtb)
{
    ram_count = dtb ? fdt_memory_regions(dtb, ram, MAX_RAM_REGIONS) : 0;
    if (ram_count <= 0) {
        puts_("kairos-loader: the device tree lists no memory: assuming " PLAT_NAME "'s RAM ");
        put_hex(PLAT_RAM_FALLBACK_BASE);
        puts_("+");
        put_hex(PLAT_RAM_FALLBACK_SIZE);
        puts_("\n");
        ram[0].base = PLAT_RAM_FALLBACK_BASE;
        ram[0].size = PLAT_RAM_FALLBACK_SIZE;
        ram_count = 1;
    }
    /* RAM over this board's devices, or RAM that does not hold the loader (which runs from
     * RAM), is some other board's. */
    for (unsigned int d = 0; d < sizeof(plat_devices) / sizeof(plat_devices[0]); d++) {
        for (int i = 0; i < ram_count; i++) {
            if (ranges_overlap(plat_devices[d], plat_devices[d] + PAGE_SIZE, ram[i].base,
                               ram[i].base + ram[i].size)) {
                puts_("kairos-loader: the device tree puts memory at ");
                put_hex(ram[i].base);
                puts_("+");
                put_hex(ram[i].size);
                puts_(", over the device at ");
                put_hex(plat_devices[d]);
                puts_("\n");
                fail("this device tree is not " PLAT_NAME "'s");
            }
        }
    }
    uint64_t self = (uintptr_t)_loader_start, self_end = (uintptr_t)_loader_end;
    bool holds_loader = false;
    for (int i = 0; i < ram_count; i++) {
        holds_loader |= self >= ram[i].base && self_end <= ram[i].base + ram[i].size;
    }
    if (!holds_loader) {
        puts_("kairos-loader: the device tree's memory does not hold the loader at ");
        put_hex(self);
        puts_("\n");
        fail("this device tree is not " PLAT_NAME "'s (or the board has less RAM)");
    }
}

static bool gib_has_ram(uint64_t gib)
{
    for (int i = 0; i < ram_count; i++) {
        if (ranges_overlap(gib << GIB_SHIFT, (gib + 1) << GIB_SHIFT, ram[i].base,
                           ram[i].base + ram[i].size)) {
            return true;
        }
    }
    return false;
}

/* TTBR0: identity map of RAM (the loader runs there until the jump) and of the UART's
 * gigabyte as device memory. TTBR1: the kernel window, PPTR_BASE + pa for all RAM. */
static void build_tables(void)
{
    const uint64_t normal = PTE_BLOCK | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF;
    const uint64_t device =
        PTE_BLOCK | PTE_ATTR(MAIR_IDX_DEVICE_nGnRnE) | PTE_AF | PTE_PXN | PTE_UXN;
    for (uint64_t gib = 0; gib < PT_ENTRIES; gib++) {
        if (gib_has_ram(gib)) {
            l1_identity[gib] = (gib << GIB_SHIFT) | normal;
            l1_kernel[gib] = (gib << GIB_SHIFT) | normal;
        } else if (gib == PLAT_UART_PADDR >> GIB_SHIFT) {
            l1_identity[gib] = (gib << GIB_SHIFT) | device;
        }
    }
    l0_identity[0] = (uintptr_t)l1_identity | PTE_TABLE;
    l0_kernel[PT_INDEX(PPTR_BASE, L0_SHIFT)] = (uintptr_t)l1_kernel | PTE_TABLE;
}

/* Data was written with the caches off; drop any stale lines before turning them on. */
static void invalidate_dcache(uint64_t start, uint64_t end)
{
    uint64_t ctr = SYSREG_READ(ctr_el0);
    uint64_t line = 4ul << ((ctr >> 16) & 0xf);
    for (uint64_t a = start & ~(line - 1); a < end; a += line) {
        __asm__ volatile("dc ivac, %0" ::"r"(a) : "memory");
    }
    dsb_sy();
}

void loader_main(uintptr_t dtb_in, uint64_t entry_el)
{
    uart_init(PLAT_UART_PADDR);
    puts_("kairos-loader: started at EL");
    uart_putc((char)('0' + (entry_el & 3)));
    puts_("\n");

    uint64_t kernel_size, user_size, packed_dtb_size;
    const void *kernel_blob = payload_blob(PAYLOAD_KERNEL, &kernel_size, "kernel");
    const void *user_blob = payload_blob(PAYLOAD_USER, &user_size, "root task");
    const void *dtb = payload_blob(PAYLOAD_DTB, &packed_dtb_size, "device tree");
    /* A DTB handed over by U-Boot describes the real board and wins over the packed one. */
    /* A device tree sits 8-byte aligned (devicetree specification); anything else in x0 is
     * not one and is not read. */
    int in_status = !dtb_in                       ? 0
                    : dtb_in & (DTB_ALIGN - 1) ? FDT_ERR_MAGIC
                                               : fdt_check((const void *)dtb_in, DTB_MAX_SIZE);
    if (dtb_in && in_status == 0) {
        dtb = (const void *)dtb_in;
        puts_("kairos-loader: device tree from the boot loader at ");
        put_hex(dtb_in);
        puts_("\n");
    } else {
        if (dtb_in) {
            puts_("kairos-loader: x0 = ");
            put_hex(dtb_in);
            puts_(" is not a device tree (");
            puts_(fdt_error_name(in_status));
            puts_("): ");
        } else {
            puts_("kairos-loader: no device tree passed: ");
        }
        puts_("using the one built for " PLAT_NAME "\n");
        if (fdt_check(dtb, packed_dtb_size) != 0) {
            fail("packed device tree is malformed");
        }
    }
    uint64_t dtb_size = fdt_total_size(dtb);
    find_ram(dtb);

    struct elf_image kernel, user;
    open_elf(&kernel, kernel_blob, kernel_size, "kernel");
    open_elf(&user, user_blob, user_size, "root task");

    uint64_t k_lo, k_hi;
    elf_paddr_bounds(&kernel, &k_lo, &k_hi);
    check_destination(k_lo, k_hi, "kernel");
    load_segments(&kernel, true, 0);

    uint64_t dtb_p = page_up(k_hi);
    check_destination(dtb_p, dtb_p + dtb_size, "device tree");
    memmove((void *)dtb_p, dtb, dtb_size);

    uint64_t u_lo, u_hi;
    elf_vaddr_bounds(&user, &u_lo, &u_hi);
    uint64_t ui_v_start = u_lo & ~(PAGE_SIZE - 1);
    uint64_t ui_p_start = page_up(dtb_p + dtb_size);
    uint64_t ui_p_end = ui_p_start + (page_up(u_hi) - ui_v_start);
    check_destination(ui_p_start, ui_p_end, "root task");
    memset((void *)ui_p_start, 0, ui_p_end - ui_p_start);
    load_segments(&user, false, ui_p_start - ui_v_start);

    puts_("kairos-loader: kernel ");
    put_hex(k_lo);
    puts_(" root task ");
    put_hex(ui_p_start);
    puts_("..");
    put_hex(ui_p_end);
    puts_(" dtb ");
    put_hex(dtb_p);
    puts_("\n");

    build_tables();
    handoff = (struct loader_handoff){
        .ui_p_start = ui_p_start,
        .ui_p_end = ui_p_end,
        .pv_offset = ui_p_start - ui_v_start,
        .v_entry = user.entry,
        .dtb_p = dtb_p,
        .dtb_size = dtb_size,
        .kernel_entry = kernel.entry,
        .mair = MAIR_VALUE,
        .tcr = TCR_VALUE_NO_IPS |
               ((uint64_t)(SYSREG_READ(id_aa64mmfr0_el1) & MMFR0_PARANGE_MASK) << TCR_IPS_SHIFT),
        .ttbr0 = (uintptr_t)l0_identity,
        .ttbr1 = (uintptr_t)l0_kernel,
        .sctlr = SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I,
    };
    invalidate_dcache(k_lo, ui_p_end);
    invalidate_dcache((uintptr_t)_loader_start, (uintptr_t)_loader_end);
    loader_enter_kernel(&handoff);
}
