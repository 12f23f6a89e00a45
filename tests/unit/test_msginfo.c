/* libsel4 word formats on the host: MessageInfo packing (ABI §1.2), CapRights and the
 * CNode guard word (§1.3), against hand-computed words. */
#define CHECK_SUITE "msginfo"
#include "check.h"

#include <sel4/types.h>
#include <stdint.h>

#define LABEL_BITS 52
#define LABEL_SHIFT 12

TEST(message_info_layout)
{
    /* label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0 */
    seL4_MessageInfo_t m = seL4_MessageInfo_new(0x123, 5, 2, 0x45);
    CHECK_EQ(m.words[0], (0x123ull << LABEL_SHIFT) | (5ull << 9) | (2ull << 7) | 0x45);
    CHECK_EQ(seL4_MessageInfo_get_label(m), 0x123);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(m), 5);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(m), 2);
    CHECK_EQ(seL4_MessageInfo_get_length(m), 0x45);
}

TEST(message_info_field_limits)
{
    uint64_t max_label = (1ull << LABEL_BITS) - 1;
    seL4_MessageInfo_t m = seL4_MessageInfo_new(max_label, 7, 3, seL4_MsgMaxLength);
    CHECK_EQ(seL4_MessageInfo_get_label(m), max_label);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(m), 7);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(m), seL4_MsgMaxExtraCaps);
    CHECK_EQ(seL4_MessageInfo_get_length(m), 120);
    /* Each field alone occupies exactly its bits. */
    CHECK_EQ(seL4_MessageInfo_new(max_label, 0, 0, 0).words[0], max_label << LABEL_SHIFT);
    CHECK_EQ(seL4_MessageInfo_new(0, 7, 0, 0).words[0], 0x7ull << 9);
    CHECK_EQ(seL4_MessageInfo_new(0, 0, 3, 0).words[0], 0x3ull << 7);
    CHECK_EQ(seL4_MessageInfo_new(0, 0, 0, 0x7f).words[0], 0x7full);
}

TEST(message_info_setters_leave_other_fields)
{
    seL4_MessageInfo_t m = seL4_MessageInfo_new(1, 2, 3, 4);
    m = seL4_MessageInfo_set_label(m, 0xabcdef);
    m = seL4_MessageInfo_set_length(m, 9);
    CHECK_EQ(seL4_MessageInfo_get_label(m), 0xabcdef);
    CHECK_EQ(seL4_MessageInfo_get_capsUnwrapped(m), 2);
    CHECK_EQ(seL4_MessageInfo_get_extraCaps(m), 3);
    CHECK_EQ(seL4_MessageInfo_get_length(m), 9);
}

TEST(cap_rights_bits)
{
    /* bit 0 write, 1 read, 2 grant, 3 grant-reply */
    CHECK_EQ(seL4_CapRights_new(0, 0, 0, 1).words[0], 0x1);
    CHECK_EQ(seL4_CapRights_new(0, 0, 1, 0).words[0], 0x2);
    CHECK_EQ(seL4_CapRights_new(0, 1, 0, 0).words[0], 0x4);
    CHECK_EQ(seL4_CapRights_new(1, 0, 0, 0).words[0], 0x8);
    CHECK_EQ(seL4_AllRights.words[0], 0xf);
    CHECK_EQ(seL4_CanRead.words[0], 0x2);
    CHECK_EQ(seL4_CanWrite.words[0], 0x1);
    CHECK_EQ(seL4_NoRights.words[0], 0x0);
}

TEST(cnode_guard_word)
{
    /* guard in bits 63..6, guard size in bits 5..0 */
    seL4_CNode_CapData_t g = seL4_CNode_CapData_new(0x2a, 12);
    CHECK_EQ(g.words[0], (0x2aull << 6) | 12);
    CHECK_EQ(seL4_CNode_CapData_get_guard(g), 0x2a);
    CHECK_EQ(seL4_CNode_CapData_get_guardSize(g), 12);
}


