# Host tools, included by the top-level Makefile. Expects TOP (repo root), HOSTCC, HOST_CFLAGS
# and HOST_BUILD (output dir, set before the include); uses Q (@ to hide commands) when set.
# Defines KPACK, the payload packer, built from the same parser sources the loader uses, so
# the packer accepts exactly what the loader will.

KPACK := $(HOST_BUILD)/kpack
KPACK_SRCS := tools/kpack.c arch/aarch64/loader/elf.c arch/aarch64/loader/payload.c kernel/fdt.c
KPACK_HDRS := arch/aarch64/loader/elf.h arch/aarch64/loader/payload.h kernel/fdt.h
KPACK_CFLAGS ?= $(HOST_CFLAGS)

$(KPACK): $(addprefix $(TOP)/,$(KPACK_SRCS) $(KPACK_HDRS))
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(KPACK_CFLAGS) -I$(TOP) -o $@ $(addprefix $(TOP)/,$(KPACK_SRCS))

.PHONY: tools
tools: $(KPACK)
