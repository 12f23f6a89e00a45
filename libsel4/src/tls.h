/* tls.h — static thread-local storage for the initial thread (runtime-internal). */
#pragma once

#include <stdbool.h>

/* Lays out the image's PT_TLS template in a static area and points TPIDR_EL0 at it.
 * Prints the reason and returns false if the image cannot be set up. Code that touches
 * __thread variables must run in a function called after this returns (see runtime.c). */
bool kairos_tls_init_initial_thread(void);
