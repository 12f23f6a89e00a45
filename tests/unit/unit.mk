# Host unit tests of pure modules, included by the top-level Makefile.
# Expects TOP (repo root), HOSTCC, HOST_CFLAGS (with the sanitizers) and UNIT_BUILD (output dir,
# set before the include); uses Q (@ to hide commands) and CROSS_COMPILE when set.
# `make unit-test` builds $(UNIT_BUILD)/test_<name> for each name in UNIT_TESTS, runs them all,
# prints their "PASS unit/<test>/<case>" / "FAIL unit/<test>/<case>: why" lines, collects them
# in $(UNIT_RESULTS) and ends with "unit: N passed, M failed" (non-zero exit on any failure).
#
# To add a test: append its name to UNIT_TESTS and define UNIT_SRCS_<name> (repo-relative);
# optionally UNIT_DATA_<name> (files it needs built first) and UNIT_CFLAGS_<name>.

UNIT_TESTS := elf fdt time payload msginfo boot_mem cspace

UNIT_SRCS_elf := tests/unit/test_elf.c arch/aarch64/loader/elf.c
UNIT_SRCS_fdt := tests/unit/test_fdt.c lib/fdt.c
UNIT_TESTS += format
UNIT_SRCS_format := tests/unit/test_format.c lib/format.c
UNIT_SRCS_time := tests/unit/test_time.c sched/time.c
UNIT_SRCS_payload := tests/unit/test_payload.c arch/aarch64/loader/payload.c
UNIT_SRCS_msginfo := tests/unit/test_msginfo.c
UNIT_CFLAGS_msginfo := -I$(TOP)/libsel4/include
UNIT_SRCS_boot_mem := tests/unit/test_boot_mem.c kernel/boot_mem.c
UNIT_SRCS_cspace := tests/unit/test_cspace.c kernel/cspace.c
UNIT_CFLAGS_cspace := -DKAIROS_HOST_TEST -I$(TOP)/libsel4/include
UNIT_TESTS += cap_ops cdt
UNIT_SRCS_cap_ops := tests/unit/test_cap_ops.c kernel/cap_ops.c
UNIT_CFLAGS_cap_ops := -DKAIROS_HOST_TEST -I$(TOP)/libsel4/include
UNIT_SRCS_cdt := tests/unit/test_cdt.c kernel/cdt.c kernel/cap_ops.c
UNIT_CFLAGS_cdt := -DKAIROS_HOST_TEST -I$(TOP)/libsel4/include

UNIT_TESTS += refill
UNIT_SRCS_refill := tests/unit/test_refill.c sched/refill.c

UNIT_TESTS += ktrace
UNIT_SRCS_ktrace := tests/unit/test_ktrace.c libsel4/src/trace_codec.c tools/ktrace/ktrace_log.c \
    tools/ktrace/ktrace_analyse.c tools/ktrace/ktrace_windows.c tools/ktrace/ktrace_output.c
UNIT_CFLAGS_ktrace := -I$(TOP)/libsel4/include -I$(TOP)/tools/ktrace \
    -DKTRACE_SAMPLE_LOG='"$(TOP)/tests/unit/data/ktrace-sample.log"'
# Headers the rule below does not find from the sources' names.
$(UNIT_BUILD)/test_ktrace: $(TOP)/tests/unit/ktrace_fixture.h \
    $(TOP)/libsel4/include/kairos/trace_codec.h $(TOP)/libsel4/include/kairos/trace_format.h \
    $(TOP)/tools/ktrace/ktrace_windows.h

# tools/rtexp's pure modules: the generator, RTA and the experiment files in one binary, the
# batch image, sets.jsonl, result lines, merge and its outputs in another.
RTEXP_UNIT_MODULES := tools/rtexp/json.c tools/rtexp/exp_file.c tools/rtexp/gen.c \
    tools/rtexp/rta.c tools/rtexp/batch.c tools/rtexp/results.c tools/rtexp/record_io.c \
    tools/rtexp/merge.c tools/rtexp/report.c
