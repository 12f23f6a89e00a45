/* sel4/message_info.h — seL4_MessageInfo_t, the one-word message descriptor passed in x1
 * (ABI page §1.2), with constructors and field accessors. Host-compilable. */
#pragma once

#include <sel4/constants.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>

typedef struct seL4_MessageInfo {
    seL4_Uint64 words[1];
} seL4_MessageInfo_t;

/* Bit layout, low to high: length 6..0, extraCaps 8..7, capsUnwrapped 11..9, label 63..12. */
#define SEL4_MSGINFO_LENGTH_SHIFT 0
#define SEL4_MSGINFO_LENGTH_BITS seL4_MsgLengthBits
#define SEL4_MSGINFO_EXTRACAPS_SHIFT 7
#define SEL4_MSGINFO_EXTRACAPS_BITS seL4_MsgExtraCapBits
#define SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT 9
#define SEL4_MSGINFO_CAPSUNWRAPPED_BITS 3
#define SEL4_MSGINFO_LABEL_SHIFT 12
#define SEL4_MSGINFO_LABEL_BITS 52

/* Mask of a field `bits` wide, valid for 1..63 bits. */
#define SEL4_FIELD_MASK(bits) ((1ull << (bits)) - 1)

/* Constant-expression packing, so the layout can be checked at compile time below. */
#define SEL4_MSGINFO_PACK(label, caps_unwrapped, extra_caps, length)                           \
    ((((seL4_Uint64)(label) & SEL4_FIELD_MASK(SEL4_MSGINFO_LABEL_BITS))                         \
      << SEL4_MSGINFO_LABEL_SHIFT) |                                                            \
     (((seL4_Uint64)(caps_unwrapped) & SEL4_FIELD_MASK(SEL4_MSGINFO_CAPSUNWRAPPED_BITS))        \
      << SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT) |                                                    \
     (((seL4_Uint64)(extra_caps) & SEL4_FIELD_MASK(SEL4_MSGINFO_EXTRACAPS_BITS))                \
      << SEL4_MSGINFO_EXTRACAPS_SHIFT) |                                                        \
     (((seL4_Uint64)(length) & SEL4_FIELD_MASK(SEL4_MSGINFO_LENGTH_BITS))                       \
      << SEL4_MSGINFO_LENGTH_SHIFT))

