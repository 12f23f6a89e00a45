/* Frame (page) methods, manual §10.7.6: Map, Unmap, GetAddress and the cache operations. */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include "kernel/invocation.h"

/* Decodes a Frame invocation and, if it is valid, performs it. */
enum exception frame_invocation(struct invocation *inv);

#endif
