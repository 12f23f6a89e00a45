/* init_kernel: the kernel's first C code, entered from head.S with the loader's six
 * values (ABI §6.1). Sets up the kernel address space, console, interrupt controller,
 * timer and CPU, creates the root task and leaves into it. */
#include <stdint.h>

#include "arch/aarch64/cpu.h"
#include "drivers/irq/irq_controller.h"
#include "arch/aarch64/kdev.h"
#include "arch/aarch64/kernel_vspace.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/timer.h"
#include "arch/aarch64/vspace.h"
#include "arch/aarch64/vspace_layout.h"
#include "kernel/console.h"
#include "lib/fdt.h"
#include "kernel/irq.h"
#include "kernel/rootserver.h"
#include "kernel/thread.h"
#include "platform.h"
#include "sched/domain.h"
#include "sched/scheduler.h"
#include "drivers/uart/uart.h"

#define MAX_FDT_RAM_REGIONS 8
#define MIB_SHIFT 20

extern char _kernel_start[], _kernel_end[];

/* All RAM the kernel window maps (the debug consistency check validates pointers by it). */
struct region_list ks_ram;

void init_kernel(uint64_t ui_p_start, uint64_t ui_p_end, int64_t pv_offset, uint64_t v_entry,
                 uint64_t dtb_p, uint64_t dtb_size) __attribute__((noreturn));

static void find_ram(struct region_list *ram, const void *dtb)
{
    struct fdt_region regions[MAX_FDT_RAM_REGIONS];
    int n = dtb ? fdt_memory_regions(dtb, regions, MAX_FDT_RAM_REGIONS) : 0;
    for (int i = 0; i < n; i++) {
        region_list_add(ram, regions[i].base, regions[i].base + regions[i].size);
    }
    if (ram->count == 0) {
        region_list_add(ram, PLAT_RAM_FALLBACK_BASE, PLAT_RAM_FALLBACK_BASE + PLAT_RAM_FALLBACK_SIZE);
    }
}

/* Memory the device tree reserves (/memreserve/: firmware's spin tables on the Raspberry
 * Pi, say) is RAM no one may retype: it stays out of every untyped. */
static void remove_reserved(struct region_list *free, const void *dtb)
{
    struct fdt_region reserved[MAX_FDT_RAM_REGIONS];
    int n = fdt_reserved_regions(dtb, reserved, MAX_FDT_RAM_REGIONS);
    for (int i = 0; i < n; i++) {
        region_list_remove(free, reserved[i].base, reserved[i].base + reserved[i].size);
    }
}

static void __attribute__((noreturn)) boot_failed(const char *why)
{
    kprintf("kairos: boot failed: %s\n", why);
    machine_poweroff(1);
}

void init_kernel(uint64_t ui_p_start, uint64_t ui_p_end, int64_t pv_offset, uint64_t v_entry,
                 uint64_t dtb_p, uint64_t dtb_size)
{
    /* The loader's window maps all RAM, so the DTB is readable before our own tables. */
    const void *dtb = dtb_p ? (const void *)paddr_to_kptr(dtb_p) : 0;
    if (dtb && fdt_check(dtb, dtb_size) != 0) {
        dtb = 0;
    }
    struct region_list ram = {0};
    find_ram(&ram, dtb);
    kernel_vspace_init(&ram);
    ks_ram = ram;
    uart_init(KDEV_UART);
    kprintf("\nKairos: seL4 MCS API microkernel for AArch64 (%s, %s, %s)\n", PLAT_NAME,
            cpu_name(), irq_controller_name());

    cpu_init();
    irq_controller_init();
    timer_init();
    sched_init();
    irq_init();
    ks_cur_time = timer_now();
    domain_init(ks_cur_time);
    thread_init_idle();
    vspace_gen_bump(); /* from here no thread's zeroed TTBR cache is valid (vspace.h) */

    struct region_list free = ram;
    uint64_t k_start = kptr_to_paddr(_kernel_start), k_end = kptr_to_paddr(_kernel_end);
    region_list_remove(&free, k_start, k_end);
    region_list_remove(&free, ui_p_start, ui_p_end);
    /* Whole pages: the same range goes back to free memory once the DTB is copied, and
     * nothing allocated in between may sit in it. */
    uint64_t dtb_start = dtb_p & ~MASK(PAGE_BITS);
    uint64_t dtb_end = (dtb_p + dtb_size + MASK(PAGE_BITS)) & ~MASK(PAGE_BITS);
    if (dtb) {
        region_list_remove(&free, dtb_start, dtb_end);
        remove_reserved(&free, dtb);
    }
    kprintf("kairos: RAM %lu MiB, kernel 0x%lx..0x%lx, root task 0x%lx..0x%lx, timer %lu Hz\n",
            region_list_total(&ram) >> MIB_SHIFT, k_start, k_end, ui_p_start, ui_p_end,
            timer_frequency());

    struct user_image ui = {ui_p_start, ui_p_end, pv_offset, v_entry};
    struct tcb *root = rootserver_create(&free, &ui, dtb, dtb ? dtb_size : 0);
    if (!root) {
        boot_failed("not enough memory for the root task");
    }
    /* The DTB now lives on in the extra BootInfo; its old copy is free memory. */
    if (dtb) {
        region_list_add(&free, dtb_start, dtb_end);
    }
    rootserver_create_untypeds(&free, &ram, cpu_pa_bits());

    ks_cur_thread = root;
    kprintf("kairos: entering the root task at 0x%lx\n", v_entry);
    kernel_exit();
}