RTEXP_UNIT_CFLAGS := -I$(TOP)/tools/rtexp -I$(TOP)/bench/rtexp -lm
UNIT_TESTS += rtexp rtexp_io
UNIT_SRCS_rtexp := tests/unit/test_rtexp.c $(RTEXP_UNIT_MODULES)
UNIT_CFLAGS_rtexp := $(RTEXP_UNIT_CFLAGS) -DRTEXP_EXPERIMENTS_DIR='"$(TOP)/bench/experiments"'
UNIT_SRCS_rtexp_io := tests/unit/test_rtexp_io.c $(RTEXP_UNIT_MODULES)
UNIT_CFLAGS_rtexp_io := $(RTEXP_UNIT_CFLAGS)
# Headers the rule below does not find from the sources' names, and the shipped definitions
# test_rtexp loads.
$(UNIT_BUILD)/test_rtexp $(UNIT_BUILD)/test_rtexp_io: $(TOP)/tools/rtexp/record.h \
    $(TOP)/bench/rtexp/taskset.h $(TOP)/tests/unit/rtexp_fixture.h
$(UNIT_BUILD)/test_rtexp: $(wildcard $(TOP)/bench/experiments/*.json)

UNIT_DATA_DIR := $(UNIT_BUILD)/data
UNIT_DATA_elf := $(UNIT_DATA_DIR)/sample_user.elf
UNIT_DATA_fdt := $(UNIT_DATA_DIR)/board-cells-2-2.dtb $(UNIT_DATA_DIR)/board-cells-1-1.dtb

UNIT_RESULTS := $(UNIT_BUILD)/results.txt
UNIT_BINS := $(addprefix $(UNIT_BUILD)/test_,$(UNIT_TESTS))
UNIT_DATA := $(foreach t,$(UNIT_TESTS),$(UNIT_DATA_$(t)))

DTC ?= dtc
# A real AArch64 executable for the ELF tests; follows the kernel's CROSS_COMPILE when set.
UNIT_CROSS_CC ?= $(if $(CROSS_COMPILE),$(CROSS_COMPILE)gcc,aarch64-linux-gnu-gcc)

# Tests find their data through an absolute path, so they may run from any directory.
UNIT_COMMON_CFLAGS = -I$(TOP) -I$(TOP)/tests/unit -DUNIT_DATA_DIR='"$(abspath $(UNIT_DATA_DIR))"'

# One link per test: the test file plus the modules it exercises. A module's header (the .c
# with .h) and check.h are prerequisites so that editing them rebuilds the test.
define UNIT_TEST_RULE
$(UNIT_BUILD)/test_$(1): $(addprefix $(TOP)/,$(UNIT_SRCS_$(1))) \
        $(wildcard $(patsubst %.c,$(TOP)/%.h,$(UNIT_SRCS_$(1)))) $(TOP)/tests/unit/check.h
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) $$(UNIT_COMMON_CFLAGS) $$(UNIT_CFLAGS_$(1)) -o $$@ \
	    $(addprefix $(TOP)/,$(UNIT_SRCS_$(1)))
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_TEST_RULE,$(t))))

$(UNIT_DATA_DIR)/%.dtb: $(TOP)/tests/unit/data/%.dts
	@mkdir -p $(@D)
	@echo "  DTC     $@"
	$(Q)$(DTC) -q -I dts -O dtb -o $@ $<

# Static, non-PIE, no libc: a plain ET_EXEC with text, data and bss segments.
$(UNIT_DATA_DIR)/%.elf: $(TOP)/tests/unit/data/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(UNIT_CROSS_CC) -std=gnu11 -O2 -ffreestanding -nostdlib -static -no-pie -fno-pic \
	    -Wl,--build-id=none -o $@ $<

# check.h runs each case in a child process and reports a crashed case as its FAIL line; a
# binary that still exits non-zero without any FAIL line (it could not start, say) gets one,
# so a crash can never look like success.
.PHONY: unit-test
unit-test: $(UNIT_BINS) $(UNIT_DATA)
	@pass=0; fail=0; : > $(UNIT_RESULTS); \
	for t in $(UNIT_TESTS); do \
	    log=$(UNIT_BUILD)/$$t.log; \
	    $(UNIT_BUILD)/test_$$t > $$log 2> $$log.stderr; rc=$$?; \
	    cat $$log; cat $$log >> $(UNIT_RESULTS); \
	    p=$$(grep -c '^PASS ' $$log); f=$$(grep -c '^FAIL ' $$log); \
	    if [ $$rc -ne 0 ] && [ $$f -eq 0 ]; then \
	        echo "FAIL unit/$$t/exit: exited with status $$rc (see $$log.stderr)" \
	            | tee -a $(UNIT_RESULTS); \
	        f=1; \
	    fi; \
	    if [ -s $$log.stderr ]; then sed 's/^/    /' $$log.stderr; fi; \
	    pass=$$((pass + p)); fail=$$((fail + f)); \
	done; \
	echo "unit: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]
