/* The default root task (`make run`): shows what Kairos hands a root task at boot. */
#include <kairos/debug.h>
#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdint.h>

#define MIB_SHIFT 20
#define KIB_SHIFT 10
#define PAGE_BYTES 4096ul

static uint64_t cntfrq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

static uint64_t cycles(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v));
    return v;
}

static const char *fdt_cpu(const seL4_BootInfo *bi)
{
    /* The CPU node's compatible string is the first "arm,cortex-a<digits>" on its own. */
    const char *p = (const char *)bi + PAGE_BYTES;
    static const char prefix[] = "arm,cortex-a";
    const seL4_Word plen = sizeof(prefix) - 1;
    for (seL4_Word i = 0; i + plen + 3 < bi->extraLen; i++) {
        seL4_Word k = 0;
        while (k < plen && p[i + k] == prefix[k]) {
            k++;
        }
        seL4_Word d = i + k;
        while (k == plen && d < bi->extraLen && p[d] >= '0' && p[d] <= '9') {
            d++;
        }
        if (k == plen && d > i + k && d < bi->extraLen && p[d] == '\0') {
            return p + i + 4; /* skip "arm," */
        }
    }
    return "unknown";
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    uint64_t ram = 0, device = 0, n_ram = 0, n_dev = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice) {
            device += 1ul << u->sizeBits;
            n_dev++;
        } else {
            ram += 1ul << u->sizeBits;
            n_ram++;
        }
    }
    printf("\n=== Kairos root task: hello from EL0 ===\n");
    printf("CPU:              %s, generic timer %lu Hz\n", fdt_cpu(bi), cntfrq());
    printf("untypeds:         %lu (%lu RAM, %lu device)\n", n_ram + n_dev, n_ram, n_dev);
    printf("free RAM:         %lu MiB (%lu KiB)\n", ram >> MIB_SHIFT, ram >> KIB_SHIFT);
    printf("device memory:    %lu GiB of physical address space\n", device >> 30);
    printf("root CNode:       2^%lu slots; empty slots [%lu, %lu)\n", bi->initThreadCNodeSizeBits,
           bi->empty.start, bi->empty.end);
    printf("image frames:     [%lu, %lu), paging [%lu, %lu), SchedControl %lu\n",
           bi->userImageFrames.start, bi->userImageFrames.end, bi->userImagePaging.start,
           bi->userImagePaging.end, bi->schedcontrol.start);
    printf("IPC buffer:       %p, BootInfo %p, extra BootInfo %lu bytes\n", (void *)bi->ipcBuffer,
           (void *)bi, bi->extraLen);
    uint64_t c0 = cycles();
    seL4_Yield();
    printf("one seL4_Yield:   %lu cycles (PMU cycle counter, read from EL0)\n", cycles() - c0);
    printf("=== done; powering off ===\n");
    return 0;
}
