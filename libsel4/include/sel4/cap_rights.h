/* sel4/cap_rights.h — seL4_CapRights_t, the access-rights word of CNode_Copy/Mint and
 * ARM_Page_Map (ABI page §1.3), and the usual rights constants. Host-compilable. */
#pragma once

#include <sel4/constants.h>
#include <sel4/macros.h>
#include <sel4/message_info.h>
#include <sel4/simple_types.h>

typedef struct seL4_CapRights {
    seL4_Uint64 words[1];
} seL4_CapRights_t;

/* One bit per right; bits 63..4 are zero. */
#define SEL4_CAPRIGHTS_WRITE_BIT 0
#define SEL4_CAPRIGHTS_READ_BIT 1
#define SEL4_CAPRIGHTS_GRANT_BIT 2
#define SEL4_CAPRIGHTS_GRANTREPLY_BIT 3

SEL4_COMPILE_ASSERT(caprights_is_one_word, sizeof(seL4_CapRights_t) == sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(caprights_bits_fit, SEL4_CAPRIGHTS_GRANTREPLY_BIT < seL4_CapRightsBits);

LIBSEL4_INLINE seL4_CapRights_t seL4_CapRights_new(seL4_Uint64 capAllowGrantReply,
                                                   seL4_Uint64 capAllowGrant,
                                                   seL4_Uint64 capAllowRead,
                                                   seL4_Uint64 capAllowWrite)
{
    seL4_CapRights_t rights = {{((capAllowGrantReply & 1) << SEL4_CAPRIGHTS_GRANTREPLY_BIT) |
                                ((capAllowGrant & 1) << SEL4_CAPRIGHTS_GRANT_BIT) |
                                ((capAllowRead & 1) << SEL4_CAPRIGHTS_READ_BIT) |
                                ((capAllowWrite & 1) << SEL4_CAPRIGHTS_WRITE_BIT)}};
    return rights;
}

LIBSEL4_INLINE seL4_Uint64 seL4_CapRights_get_capAllowGrantReply(seL4_CapRights_t r)
{
    return seL4_WordField_get(r.words[0], SEL4_CAPRIGHTS_GRANTREPLY_BIT, 1);
}

LIBSEL4_INLINE seL4_Uint64 seL4_CapRights_get_capAllowGrant(seL4_CapRights_t r)
{
    return seL4_WordField_get(r.words[0], SEL4_CAPRIGHTS_GRANT_BIT, 1);
}

LIBSEL4_INLINE seL4_Uint64 seL4_CapRights_get_capAllowRead(seL4_CapRights_t r)
{
    return seL4_WordField_get(r.words[0], SEL4_CAPRIGHTS_READ_BIT, 1);
}

LIBSEL4_INLINE seL4_Uint64 seL4_CapRights_get_capAllowWrite(seL4_CapRights_t r)
{
    return seL4_WordField_get(r.words[0], SEL4_CAPRIGHTS_WRITE_BIT, 1);
}

LIBSEL4_INLINE seL4_CapRights_t seL4_CapRights_set_capAllowGrantReply(seL4_CapRights_t r,
                                                                      seL4_Uint64 v)
{
    r.words[0] = seL4_WordField_set(r.words[0], SEL4_CAPRIGHTS_GRANTREPLY_BIT, 1, v);
    return r;
}

LIBSEL4_INLINE seL4_CapRights_t seL4_CapRights_set_capAllowGrant(seL4_CapRights_t r,
                                                                 seL4_Uint64 v)
{
    r.words[0] = seL4_WordField_set(r.words[0], SEL4_CAPRIGHTS_GRANT_BIT, 1, v);
    return r;
}

LIBSEL4_INLINE seL4_CapRights_t seL4_CapRights_set_capAllowRead(seL4_CapRights_t r, seL4_Uint64 v)
{
    r.words[0] = seL4_WordField_set(r.words[0], SEL4_CAPRIGHTS_READ_BIT, 1, v);
    return r;
}

LIBSEL4_INLINE seL4_CapRights_t seL4_CapRights_set_capAllowWrite(seL4_CapRights_t r,
                                                                 seL4_Uint64 v)
{
    r.words[0] = seL4_WordField_set(r.words[0], SEL4_CAPRIGHTS_WRITE_BIT, 1, v);
    return r;
}

/* Argument order: grant-reply, grant, read, write. */
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)
#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
