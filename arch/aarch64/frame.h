/* Frame (page) methods, manual §10.7.6: Map, Unmap, GetAddress and the cache operations. */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include "kernel/invocation.h"

enum exception frame_decode(struct invocation *inv);

#endif
