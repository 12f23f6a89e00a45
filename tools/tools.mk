# Host tools, included by the top-level Makefile. Expects TOP (repo root), HOSTCC, HOST_CFLAGS
# and HOST_BUILD (output dir, set before the include); uses Q (@ to hide commands) when set.
# Defines KPACK, the payload packer, built from the same parser sources the loader uses, so
# the packer accepts exactly what the loader will, KTRACE, the event-log converter, and RTEXP,
# the schedulability experiments' tool.

KPACK := $(HOST_BUILD)/kpack
KPACK_SRCS := tools/kpack.c arch/aarch64/loader/elf.c arch/aarch64/loader/payload.c lib/fdt.c
KPACK_HDRS := arch/aarch64/loader/elf.h arch/aarch64/loader/payload.h lib/fdt.h
KPACK_CFLAGS ?= $(HOST_CFLAGS)

$(KPACK): $(addprefix $(TOP)/,$(KPACK_SRCS) $(KPACK_HDRS))
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(KPACK_CFLAGS) -I$(TOP) -o $@ $(addprefix $(TOP)/,$(KPACK_SRCS))

# The event-log converter (docs/tracing.md), with the codec the root-task runtime streams with.
KTRACE := $(HOST_BUILD)/ktrace
KTRACE_SRCS := tools/ktrace/main.c tools/hostio.c tools/ktrace/ktrace_log.c tools/ktrace/ktrace_analyse.c \
    tools/ktrace/ktrace_windows.c tools/ktrace/ktrace_output.c libsel4/src/trace_codec.c
KTRACE_HDRS := tools/ktrace/ktrace_log.h tools/ktrace/ktrace_analyse.h \
    tools/ktrace/ktrace_windows.h tools/ktrace/ktrace_output.h \
    libsel4/include/kairos/trace_codec.h tools/hostio.h \
    libsel4/include/kairos/trace_format.h
KTRACE_CFLAGS ?= $(HOST_CFLAGS)

$(KTRACE): $(addprefix $(TOP)/,$(KTRACE_SRCS) $(KTRACE_HDRS))
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(KTRACE_CFLAGS) -I$(TOP)/libsel4/include -o $@ $(addprefix $(TOP)/,$(KTRACE_SRCS))

# The schedulability experiments' generator and result merger (docs/experiments.md); it
# writes the struct rtexp_batch images the experiment root task bench/rtexp reads.
RTEXP := $(HOST_BUILD)/rtexp
RTEXP_MODULES := tools/rtexp/json.c tools/rtexp/exp_file.c tools/rtexp/gen.c tools/rtexp/rta.c \
    tools/rtexp/batch.c tools/rtexp/results.c tools/rtexp/record_io.c tools/rtexp/merge.c \
    tools/rtexp/report.c
RTEXP_SRCS := tools/rtexp/main.c tools/hostio.c $(RTEXP_MODULES)
RTEXP_HDRS := $(patsubst %.c,%.h,$(RTEXP_MODULES)) tools/rtexp/record.h bench/rtexp/taskset.h \
    tools/hostio.h
RTEXP_CFLAGS ?= $(HOST_CFLAGS)

$(RTEXP): $(addprefix $(TOP)/,$(RTEXP_SRCS) $(RTEXP_HDRS))
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(RTEXP_CFLAGS) -I$(TOP)/tools/rtexp -I$(TOP)/bench/rtexp -o $@ \
	    $(addprefix $(TOP)/,$(RTEXP_SRCS)) -lm

.PHONY: tools
tools: $(KPACK) $(KTRACE) $(RTEXP)
