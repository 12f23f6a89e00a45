/* BootInfo consistency (manual ch. 9, ABI §6.2–6.5): slot regions, the untyped list
 * against the device tree's RAM and interrupt controller, extra BootInfo, placement. */
#include <kairos/string.h>

#include "lib/fdt.h"
#include "platform.h"
#include "systest.h"

#define PAGE 4096ul
#define MAX_RAM 8
/* Generous bound on RAM that is neither untyped nor accounted for by the user: the kernel
 * image (code, data, page tables, stack) and the alignment holes of boot allocation. */
#define KERNEL_RESERVE_BOUND (2ul << 20)

static seL4_BootInfo *bi(void)
{
    return seL4_GetBootInfo();
}

static uint64_t region_len(seL4_SlotRegion r)
{
    return r.end - r.start;
}

/* The device pages the kernel keeps from user space, from the platform's own list. */
struct held_range {
    uint64_t base, size;
};
#define HELD_RANGE(paddr, size, kernel_vaddr, user_available) {paddr, (user_available) ? 0 : size},
static const struct held_range kernel_devices[] = {PLAT_KERNEL_DEVICES(HELD_RANGE)};
#define NUM_KERNEL_DEVICES (sizeof(kernel_devices) / sizeof(kernel_devices[0]))

/* Interrupt controllers the platforms have, as their device trees name them. */
static const char *const irq_controllers[] = {"arm,cortex-a15-gic", "arm,gic-400", "arm,gic-v3",
                                              "brcm,bcm2836-l1-intc", "brcm,bcm2836-armctrl-ic"};

/* Every register frame of the interrupt controllers the device tree lists. */
static int controller_frames(const void *fdt, struct fdt_region *out, int max)
{
    int n = 0;
    for (unsigned int c = 0; c < sizeof(irq_controllers) / sizeof(irq_controllers[0]); c++) {
        int got = fdt_find_compatible_reg(fdt, irq_controllers[c], out + n, max - n);
        n += got > 0 ? got : 0;
    }
    return n;
}

static const void *boot_fdt(void)
{
    const seL4_BootInfoHeader *h = (const void *)((uintptr_t)bi() + PAGE);
    for (uint64_t off = 0; off + sizeof(*h) <= bi()->extraLen && h->len >= sizeof(*h);) {
        if (h->id == SEL4_BOOTINFO_HEADER_FDT) {
            return h + 1;
        }
        off += h->len;
        h = (const void *)((uintptr_t)h + h->len);
    }
    return NULL;
}

SYSTEST(bootinfo_basic_fields)
{
    CHECK_EQ(bi()->nodeID, 0);
    CHECK_EQ(bi()->numNodes, 1);
    CHECK_EQ(bi()->numIOPTLevels, 0);
    CHECK_EQ(bi()->initThreadDomain, 0);
    CHECK_EQ(bi()->initThreadCNodeSizeBits, KAIROS_ROOT_CNODE_BITS);
    CHECK_EQ(region_len(bi()->sharedFrames), 0);
    CHECK_EQ(region_len(bi()->ioSpaceCaps), 0);
    CHECK_EQ(region_len(bi()->schedcontrol), 1);
    /* The IPC buffer directly follows the image, the BootInfo frame the IPC buffer. */
    CHECK_EQ((uintptr_t)bi(), (uintptr_t)bi()->ipcBuffer + PAGE);
    CHECK_EQ((uintptr_t)bi()->ipcBuffer % PAGE, 0);
}

SYSTEST(bootinfo_slot_regions_disjoint_and_ordered)
{
    const seL4_SlotRegion r[] = {bi()->userImagePaging, bi()->extraBIPages, bi()->schedcontrol,
                                 bi()->userImageFrames, bi()->untyped,      bi()->empty};
    uint64_t next = seL4_NumInitialCaps;
    for (unsigned int i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        CHECK(r[i].start <= r[i].end);
        CHECK_EQ(r[i].start, next); /* upstream's creation order, no gaps */
        next = r[i].end;
    }
    CHECK_EQ(bi()->empty.end, 1ul << bi()->initThreadCNodeSizeBits);
    CHECK(region_len(bi()->empty) > 0);
    CHECK(region_len(bi()->userImageFrames) > 0);
    CHECK(region_len(bi()->userImagePaging) >= 3); /* at least one table per level */
}

