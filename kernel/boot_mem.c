/* Boot-time physical memory regions; see boot_mem.h. */
#include "boot_mem.h"

static void list_delete(struct region_list *l, unsigned int i)
{
    for (; i + 1 < l->count; i++) {
        l->r[i] = l->r[i + 1];
    }
    l->count--;
}

static bool list_insert_at(struct region_list *l, unsigned int i, uint64_t start, uint64_t end)
{
    if (l->count == BOOT_MAX_REGIONS) {
        return false;
    }
    for (unsigned int j = l->count; j > i; j--) {
        l->r[j] = l->r[j - 1];
    }
    l->r[i] = (struct mem_region){start, end};
    l->count++;
    return true;
}

bool region_list_add(struct region_list *l, uint64_t start, uint64_t end)
{
    if (start >= end) {
        return true;
    }
    unsigned int i = 0;
    while (i < l->count && l->r[i].end < start) {
        i++;
    }
    /* Absorb every region that touches or overlaps the new one. */
    while (i < l->count && l->r[i].start <= end) {
        start = l->r[i].start < start ? l->r[i].start : start;
        end = l->r[i].end > end ? l->r[i].end : end;
        list_delete(l, i);
    }
    return list_insert_at(l, i, start, end);
}

bool region_list_remove(struct region_list *l, uint64_t start, uint64_t end)
{
    if (start >= end) {
        return true;
    }
    for (unsigned int i = 0; i < l->count; i++) {
        struct mem_region *r = &l->r[i];
        if (r->end <= start || r->start >= end) {
            continue;
        }
        if (r->start < start && r->end > end) {
            uint64_t tail_end = r->end;
            if (!list_insert_at(l, i + 1, end, tail_end)) {
                return false;
            }
            l->r[i].end = start;
            return true;
        }
        if (r->start < start) {
            r->end = start;
        } else if (r->end > end) {
            r->start = end;
        } else {
            list_delete(l, i);
            i--;
        }
    }
    return true;
}

bool region_list_alloc(struct region_list *l, unsigned int size_bits, uint64_t *out)
{
    if (size_bits >= 64) {
        return false;
    }
    uint64_t size = 1ull << size_bits;
    for (unsigned int i = 0; i < l->count; i++) {
        uint64_t base = (l->r[i].start + size - 1) & ~(size - 1);
        if (base < l->r[i].start || base > l->r[i].end || l->r[i].end - base < size) {
            continue;
        }
        if (!region_list_remove(l, base, base + size)) {
            return false;
        }
        *out = base;
        return true;
    }
    return false;
}

uint64_t region_list_total(const struct region_list *l)
{
    uint64_t total = 0;
    for (unsigned int i = 0; i < l->count; i++) {
        total += l->r[i].end - l->r[i].start;
    }
    return total;
}

static unsigned int floor_log2(uint64_t x)
{
    return 63u - (unsigned int)__builtin_clzll(x);
}

unsigned int region_split_pow2(uint64_t start, uint64_t end, unsigned int min_bits,
                               unsigned int max_bits, pow2_block_fn emit, void *ctx)
{
    unsigned int n = 0;
    uint64_t min_size = 1ull << min_bits;
    start = (start + min_size - 1) & ~(min_size - 1);
    while (start < end && end - start >= min_size) {
        unsigned int bits = floor_log2(end - start);
        if (start != 0 && (unsigned int)__builtin_ctzll(start) < bits) {
            bits = (unsigned int)__builtin_ctzll(start);
        }
        if (bits > max_bits) {
            bits = max_bits;
        }
        emit(ctx, start, bits);
        n++;
        start += 1ull << bits;
        if (start == 0) {
            break; /* wrapped past the top of the address space */
        }
    }
    return n;
}