SEL4_COMPILE_ASSERT(msginfo_is_one_word, sizeof(seL4_MessageInfo_t) == sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(msginfo_fields_are_contiguous,
                    SEL4_MSGINFO_LENGTH_SHIFT + SEL4_MSGINFO_LENGTH_BITS ==
                            SEL4_MSGINFO_EXTRACAPS_SHIFT &&
                        SEL4_MSGINFO_EXTRACAPS_SHIFT + SEL4_MSGINFO_EXTRACAPS_BITS ==
                            SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT &&
                        SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT + SEL4_MSGINFO_CAPSUNWRAPPED_BITS ==
                            SEL4_MSGINFO_LABEL_SHIFT &&
                        SEL4_MSGINFO_LABEL_SHIFT + SEL4_MSGINFO_LABEL_BITS == seL4_WordBits);
SEL4_COMPILE_ASSERT(msginfo_length_is_bits_6_0, SEL4_MSGINFO_PACK(0, 0, 0, ~0ull) == 0x7full);
SEL4_COMPILE_ASSERT(msginfo_extracaps_is_bits_8_7,
                    SEL4_MSGINFO_PACK(0, 0, ~0ull, 0) == 0x180ull);
SEL4_COMPILE_ASSERT(msginfo_capsunwrapped_is_bits_11_9,
                    SEL4_MSGINFO_PACK(0, ~0ull, 0, 0) == 0xe00ull);
SEL4_COMPILE_ASSERT(msginfo_label_is_bits_63_12,
                    SEL4_MSGINFO_PACK(~0ull, 0, 0, 0) == 0xfffffffffffff000ull);

/* Read or replace one field of a word; the value is truncated to the field's width. */
LIBSEL4_INLINE seL4_Uint64 seL4_WordField_get(seL4_Uint64 word, unsigned shift, unsigned bits)
{
    return (word >> shift) & SEL4_FIELD_MASK(bits);
}

LIBSEL4_INLINE seL4_Uint64 seL4_WordField_set(seL4_Uint64 word, unsigned shift, unsigned bits,
                                              seL4_Uint64 value)
{
    seL4_Uint64 mask = SEL4_FIELD_MASK(bits) << shift;
    return (word & ~mask) | ((value << shift) & mask);
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label,
                                                       seL4_Uint64 capsUnwrapped,
                                                       seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    seL4_MessageInfo_t info = {{SEL4_MSGINFO_PACK(label, capsUnwrapped, extraCaps, length)}};
    return info;
}

LIBSEL4_INLINE void seL4_MessageInfo_ptr_new(seL4_MessageInfo_t *info, seL4_Uint64 label,
                                             seL4_Uint64 capsUnwrapped, seL4_Uint64 extraCaps,
                                             seL4_Uint64 length)
{
    info->words[0] = SEL4_MSGINFO_PACK(label, capsUnwrapped, extraCaps, length);
}

/* label */
LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_get_label(seL4_MessageInfo_t info)
{
    return seL4_WordField_get(info.words[0], SEL4_MSGINFO_LABEL_SHIFT, SEL4_MSGINFO_LABEL_BITS);
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_label(seL4_MessageInfo_t info,
                                                             seL4_Uint64 v)
{
    info.words[0] = seL4_WordField_set(info.words[0], SEL4_MSGINFO_LABEL_SHIFT,
                                       SEL4_MSGINFO_LABEL_BITS, v);
    return info;
}

LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_ptr_get_label(const seL4_MessageInfo_t *info)
{
    return seL4_MessageInfo_get_label(*info);
}

LIBSEL4_INLINE void seL4_MessageInfo_ptr_set_label(seL4_MessageInfo_t *info, seL4_Uint64 v)
{
    *info = seL4_MessageInfo_set_label(*info, v);
}

/* capsUnwrapped */
LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t info)
{
    return seL4_WordField_get(info.words[0], SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT,
                              SEL4_MSGINFO_CAPSUNWRAPPED_BITS);
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_capsUnwrapped(seL4_MessageInfo_t info,
                                                                     seL4_Uint64 v)
{
    info.words[0] = seL4_WordField_set(info.words[0], SEL4_MSGINFO_CAPSUNWRAPPED_SHIFT,
                                       SEL4_MSGINFO_CAPSUNWRAPPED_BITS, v);
    return info;
}

LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_ptr_get_capsUnwrapped(const seL4_MessageInfo_t *info)
{
    return seL4_MessageInfo_get_capsUnwrapped(*info);
}

LIBSEL4_INLINE void seL4_MessageInfo_ptr_set_capsUnwrapped(seL4_MessageInfo_t *info,
                                                           seL4_Uint64 v)
{
    *info = seL4_MessageInfo_set_capsUnwrapped(*info, v);
}

/* extraCaps */
LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t info)
{
    return seL4_WordField_get(info.words[0], SEL4_MSGINFO_EXTRACAPS_SHIFT,
                              SEL4_MSGINFO_EXTRACAPS_BITS);
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_extraCaps(seL4_MessageInfo_t info,
                                                                 seL4_Uint64 v)
{
    info.words[0] = seL4_WordField_set(info.words[0], SEL4_MSGINFO_EXTRACAPS_SHIFT,
                                       SEL4_MSGINFO_EXTRACAPS_BITS, v);
    return info;
}

LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_ptr_get_extraCaps(const seL4_MessageInfo_t *info)
{
    return seL4_MessageInfo_get_extraCaps(*info);
}

LIBSEL4_INLINE void seL4_MessageInfo_ptr_set_extraCaps(seL4_MessageInfo_t *info, seL4_Uint64 v)
{
    *info = seL4_MessageInfo_set_extraCaps(*info, v);
}

/* length */
LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_get_length(seL4_MessageInfo_t info)
{
    return seL4_WordField_get(info.words[0], SEL4_MSGINFO_LENGTH_SHIFT, SEL4_MSGINFO_LENGTH_BITS);
}

LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_length(seL4_MessageInfo_t info,
                                                              seL4_Uint64 v)
{
    info.words[0] = seL4_WordField_set(info.words[0], SEL4_MSGINFO_LENGTH_SHIFT,
                                       SEL4_MSGINFO_LENGTH_BITS, v);
    return info;
}

LIBSEL4_INLINE seL4_Uint64 seL4_MessageInfo_ptr_get_length(const seL4_MessageInfo_t *info)
{
    return seL4_MessageInfo_get_length(*info);
}

LIBSEL4_INLINE void seL4_MessageInfo_ptr_set_length(seL4_MessageInfo_t *info, seL4_Uint64 v)
{
    *info = seL4_MessageInfo_set_length(*info, v);
}
