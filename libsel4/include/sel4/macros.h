/* sel4/macros.h — small helper macros shared by the libsel4 headers.
 * Host-compilable: no architecture or runtime dependencies. */
#pragma once

/* Every libsel4 stub is a static inline function, as upstream's are, so a program's
 * binary contains only the instructions and never calls into a shared library. */
#define LIBSEL4_INLINE_FUNC static inline
#define LIBSEL4_INLINE static inline

#define LIBSEL4_UNUSED __attribute__((__unused__))
#define LIBSEL4_NORETURN __attribute__((__noreturn__))

/* libsel4 avoids <stddef.h>'s NULL so that it never depends on a C library. */
#ifdef __cplusplus
#define seL4_Null 0L
#else
#define seL4_Null ((void *)0)
#endif

#define LIBSEL4_BIT(n) (1ul << (n))

/* Upstream enums carry an extra enumerator that forces the type to be word sized, so an
 * enum stored in a struct has the same size with either library. */
#define SEL4_FORCE_LONG_ENUM(type) _enum_pad_##type = (1ull << (sizeof(long) * 8 - 1)) - 1

/* Compile-time layout checks: the message names what broke. */
#define SEL4_COMPILE_ASSERT(name, expr) _Static_assert(expr, #name)