SYSTEST(bootinfo_extra_bootinfo_holds_the_fdt)
{
    CHECK(bi()->extraLen > 0);
    CHECK_EQ(bi()->extraLen, region_len(bi()->extraBIPages) * PAGE);
    const void *fdt = boot_fdt();
    CHECK(fdt != NULL);
    if (fdt) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)fdt - 1;
        CHECK_EQ(fdt_check(fdt, h->len - sizeof(*h)), 0);
        CHECK(fdt_total_size(fdt) + sizeof(*h) <= h->len);
    }
}

SYSTEST(bootinfo_untyped_list_well_formed)
{
    uint64_t n = region_len(bi()->untyped);
    CHECK(n > 0);
    CHECK(n <= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS);
    for (uint64_t i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi()->untypedList[i];
        CHECK(u->sizeBits >= seL4_MinUntypedBits && u->sizeBits <= seL4_MaxUntypedBits);
        CHECK_EQ(u->paddr & ((1ul << u->sizeBits) - 1), 0);
        CHECK(u->isDevice == 0 || u->isDevice == 1);
        for (uint64_t j = i + 1; j < n; j++) {
            const seL4_UntypedDesc *v = &bi()->untypedList[j];
            uint64_t ue = u->paddr + (1ul << u->sizeBits), ve = v->paddr + (1ul << v->sizeBits);
            if (u->paddr < ve && v->paddr < ue) {
                systest_fail(__FILE__, __LINE__, "untypeds %lu and %lu overlap", i, j);
            }
        }
    }
}

static bool in_ranges(uint64_t a, uint64_t e, const struct fdt_region *r, int n)
{
    for (int i = 0; i < n; i++) {
        if (a >= r[i].base && e <= r[i].base + r[i].size) {
            return true;
        }
    }
    return false;
}

/* RAM untypeds lie in RAM and cover all of it but the boot images; device untypeds lie
 * outside RAM, and together with RAM and the interrupt controller they tile the whole
 * physical address space from 0 without a gap. */
SYSTEST(bootinfo_untypeds_cover_memory)
{
    const void *fdt = boot_fdt();
    CHECK(fdt != NULL);
    if (!fdt) {
        return;
    }
    struct fdt_region ram[MAX_RAM], gic[4];
    int nram = fdt_memory_regions(fdt, ram, MAX_RAM);
    CHECK(nram > 0);
    int ngic = controller_frames(fdt, gic, 4);
    CHECK(ngic > 0);
    uint64_t ram_total = 0, ut_ram = 0;
    for (int i = 0; i < nram; i++) {
        ram_total += ram[i].size;
    }
    uint64_t n = region_len(bi()->untyped);
    for (uint64_t i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi()->untypedList[i];
        uint64_t end = u->paddr + (1ul << u->sizeBits);
        bool ram_ut = in_ranges(u->paddr, end, ram, nram);
        if (u->isDevice) {
            for (int r = 0; r < nram; r++) {
                CHECK(end <= ram[r].base || u->paddr >= ram[r].base + ram[r].size);
            }
        } else {
            CHECK(ram_ut);
            ut_ram += 1ul << u->sizeBits;
        }
    }
    uint64_t user_known = region_len(bi()->userImageFrames) * PAGE + bi()->extraLen + 2 * PAGE +
                          (1ul << (bi()->initThreadCNodeSizeBits + seL4_SlotBits));
    CHECK(ut_ram <= ram_total);
    CHECK(ram_total - ut_ram <= user_known + KERNEL_RESERVE_BOUND);

    /* Walk the address space upwards: every address below the top device untyped is in
     * an untyped, in RAM, or in a device page the kernel keeps. */
    uint64_t addr = 0, top = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t end = bi()->untypedList[i].paddr + (1ul << bi()->untypedList[i].sizeBits);
        top = end > top ? end : top;
    }
    CHECK(top >= (1ul << 32));
    for (unsigned int guard = 0; addr < top && guard < 4 * n + 64; guard++) {
        bool advanced = false;
        for (uint64_t i = 0; i < n && !advanced; i++) {
            const seL4_UntypedDesc *u = &bi()->untypedList[i];
            if (u->paddr == addr) {
                addr += 1ul << u->sizeBits;
                advanced = true;
            }
        }
        for (int r = 0; r < nram && !advanced; r++) {
            if (addr >= ram[r].base && addr < ram[r].base + ram[r].size) {
                addr = ram[r].base + ram[r].size;
                advanced = true;
            }
        }
        for (unsigned int k = 0; k < NUM_KERNEL_DEVICES && !advanced; k++) {
            const struct held_range *h = &kernel_devices[k];
            if (addr >= h->base && addr < h->base + h->size) {
                addr = h->base + h->size;
                advanced = true;
            }
        }
        if (!advanced) {
            systest_fail(__FILE__, __LINE__, "physical address 0x%lx is in no untyped", addr);
            return;
        }
    }
    CHECK_EQ(addr, top);
}

