/* Root task creation; see rootserver.h. Slot order after the fixed caps follows upstream
 * (ABI §6.3): paging caps, extra-BootInfo frames, SchedControl, image frames, untypeds. */
#include "kernel/rootserver.h"

#include <sel4/bootinfo_types.h>
#include <sel4/constants.h>

#include "arch/aarch64/asid.h"
#include "arch/aarch64/kernel_vspace.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/timer.h"
#include "arch/aarch64/vspace_boot.h"
#include "arch/aarch64/vspace_layout.h"
#include "kernel/cap.h"
#include "kernel/cap_ops.h"
#include "kernel/cdt.h"
#include "kernel/console.h"
#include "kernel/objects.h"
#include "kernel/thread.h"
#include "lib/string.h"
#include "platform.h"
#include "sched/domain.h"
#include "sched/scheduler.h"

#ifndef CONFIG_ROOT_CNODE_SIZE_BITS
#define CONFIG_ROOT_CNODE_SIZE_BITS 12
#endif
/* The root task's ASID: pool 0, entry 1 (entry 0 is never handed out). */
#define ROOTSERVER_ASID 1
#define ROOTSERVER_PRIORITY 255
#define BOOT_TIME_SLICE_US 5000u
#define PAGE_BYTES (1ul << seL4_PageBits)

struct tcb *ks_root_thread;

static struct {
    struct region_list *free;
    cte_t *cnode;
    uint64_t next_slot;
    seL4_BootInfo *bi;
    uint64_t vspace_pa;
    bool out_of_memory;
} rs;

static uint64_t slot_count(void)
{
    return 1ul << CONFIG_ROOT_CNODE_SIZE_BITS;
}

/* Boot caps are roots of the derivation tree: revocable originals with no parent. */
static void put_cap(uint64_t slot, cap_t cap)
{
    cdt_insert_new(cap, 0, &rs.cnode[slot]);
}

static uint64_t append_cap(cap_t cap)
{
    uint64_t slot = rs.next_slot++;
    put_cap(slot, cap);
    return slot;
}

/* Carves a zeroed, size-aligned object of 2^bits bytes out of free RAM. */
static uint64_t alloc_object(unsigned int bits)
{
    uint64_t pa = 0;
    if (!region_list_alloc(rs.free, bits, &pa)) {
        rs.out_of_memory = true;
        return 0;
    }
    memset((void *)paddr_to_kptr(pa), 0, 1ul << bits);
    return pa;
}

static bool alloc_table(void *ctx, uint64_t *pa)
{
    (void)ctx;
    *pa = alloc_object(seL4_PageTableBits);
    return *pa != 0;
}

static void record_table(void *ctx, uint64_t pa, uint64_t vaddr)
{
    (void)ctx;
    append_cap(cap_page_table_new(pa, true, ROOTSERVER_ASID, vaddr));
}

static cap_t map_frame(uint64_t vaddr, uint64_t pa, bool executable)
{
    vspace_boot_map_frame(rs.vspace_pa, vaddr, pa, true, executable);
    return cap_frame_new(pa, FRAME_4K, VM_READ_WRITE, false, true, ROOTSERVER_ASID, vaddr);
}

static unsigned int log2_ceil(uint64_t x)
{
    return x <= 1 ? 0 : 64u - (unsigned int)__builtin_clzll(x - 1);
}

/* The FDT chunk, then a padding chunk to the end of a power-of-two number of pages. */
static unsigned int extra_bi_bits(uint64_t dtb_size)
{
    if (!dtb_size) {
        return 0;
    }
    uint64_t bytes = 2 * sizeof(seL4_BootInfoHeader) + dtb_size;
    unsigned int bits = log2_ceil(bytes);
    return bits < seL4_PageBits ? seL4_PageBits : bits;
}

static void fill_extra_bi(uint64_t pa, unsigned int bits, const void *dtb, uint64_t dtb_size)
{
    uint8_t *p = (uint8_t *)paddr_to_kptr(pa);
    uint64_t fdt_len =
        (sizeof(seL4_BootInfoHeader) + dtb_size + sizeof(seL4_Word) - 1) & ~(sizeof(seL4_Word) - 1);
    seL4_BootInfoHeader fdt = {SEL4_BOOTINFO_HEADER_FDT, fdt_len};
    memcpy(p, &fdt, sizeof(fdt));
    memcpy(p + sizeof(fdt), dtb, dtb_size);
    seL4_BootInfoHeader pad = {SEL4_BOOTINFO_HEADER_PADDING, (1ul << bits) - fdt_len};
    memcpy(p + fdt_len, &pad, sizeof(pad));
}

