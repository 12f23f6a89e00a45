/* What destroying an object involves, per capability type: the "finalise" step before a
 * cap's slot is emptied. */
#ifndef KERNEL_FINALISE_H
#define KERNEL_FINALISE_H

#include <stdbool.h>

#include "kernel/cap.h"

struct finalise_result {
    cap_t remainder; /* null when done, a zombie when slots remain to be cleared */
    cap_t cleanup;   /* work left for after the slot is empty (IRQ handlers) */
};

/* final: no other cap names the object. */
struct finalise_result finalise_cap(cap_t cap, bool final);
/* Runs the cleanup a finalise left for after the slot was emptied. */
void finalise_post_delete(cap_t cleanup);

#endif