/* Every untyped can be retyped without touching what the root task runs on: its own
 * objects (TCB, scheduling context, CNode, VSpace) must lie outside all of them. Retype a
 * 16-byte endpoint from each small RAM untyped and keep running. */
SYSTEST(bootinfo_untypeds_exclude_root_task_objects)
{
    seL4_CPtr slot = bi()->empty.end - 1;
    for (seL4_Word i = 0; i < region_len(bi()->untyped); i++) {
        const seL4_UntypedDesc *u = &bi()->untypedList[i];
        if (u->isDevice || u->sizeBits > 16) {
            continue;
        }
        seL4_CPtr ut = bi()->untyped.start + i;
        CHECK_EQ(
            seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1),
            seL4_NoError);
        /* Still alive: a system call returns, so our TCB and context are intact. */
        seL4_Yield();
        CHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, seL4_WordBits), seL4_NoError);
    }
}

/* The first untyped that holds [addr, addr + 1), or -1. */
static long untyped_holding(uint64_t addr)
{
    for (uint64_t i = 0; i < region_len(bi()->untyped); i++) {
        const seL4_UntypedDesc *u = &bi()->untypedList[i];
        if (addr >= u->paddr && addr - u->paddr < (1ul << u->sizeBits)) {
            return (long)i;
        }
    }
    return -1;
}

/* The kernel keeps only the interrupt-controller pages it drives, as upstream does (the
 * first page of each GICv2 frame; the GICv3 distributor and this core's redistributor):
 * the platform's list says which, those lie in no untyped, and every other page of the
 * controllers' frames in the device tree lies in a device untyped. */
SYSTEST(bootinfo_device_untypeds_withhold_only_the_kernels_controller_pages)
{
    const void *fdt = boot_fdt();
    CHECK(fdt != NULL);
    if (!fdt) {
        return;
    }
    struct fdt_region frames[8];
    int nframes = controller_frames(fdt, frames, 8);
    CHECK(nframes >= 1);
    unsigned int held_pages = 0;
    for (int f = 0; f < nframes; f++) {
        for (uint64_t a = frames[f].base; a < frames[f].base + frames[f].size; a += PAGE) {
            bool held = false;
            for (unsigned int k = 0; k < NUM_KERNEL_DEVICES; k++) {
                held |= a >= kernel_devices[k].base &&
                        a < kernel_devices[k].base + kernel_devices[k].size;
            }
            long u = untyped_holding(a);
            if (held) {
                CHECK_EQ(u, -1);
                held_pages++;
            } else {
                CHECK(u >= 0 && bi()->untypedList[u].isDevice);
            }
        }
    }
    /* Every page the kernel keeps belongs to a controller the device tree names. */
    unsigned int listed_pages = 0;
    for (unsigned int k = 0; k < NUM_KERNEL_DEVICES; k++) {
        listed_pages += (unsigned int)(kernel_devices[k].size / PAGE);
    }
    CHECK(held_pages >= 1);
    CHECK_EQ(held_pages, listed_pages);
}