static void init_thread_context(struct tcb *t, const struct user_image *ui, uint64_t bi_vaddr,
                                uint64_t ipc_vaddr)
{
    /* Everything zero but x0 = BootInfo, the entry PC and EL0t with FIQs masked
     * (and SErrors in release builds), ABI §6.2. */
    t->ctx.regs[CTX_X0] = bi_vaddr;
    t->ctx.regs[CTX_ELR] = ui->v_entry;
    t->ctx.regs[CTX_FAULT_IP] = ui->v_entry;
#ifdef CONFIG_DEBUG_BUILD
    t->ctx.regs[CTX_SPSR] = SPSR_MODE_EL0t | SPSR_F;
#else
    t->ctx.regs[CTX_SPSR] = SPSR_MODE_EL0t | SPSR_F | SPSR_A;
#endif
    t->state = THREAD_RUNNING;
    t->priority = ROOTSERVER_PRIORITY;
    t->mcp = ROOTSERVER_PRIORITY;
    t->domain = domain_initial();
    t->ipc_buffer_vaddr = ipc_vaddr;
    thread_set_name(t, "rootserver");
    /* The thread's own CSpace root, VSpace root and IPC-buffer caps, derived from the
     * boot caps like a TCB_Configure would. */
    static const struct {
        enum tcb_cnode_index tcb_slot;
        uint64_t from;
    } own[] = {{TCB_CTABLE, seL4_CapInitThreadCNode},
               {TCB_VTABLE, seL4_CapInitThreadVSpace},
               {TCB_BUFFER, seL4_CapInitThreadIPCBuffer}};
    for (unsigned int i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
        cte_t *src = &rs.cnode[own[i].from];
        cap_t copy;
        cap_derive(src->cap, false, &copy);
        cdt_insert(copy, src, tcb_slot(t, own[i].tcb_slot));
    }
}

struct tcb *rootserver_create(struct region_list *free, const struct user_image *ui,
                              const void *dtb, uint64_t dtb_size)
{
    rs.free = free;
    rs.next_slot = seL4_NumInitialCaps;

    uint64_t ui_v_start = ui->p_start - (uint64_t)ui->pv_offset;
    uint64_t ui_v_end = ui->p_end - (uint64_t)ui->pv_offset;
    uint64_t ipc_vaddr = ui_v_end;
    uint64_t bi_vaddr = ipc_vaddr + PAGE_BYTES;
    uint64_t extra_vaddr = bi_vaddr + PAGE_BYTES;
    unsigned int extra_bits = extra_bi_bits(dtb_size);
    uint64_t extra_bytes = extra_bits ? 1ul << extra_bits : 0;
    uint64_t v_end = extra_vaddr + extra_bytes;

    /* Largest objects first so alignment holes stay small. */
    uint64_t cnode_pa = alloc_object(CONFIG_ROOT_CNODE_SIZE_BITS + seL4_SlotBits);
    uint64_t extra_pa = extra_bits ? alloc_object(extra_bits) : 0;
    rs.vspace_pa = alloc_object(seL4_VSpaceBits);
    uint64_t pool_pa = alloc_object(seL4_ASIDPoolBits);
    uint64_t ipc_pa = alloc_object(seL4_PageBits);
    uint64_t bi_pa = alloc_object(seL4_BootInfoFrameBits);
    uint64_t tcb_pa = alloc_object(seL4_TCBBits);
    uint64_t sc_pa = alloc_object(seL4_MinSchedContextBits);
    if (rs.out_of_memory) {
        return 0;
    }
    rs.cnode = (cte_t *)paddr_to_kptr(cnode_pa);
    rs.bi = (seL4_BootInfo *)paddr_to_kptr(bi_pa);

    /* One level resolves a whole 64-bit cptr: the guard takes the bits above the radix. */
    put_cap(seL4_CapInitThreadCNode, cap_cnode_new(cnode_pa, CONFIG_ROOT_CNODE_SIZE_BITS,
                                                   seL4_WordBits - CONFIG_ROOT_CNODE_SIZE_BITS, 0));
    put_cap(seL4_CapInitThreadVSpace, cap_vspace_new(rs.vspace_pa, true, ROOTSERVER_ASID));
    put_cap(seL4_CapInitThreadTCB, cap_thread_new(tcb_pa));
    put_cap(seL4_CapIRQControl, cap_irq_control_new());
    put_cap(seL4_CapASIDControl, cap_asid_control_new());
    put_cap(seL4_CapInitThreadASIDPool, cap_asid_pool_new(pool_pa, 0));
    put_cap(seL4_CapDomain, cap_domain_new());
    put_cap(seL4_CapInitThreadSC, cap_sched_context_new(sc_pa, seL4_MinSchedContextBits));
    ((struct asid_pool *)paddr_to_kptr(pool_pa))->vspace[ROOTSERVER_ASID] = rs.vspace_pa;
    asid_table[0] = pool_pa;

    seL4_SlotPos paging_start = rs.next_slot;
    if (!vspace_boot_create_tables(rs.vspace_pa, ui_v_start, v_end, alloc_table, record_table, 0)) {
        return 0;
    }
    rs.bi->userImagePaging = (seL4_SlotRegion){paging_start, rs.next_slot};

    put_cap(seL4_CapInitThreadIPCBuffer, map_frame(ipc_vaddr, ipc_pa, false));
    put_cap(seL4_CapBootInfoFrame, map_frame(bi_vaddr, bi_pa, false));

    seL4_SlotPos extra_start = rs.next_slot;
    for (uint64_t off = 0; off < extra_bytes; off += PAGE_BYTES) {
        append_cap(map_frame(extra_vaddr + off, extra_pa + off, false));
    }
    rs.bi->extraBIPages = (seL4_SlotRegion){extra_start, rs.next_slot};
    if (extra_bits) {
        fill_extra_bi(extra_pa, extra_bits, dtb, dtb_size);
    }

    uint64_t sched_control = append_cap(cap_sched_control_new(0));
    rs.bi->schedcontrol = (seL4_SlotRegion){sched_control, sched_control + 1};

    seL4_SlotPos frames_start = rs.next_slot;
    for (uint64_t v = ui_v_start; v < ui_v_end; v += PAGE_BYTES) {
        append_cap(map_frame(v, v + (uint64_t)ui->pv_offset, true));
    }
    rs.bi->userImageFrames = (seL4_SlotRegion){frames_start, rs.next_slot};

    rs.bi->extraLen = extra_bytes;
    rs.bi->nodeID = 0;
    rs.bi->numNodes = CONFIG_MAX_NUM_NODES;
    rs.bi->numIOPTLevels = 0;
    rs.bi->ipcBuffer = (seL4_IPCBuffer *)ipc_vaddr;
    rs.bi->initThreadCNodeSizeBits = CONFIG_ROOT_CNODE_SIZE_BITS;
    rs.bi->initThreadDomain = domain_initial();

    struct tcb *t = tcb_from_object(ptr_from_paddr(tcb_pa));
    init_thread_context(t, ui, bi_vaddr, ipc_vaddr);

    /* The boot scheduling context: round robin with the boot time slice (ABI §6.2). */
    struct sched_context *sc = ptr_from_paddr(sc_pa);
    ticks_t slice = time_us_to_ticks(BOOT_TIME_SLICE_US, timer_frequency());
    sc->size_bits = seL4_MinSchedContextBits;
    refill_new(&sc->q, MIN_REFILLS, slice, slice, false, ks_cur_time);
    sc->tcb = t;
    t->sc = sc;
    ks_root_thread = t;
    return t;
}

