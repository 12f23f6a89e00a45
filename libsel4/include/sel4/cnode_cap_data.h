/* sel4/cnode_cap_data.h — seL4_CNode_CapData_t, the guard word given as cspace_root_data or
 * as the badge argument when minting a CNode capability (ABI page §1.3). Host-compilable. */
#pragma once

#include <sel4/constants.h>
#include <sel4/macros.h>
#include <sel4/message_info.h>
#include <sel4/simple_types.h>

typedef struct seL4_CNode_CapData {
    seL4_Uint64 words[1];
} seL4_CNode_CapData_t;

/* guardSize in bits 5..0, guard in bits 63..6. */
#define SEL4_CNODE_CAPDATA_GUARDSIZE_SHIFT 0
#define SEL4_CNODE_CAPDATA_GUARD_SHIFT seL4_GuardSizeBits

SEL4_COMPILE_ASSERT(cnode_capdata_is_one_word,
                    sizeof(seL4_CNode_CapData_t) == sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(cnode_capdata_fields_fill_word,
                    SEL4_CNODE_CAPDATA_GUARD_SHIFT + seL4_GuardBits == seL4_WordBits);

LIBSEL4_INLINE seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Uint64 guard,
                                                           seL4_Uint64 guardSize)
{
    seL4_CNode_CapData_t data = {{0}};
    data.words[0] = seL4_WordField_set(data.words[0], SEL4_CNODE_CAPDATA_GUARD_SHIFT,
                                       seL4_GuardBits, guard);
    data.words[0] = seL4_WordField_set(data.words[0], SEL4_CNODE_CAPDATA_GUARDSIZE_SHIFT,
                                       seL4_GuardSizeBits, guardSize);
    return data;
}

LIBSEL4_INLINE seL4_Uint64 seL4_CNode_CapData_get_guard(seL4_CNode_CapData_t data)
{
    return seL4_WordField_get(data.words[0], SEL4_CNODE_CAPDATA_GUARD_SHIFT, seL4_GuardBits);
}

LIBSEL4_INLINE seL4_Uint64 seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_t data)
{
    return seL4_WordField_get(data.words[0], SEL4_CNODE_CAPDATA_GUARDSIZE_SHIFT,
                              seL4_GuardSizeBits);
}

LIBSEL4_INLINE seL4_CNode_CapData_t seL4_CNode_CapData_set_guard(seL4_CNode_CapData_t data,
                                                                 seL4_Uint64 v)
{
    data.words[0] = seL4_WordField_set(data.words[0], SEL4_CNODE_CAPDATA_GUARD_SHIFT,
                                       seL4_GuardBits, v);
    return data;
}

LIBSEL4_INLINE seL4_CNode_CapData_t seL4_CNode_CapData_set_guardSize(seL4_CNode_CapData_t data,
                                                                     seL4_Uint64 v)
{
    data.words[0] = seL4_WordField_set(data.words[0], SEL4_CNODE_CAPDATA_GUARDSIZE_SHIFT,
                                       seL4_GuardSizeBits, v);
    return data;
}
