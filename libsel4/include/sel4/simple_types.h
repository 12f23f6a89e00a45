/* sel4/simple_types.h — the fixed-width integer types and the word/cptr types of the seL4 API
 * (LP64: seL4_Word is unsigned long, as upstream). Host-compilable. */
#pragma once

#include <sel4/macros.h>

typedef signed char seL4_Int8;
typedef unsigned char seL4_Uint8;
typedef signed short seL4_Int16;
typedef unsigned short seL4_Uint16;
typedef signed int seL4_Int32;
typedef unsigned int seL4_Uint32;
typedef signed long seL4_Int64;
typedef unsigned long seL4_Uint64;

typedef seL4_Int8 seL4_Bool;
#define seL4_True 1
#define seL4_False 0

typedef seL4_Uint64 seL4_Word;
typedef seL4_Word seL4_CPtr;
typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;
typedef seL4_Word seL4_SlotPos;
/* MCS time values (budgets, periods, consumed time) travel in microseconds in one word. */
typedef seL4_Uint64 seL4_Time;

/* Capability pointers named by the object they are expected to refer to. */
typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;

SEL4_COMPILE_ASSERT(int8_is_1_byte, sizeof(seL4_Int8) == 1 && sizeof(seL4_Uint8) == 1);
SEL4_COMPILE_ASSERT(int16_is_2_bytes, sizeof(seL4_Int16) == 2 && sizeof(seL4_Uint16) == 2);
SEL4_COMPILE_ASSERT(int32_is_4_bytes, sizeof(seL4_Int32) == 4 && sizeof(seL4_Uint32) == 4);
SEL4_COMPILE_ASSERT(int64_is_8_bytes, sizeof(seL4_Int64) == 8 && sizeof(seL4_Uint64) == 8);
SEL4_COMPILE_ASSERT(word_is_8_bytes, sizeof(seL4_Word) == 8);
SEL4_COMPILE_ASSERT(pointer_is_a_word, sizeof(void *) == sizeof(seL4_Word));
