/* tools/hostio.h — file helpers the host tools share (ktrace, rtexp). */
#ifndef TOOLS_HOSTIO_H
#define TOOLS_HOSTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Everything left in f, NUL-terminated (*len without the NUL); NULL with errno set. The
 * caller frees it; f stays open. */
char *hostio_read_stream(FILE *f, size_t *len);

/* The whole file at path, as hostio_read_stream. */
char *hostio_read_file(const char *path, size_t *len);

/* mkdir -p: makes each missing folder along path; whether path is a folder afterwards. */
bool hostio_make_dirs(const char *path);

#endif
