# libsel4/build.mk — make fragment for the user-side library and root-task runtime.
# Included by the top-level Makefile, which sets TOP (the repo root) and owns every rule.

# Compile flags that make <sel4/sel4.h> and <kairos/...> visible to user code.
LIBSEL4_INCLUDES := -I$(TOP)/libsel4/include

# Everything a user image links with, relative to TOP: crt0 (_start), the runtime that
# sets up TLS and the IPC buffer and calls main, and the library's few out-of-line parts.
LIBSEL4_RUNTIME_SRCS := \
	libsel4/src/crt0.S \
	libsel4/src/runtime.c \
	libsel4/src/tls.c \
	libsel4/src/ipc_buffer.c \
	libsel4/src/bootinfo.c \
	libsel4/src/printf.c \
	lib/format.c \
	libsel4/src/string.c \
	libsel4/src/trace_codec.c \
	libsel4/src/trace_dump.c

# Every header, for dependency lists (objects of user programs depend on these).
LIBSEL4_HEADERS := $(wildcard $(TOP)/libsel4/include/sel4/*.h \
	$(TOP)/libsel4/include/sel4/arch/*.h $(TOP)/libsel4/include/kairos/*.h) \
	$(wildcard $(TOP)/libsel4/src/*.h)

# Host-compilable headers (no system calls), for host unit tests: sel4/types.h,
# sel4/constants.h and everything they include compile with the host gcc.
LIBSEL4_HOST_INCLUDES := $(LIBSEL4_INCLUDES)
