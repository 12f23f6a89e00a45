/* kpack: packs the kernel ELF, the root-task ELF and optionally a DTB into the boot payload the
 * loader reads (format in arch/aarch64/loader/payload.h), after validating each input. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/aarch64/loader/elf.h"
#include "arch/aarch64/loader/payload.h"
#include "lib/fdt.h"

#define KPACK_MAX_INPUT (1ull << 30)    /* refuse inputs above 1 GiB: surely a wrong file */

struct input {
    const char *path;
    uint32_t kind;
    uint8_t *data;
    size_t size;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: kpack -o PAYLOAD --kernel KERNEL.elf --user ROOT.elf [--dtb BOARD.dtb] [-v]\n"
            "\n"
            "Pack the Kairos boot payload: a header and the given files, each at a 4096-byte\n"
            "aligned offset, in the order kernel, user, dtb.\n"
            "\n"
            "  -o, --output FILE  payload to write\n"
            "      --kernel FILE  kernel: static little-endian AArch64 ELF executable\n"
            "      --user FILE    root task: static little-endian AArch64 ELF executable\n"
            "      --dtb FILE     device tree blob (optional; without it the loader uses the\n"
            "                     DTB the boot loader passes, e.g. U-Boot's x0)\n"
            "  -v, --verbose      print where each file went\n"
            "  -h, --help         show this help\n");
}

/* Read a whole file into memory; NULL with a message on failure. */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "kpack: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    size_t cap = 0;
    for (;;) {
        if (len == cap) {
            size_t grow = cap ? cap * 2 : 1u << 16;
            if (grow > KPACK_MAX_INPUT + 1) {
                grow = KPACK_MAX_INPUT + 1;
            }
            if (grow == cap) {
                fprintf(stderr, "kpack: %s: larger than %llu bytes\n", path,
                        (unsigned long long)KPACK_MAX_INPUT);
                goto fail;
            }
            uint8_t *bigger = realloc(data, grow);
            if (bigger == NULL) {
                fprintf(stderr, "kpack: %s: out of memory\n", path);
                goto fail;
            }
            data = bigger;
            cap = grow;
        }
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "kpack: %s: read error\n", path);
        goto fail;
    }
    if (len == 0) {
        fprintf(stderr, "kpack: %s: empty file\n", path);
        goto fail;
    }
    fclose(f);
    *size = len;
    return data;
fail:
    fclose(f);
    free(data);
    return NULL;
}

static const char *kind_name(uint32_t kind)
{
    switch (kind) {
    case PAYLOAD_KERNEL:
        return "kernel";
    case PAYLOAD_USER:
        return "user";
    case PAYLOAD_DTB:
        return "dtb";
    default:
        return "?";
    }
}

/* The same checks the loader applies, so a payload kpack writes is one the loader accepts. */
static bool validate(const struct input *in)
{
    if (in->kind == PAYLOAD_DTB) {
        int rc = fdt_check(in->data, in->size);
        if (rc != 0) {
            fprintf(stderr, "kpack: %s: not a valid device tree blob: %s\n", in->path,
                    fdt_error_name(rc));
            return false;
        }
        if (fdt_total_size(in->data) != in->size) {
            fprintf(stderr, "kpack: %s: warning: %zu bytes after the DTB's totalsize %u\n",
                    in->path, in->size - fdt_total_size(in->data), fdt_total_size(in->data));
        }
        return true;
    }
    struct elf_image img;
    enum elf_status st = elf_open(&img, in->data, in->size);
    if (st != ELF_OK) {
        fprintf(stderr, "kpack: %s: %s is not a valid AArch64 executable: %s\n", in->path,
                kind_name(in->kind), elf_status_name(st));
        return false;
    }
    return true;
}

static uint64_t align_up(uint64_t v)
{
    return (v + PAYLOAD_ALIGN - 1) / PAYLOAD_ALIGN * PAYLOAD_ALIGN;
}

/* Lay the inputs out after the header and return the whole payload image. */
static uint8_t *assemble(const struct input *inputs, uint32_t count, size_t *total)
{
    struct payload_header hdr;
    uint64_t offset = align_up(PAYLOAD_HEADER_BYTES);

    memset(&hdr, 0, sizeof(hdr));
    hdr.magic = PAYLOAD_MAGIC;
    hdr.version = PAYLOAD_VERSION;
    hdr.count = count;
    for (uint32_t i = 0; i < count; i++) {
        hdr.entries[i].kind = inputs[i].kind;
        hdr.entries[i].offset = offset;
        hdr.entries[i].size = inputs[i].size;
        *total = (size_t)(offset + inputs[i].size);    /* inputs are capped at 1 GiB each */
        offset = align_up(offset + inputs[i].size);
    }
    uint8_t *image = calloc(1, *total);     /* zero padding between blobs */
    if (image == NULL) {
        fprintf(stderr, "kpack: out of memory\n");
        return NULL;
    }
    payload_encode_header(&hdr, image);
    for (uint32_t i = 0; i < count; i++) {
        memcpy(image + hdr.entries[i].offset, inputs[i].data, inputs[i].size);
    }
    return image;
}

