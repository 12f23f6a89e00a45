/* File helpers of the host tools; see hostio.h. */
#include "hostio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_CHUNK (1u << 16)
#define DIR_MODE 0777 /* before the umask */

char *hostio_read_stream(FILE *f, size_t *len)
{
    char *data = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (cap - *len < READ_CHUNK) {
            size_t grow = cap ? cap * 2 : READ_CHUNK;
            char *bigger = realloc(data, grow + 1); /* + 1: the NUL always fits */
            if (bigger == NULL) {
                free(data);
                errno = ENOMEM;
                return NULL;
            }
            data = bigger;
            cap = grow;
        }
        size_t n = fread(data + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0) {
            break;
        }
    }
    if (ferror(f)) {
        free(data);
        errno = EIO;
        return NULL;
    }
    data[*len] = '\0';
    return data;
}

char *hostio_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *data = hostio_read_stream(f, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return data;
}

bool hostio_make_dirs(const char *path)
{
    char *p = strdup(path);
    if (p == NULL) {
        return false;
    }
    bool ok = true;
    for (char *s = p + 1; ok; s++) {
        bool end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            ok = mkdir(p, DIR_MODE) == 0 || errno == EEXIST;
            *s = '/';
        }
        if (end) {
            break;
        }
    }
    free(p);
    struct stat st;
    return ok && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
