/* What the kernel knows about capabilities as values: which object or region a cap names,
 * how caps derive from one another (manual §3.1.4–3.1.5, Table 3.2) and how Copy, Mint and
 * Mutate change rights, badges and guards. Pure functions of cap words. */
#ifndef KERNEL_CAP_OPS_H
#define KERNEL_CAP_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap.h"

/* Caps that name memory (objects, untyped regions). */
bool cap_is_physical(cap_t c);
/* log2 bytes of the memory a physical cap names; 0 otherwise. */
unsigned int cap_size_bits(cap_t c);
/* b's object or region lies within what a names (a's region "contains" b). */
bool cap_same_region_as(cap_t a, cap_t b);
/* a and b name the same object (an untyped never does). */
bool cap_same_object_as(cap_t a, cap_t b);
/* A cap derived from src that starts its own line of descendants: a newly badged
 * endpoint or notification, an IRQ handler from IRQControl, any untyped. */
bool cap_is_revocable(cap_t derived, cap_t src);
/* Rights masking (Copy, Mint): never more than the source had. */
cap_t cap_mask_rights(unsigned int rights, cap_t c);
/* Mint (preserve = false) and Mutate/Rotate (preserve = true) argument: a badge for an
 * unbadged endpoint or notification, a guard for a CNode. A null cap means "not allowed". */
cap_t cap_update_data(bool preserve, uint64_t data, cap_t c);

enum derive_status { DERIVE_OK, DERIVE_REVOKE_FIRST, DERIVE_ILLEGAL };
/* What a copy of c looks like, or why there can be none; untyped_has_children tells
 * whether the source untyped already has children. A null result cap means "no copy". */
enum derive_status cap_derive(cap_t c, bool untyped_has_children, cap_t *out);

#endif