static bool write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "kpack: %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(data, 1, size, f) == size;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "kpack: %s: write error\n", path);
        remove(path);
    }
    return ok;
}

/* Read the written payload back and find every input in it, byte for byte, as the loader will. */
static bool self_check(const char *path, const struct input *inputs, uint32_t count,
                       bool verbose)
{
    size_t size;
    uint8_t *data = read_file(path, &size);
    bool ok = data != NULL;

    for (uint32_t i = 0; ok && i < count; i++) {
        const void *blob;
        uint64_t blob_size;
        int rc = payload_find(data, size, inputs[i].kind, &blob, &blob_size);
        if (rc != 0 || blob_size != inputs[i].size
            || memcmp(blob, inputs[i].data, inputs[i].size) != 0) {
            fprintf(stderr, "kpack: %s: self-check failed for %s: %s\n", path,
                    kind_name(inputs[i].kind), rc ? payload_error_name(rc) : "content differs");
            ok = false;
        } else if (verbose) {
            printf("kpack: %s: %-6s %-40s offset 0x%08llx size %llu\n", path,
                   kind_name(inputs[i].kind), inputs[i].path,
                   (unsigned long long)((const uint8_t *)blob - data),
                   (unsigned long long)blob_size);
        }
    }
    free(data);
    if (!ok) {
        remove(path);
    }
    return ok;
}

/* Accept "--name VALUE" and "--name=VALUE"; returns the value or NULL if argv[*i] is not it. */
static const char *option_value(int argc, char **argv, int *i, const char *longname,
                                const char *shortname, bool *missing)
{
    const char *arg = argv[*i];
    size_t n = strlen(longname);

    if (strncmp(arg, longname, n) == 0 && arg[n] == '=') {
        return arg + n + 1;
    }
    if (strcmp(arg, longname) != 0 && (shortname == NULL || strcmp(arg, shortname) != 0)) {
        return NULL;
    }
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int main(int argc, char **argv)
{
    const char *output = NULL;
    struct input inputs[PAYLOAD_MAX_ENTRIES];
    const char *paths[PAYLOAD_DTB + 1] = {NULL};
    bool verbose = false;

    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return EXIT_SUCCESS;
        } else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            verbose = true;
        } else if ((v = option_value(argc, argv, &i, "--output", "-o", &missing)) != NULL) {
            output = v;
        } else if ((v = option_value(argc, argv, &i, "--kernel", NULL, &missing)) != NULL) {
            paths[PAYLOAD_KERNEL] = v;
        } else if ((v = option_value(argc, argv, &i, "--user", NULL, &missing)) != NULL) {
            paths[PAYLOAD_USER] = v;
        } else if ((v = option_value(argc, argv, &i, "--dtb", NULL, &missing)) != NULL) {
            paths[PAYLOAD_DTB] = v;
        } else {
            fprintf(stderr, "kpack: %s: %s (see kpack --help)\n", argv[i],
                    missing ? "missing value" : "unknown argument");
            return EXIT_FAILURE;
        }
    }
    if (output == NULL || paths[PAYLOAD_KERNEL] == NULL || paths[PAYLOAD_USER] == NULL) {
        fprintf(stderr, "kpack: -o, --kernel and --user are required (see kpack --help)\n");
        return EXIT_FAILURE;
    }

    uint32_t count = 0;
    bool ok = true;
    for (uint32_t kind = PAYLOAD_KERNEL; kind <= PAYLOAD_DTB; kind++) {
        if (paths[kind] == NULL) {
            continue;
        }
        struct input *in = &inputs[count++];
        in->path = paths[kind];
        in->kind = kind;
        in->data = read_file(in->path, &in->size);
        ok = ok && in->data != NULL && validate(in);
    }

    size_t total = 0;
    uint8_t *image = ok ? assemble(inputs, count, &total) : NULL;
    ok = image != NULL && write_file(output, image, total)
         && self_check(output, inputs, count, verbose);

    free(image);
    for (uint32_t i = 0; i < count; i++) {
        free(inputs[i].data);
    }
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