struct untyped_ctx {
    bool device;
    unsigned int dropped;
};

static void emit_untyped(void *ctx, uint64_t base, unsigned int bits)
{
    struct untyped_ctx *u = ctx;
    seL4_BootInfo *bi = rs.bi;
    uint64_t index = rs.next_slot - bi->untyped.start;
    if (index >= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS || rs.next_slot >= slot_count()) {
        u->dropped++;
        return;
    }
    /* Born "used up": boot does not clear free RAM, so the first retype resets (clears)
     * the untyped, preemptibly, and only memory that is ever used costs that time. */
    append_cap(cap_untyped_new(base, bits, u->device, 1ull << bits));
    bi->untypedList[index] =
        (seL4_UntypedDesc){.paddr = base, .sizeBits = (seL4_Uint8)bits, .isDevice = u->device};
    bi->untyped.end = rs.next_slot;
}

void rootserver_create_untypeds(const struct region_list *free, const struct region_list *ram,
                                unsigned int pa_bits)
{
    seL4_BootInfo *bi = rs.bi;
    bi->untyped = (seL4_SlotRegion){rs.next_slot, rs.next_slot};

    struct region_list device = {0};
    region_list_add(&device, 0, 1ul << pa_bits);
    for (unsigned int i = 0; i < ram->count; i++) {
        region_list_remove(&device, ram->r[i].start, ram->r[i].end);
    }
    /* No user may ever own the device pages the kernel keeps (the interrupt controller's). */
    for (unsigned int i = 0; i < kernel_device_count; i++) {
        const struct kernel_device *k = &kernel_devices[i];
        if (!k->user_available) {
            region_list_remove(&device, k->paddr, k->paddr + k->size);
        }
    }

    struct untyped_ctx ctx = {.device = true};
    for (unsigned int i = 0; i < device.count; i++) {
        region_split_pow2(device.r[i].start, device.r[i].end, seL4_MinUntypedBits,
                          seL4_MaxUntypedBits, emit_untyped, &ctx);
    }
    ctx.device = false;
    for (unsigned int i = 0; i < free->count; i++) {
        region_split_pow2(free->r[i].start, free->r[i].end, seL4_MinUntypedBits,
                          seL4_MaxUntypedBits, emit_untyped, &ctx);
    }
    if (ctx.dropped) {
        kprintf("kairos: warning: %u untyped blocks did not fit in BootInfo\n", ctx.dropped);
    }
    bi->empty = (seL4_SlotRegion){rs.next_slot, slot_count()};
}
