# Kairos: the only build entry. `make` builds the kernel, loader and default image into
# build/<PLAT>/; `make run` boots it under QEMU; `make test` runs every test; see README.md.

TOP := $(CURDIR)
# Plain `make` builds the default image, whatever rules included files define first.
.DEFAULT_GOAL := all
PLAT ?= qemu-arm-virt
DEBUG ?= 1
# The kernel event log (docs/tracing.md): on in debug builds unless TRACE=0.
TRACE ?= $(DEBUG)
# seL4_DebugPutChar and seL4_DebugDumpScheduler (upstream's KernelPrinting): on in debug
# builds. A release kernel has neither unless asked (PRINTING=1, as benchmark images are).
PRINTING ?= $(DEBUG)
# Kairos' calls that power the machine off (kairos_debug_exit, kairos_debug_exit_when_idle),
# for test and benchmark images that must end QEMU: on in debug builds, and never in a
# release build unless asked for by EXIT_CALLS=1 (docs/README.md, "Debug doors").
EXIT_CALLS ?= $(DEBUG)
# The IPC fastpath (docs/fastpath.md); FASTPATH=0 builds a kernel with the slow path only.
FASTPATH ?= 1
# Link-time optimisation: the kernel is optimised as one program, as upstream builds it from
# one file, so the small helpers on every entry and exit inline across files.
LTO ?= 1
ROOT_CNODE_BITS ?= 12
# FUZZ=1: the kernel checks its invariants after every system call (docs/fuzzing.md); slow,
# for the fuzzer and for hunting a corruption.
FUZZ ?= 0
# With FUZZ=1: the CSpace-wide part of the checks at every exit (1), or at most every n exits
# (for large systems such as the system suite: INVARIANT_WALK=1024).
INVARIANT_WALK ?= 1
CROSS_COMPILE ?= aarch64-linux-gnu-

ifeq ($(wildcard platforms/$(PLAT)/platform.mk),)
$(error PLAT=$(PLAT) is not a platform; choose one of: $(notdir $(wildcard platforms/*)))
endif
include platforms/$(PLAT)/platform.mk
ifneq ($(DTS),)
ifeq ($(wildcard $(DTS)),)
$(error PLAT=$(PLAT): its device tree source $(DTS) is missing)
endif
endif

BUILD ?= build/$(PLAT)
HOST_BUILD := build/host
UNIT_BUILD := build/unit

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC ?= gcc
PYTHON ?= python3

ifeq ($(filter $(CPU),$(PLAT_CPUS)),)
$(error CPU=$(CPU) is not supported on $(PLAT); choose one of: $(PLAT_CPUS))
endif

# ---------------------------------------------------------------------------------------
# Domains (manual §6.3): DOMAINS=domain:us,domain:us,... is the schedule, in order; the
# number of domains is the highest one named plus one. Empty: one domain, no schedule.
comma := ,
space := $(empty) $(empty)
DOMAINS ?=
ifneq ($(strip $(DOMAINS)),)
DOMAIN_ENTRIES := $(subst $(comma), ,$(DOMAINS))
$(foreach e,$(DOMAIN_ENTRIES),$(if $(shell echo '$(e)' | grep -Eqx '[0-9]+:[0-9]+' && echo ok),,\
    $(error DOMAINS entry "$(e)" is not domain:microseconds)))
NUM_DOMAINS := $(shell echo '$(DOMAIN_ENTRIES)' | tr ' ' '\n' | cut -d: -f1 | sort -n | tail -1 | \
    awk '{ print $$1 + 1 }')
DOMAIN_SCHEDULE := $(subst $(space),,$(foreach e,$(DOMAIN_ENTRIES),{$(subst :,$(comma),$(e))}$(comma)))
DOMAIN_DEFS := -DCONFIG_NUM_DOMAINS=$(NUM_DOMAINS) '-DCONFIG_DOMAIN_SCHEDULE=$(DOMAIN_SCHEDULE)'
else
NUM_DOMAINS := 1
DOMAIN_DEFS := -DCONFIG_NUM_DOMAINS=1
endif

# ---------------------------------------------------------------------------------------
# Flags

WARNINGS := -Wall -Wextra -Werror
# The debug doors: printing, the exit calls, and the debug calls of a debug build.
DOOR_DEFS := $(if $(filter 1,$(PRINTING)),-DCONFIG_PRINTING) \
    $(if $(filter 1,$(EXIT_CALLS)),-DCONFIG_KAIROS_EXIT_CALLS) $(if $(filter 1,$(DEBUG)),-DCONFIG_DEBUG_BUILD)
# A kernel with the log has upstream's benchmark calls too, and libsel4 declares them.
TRACE_DEFS := $(if $(filter 1,$(TRACE)),-DCONFIG_KAIROS_TRACE -DCONFIG_ENABLE_BENCHMARKS)
CONFIG_DEFS := -DGIC_VERSION=$(GIC_VERSION) -DSEMIHOSTING=$(SEMIHOSTING) $(DOMAIN_DEFS) \
    -DCONFIG_ROOT_CNODE_SIZE_BITS=$(ROOT_CNODE_BITS) $(DOOR_DEFS) $(TRACE_DEFS) \
    $(if $(filter 1,$(FASTPATH)),-DCONFIG_FASTPATH) \
    $(if $(filter 1,$(FUZZ)),-DCONFIG_KAIROS_INVARIANTS -DCONFIG_KAIROS_INVARIANT_WALK=$(INVARIANT_WALK))
# Release kernels keep no frame chain (nothing walks it there): one instruction less per call.
RELEASE_CFLAGS := -fomit-frame-pointer
# Freestanding, no FP in the kernel (user FP state is never touched by kernel code), no
# loop-to-memset rewriting (it would turn memset into a call to itself).
KERNEL_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie \
    -fno-stack-protector -fno-tree-loop-distribute-patterns -mgeneral-regs-only \
    -mcpu=$(CPU) $(WARNINGS) $(CONFIG_DEFS) $(if $(filter 0,$(DEBUG)),$(RELEASE_CFLAGS)) \
    -I$(TOP) -I$(TOP)/platforms/$(PLAT) -I$(TOP)/libsel4/include -I$(TOP)/arch/aarch64/loader
# The loader runs with the MMU off, where unaligned accesses fault on real cores.
LOADER_CFLAGS := $(KERNEL_CFLAGS) -mstrict-align -DLOADER_TEXT_OFFSET=$(LOADER_TEXT_OFFSET) \
    -DLOADER_PADDR=$(LOADER_PADDR)
KERNEL_LTO := $(if $(filter 1,$(LTO)),-flto=auto -fno-fat-lto-objects)
KERNEL_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-z,max-page-size=4096 \
    -Wl,--build-id=none
# The kernel window starts at PPTR_BASE; the kernel is linked where the window shows the
# platform's KERNEL_PADDR.
PPTR_BASE := 0xffffff8000000000

include libsel4/build.mk
# What libsel4 declares follows the kernel's configuration, as upstream's generated one does:
# the printing, exit and debug calls where the kernel has them, the benchmark and event-log
# calls in kernels with the log.
USER_CONFIG_DEFS := $(DOOR_DEFS) $(TRACE_DEFS) $(if $(filter 1,$(FUZZ)),-DCONFIG_KAIROS_INVARIANTS) \
    -DCONFIG_NUM_DOMAINS=$(NUM_DOMAINS)
USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
    -fno-builtin -fno-tree-loop-distribute-patterns -mcpu=$(CPU) $(WARNINGS) \
    -ftls-model=local-exec $(LIBSEL4_INCLUDES) -I$(TOP) -DKAIROS_ROOT_CNODE_BITS=$(ROOT_CNODE_BITS) \
    $(USER_CONFIG_DEFS) -I$(TOP)/platforms/$(PLAT) -DGIC_VERSION=$(GIC_VERSION)
USER_LDFLAGS := -static -nostdlib -no-pie -Wl,-Ttext-segment=0x400000 -Wl,--build-id=none \
    -Wl,-z,max-page-size=4096

# V=1 shows every command.
Q := $(if $(filter 1,$(V)),,@)

HOST_CFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
    $(WARNINGS)

# Objects depend on the configuration, so changing DEBUG/CPU/GIC rebuilds them.
CONFIG_STAMP := $(BUILD)/config.stamp
CONFIG_LINE := $(CPU) $(GIC_VERSION) $(DEBUG) $(PRINTING) $(EXIT_CALLS) $(TRACE) $(FASTPATH) $(FUZZ) $(INVARIANT_WALK) $(LTO) $(ROOT_CNODE_BITS) $(SEMIHOSTING) $(CROSS_COMPILE) \
    $(DOMAINS)
$(shell mkdir -p $(BUILD); [ "$$(cat $(CONFIG_STAMP) 2>/dev/null)" = "$(CONFIG_LINE)" ] || \
    echo "$(CONFIG_LINE)" > $(CONFIG_STAMP))

# ---------------------------------------------------------------------------------------
# Sources

# The drivers the platform names (platform.mk): its console UART and interrupt controller.
UART_SRC := drivers/uart/$(UART_DRIVER).c
IRQ_SRC := drivers/irq/$(IRQ_DRIVER).c
KERNEL_SRCS := $(wildcard arch/aarch64/*.S) $(wildcard arch/aarch64/*.c) $(IRQ_SRC) \
    $(wildcard kernel/*.c) $(wildcard sched/*.c) $(wildcard lib/*.c) $(UART_SRC)
LOADER_SRCS := arch/aarch64/loader/start.S arch/aarch64/loader/loader.c \
    arch/aarch64/loader/elf.c arch/aarch64/loader/payload.c lib/fdt.c lib/string.c \
    arch/aarch64/poweroff.c $(UART_SRC)

obj = $(patsubst %,$(BUILD)/$(1)/%.o,$(basename $(2)))
KERNEL_OBJS := $(call obj,kernel,$(KERNEL_SRCS))
LOADER_OBJS := $(call obj,loader,$(LOADER_SRCS))
RUNTIME_OBJS := $(call obj,user,$(LIBSEL4_RUNTIME_SRCS))

KERNEL_ELF := $(BUILD)/kernel.elf
DTB := $(BUILD)/$(PLAT).dtb
IMAGES := $(BUILD)/images

# Root tasks: name → sources. Each becomes $(BUILD)/apps/<name>.elf and an image.
APP_SRCS_demo := $(wildcard apps/demo/*.c)
# Test files that use debug-kernel system calls say so; release builds leave them out.
SYSTEST_DEBUG_ONLY := $(shell grep -l 'systest: needs a debug kernel' tests/system/*.c)
APP_SRCS_systest := $(filter-out $(if $(filter 1,$(DEBUG)),,$(SYSTEST_DEBUG_ONLY)), \
    $(wildcard tests/system/*.c)) lib/fdt.c
APP_SRCS_faults := $(wildcard tests/system/faults/*.c)
# The domain tests, alone in their image (built with a two-domain schedule, see below).
APP_SRCS_domtest := tests/system/main.c tests/system/report.c $(wildcard tests/system/domains/*.c) \
    tests/system/thread_util.c tests/system/cspace_util.c
# The release kernel's missing debug doors, alone in their image (built with the release
# defaults, see below).
APP_SRCS_doors := $(wildcard tests/system/doors/*.c)
APPS := demo systest
# Benchmark root tasks add themselves to APPS and define `make bench`.
-include bench/bench.mk
# The syscall fuzzer's root task and `make fuzz`.
include tests/fuzz/fuzz.mk

all: $(IMAGES)/demo.elf $(IMAGES)/demo.bin

# ---------------------------------------------------------------------------------------
# Compilation

DEPFLAGS = -MMD -MP
# The fastpath never returns to whoever branched to it, so preserving x19..x28 for a caller
# would be wasted work: those registers hold the thread's values, already saved.
$(BUILD)/kernel/arch/aarch64/fastpath.o: KERNEL_CFLAGS += $(foreach r,19 20 21 22 23 24 25 26 27 28,\
    -fcall-used-x$(r)) -fomit-frame-pointer
$(BUILD)/kernel/arch/aarch64/fastpath.o: KERNEL_LTO :=
# The compiler emits calls to memset and memcpy after link-time optimisation has chosen what
# to keep, so they must come from an ordinary object.
$(BUILD)/kernel/lib/string.o: KERNEL_LTO :=
$(BUILD)/kernel/%.o: %.c $(CONFIG_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(DEPFLAGS) -c $< -o $@
$(BUILD)/kernel/%.o: %.S $(CONFIG_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/loader/%.o: %.c $(CONFIG_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(LOADER_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/loader/%.o: %.S $(CONFIG_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(LOADER_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/user/%.o: %.c $(CONFIG_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(BUILD)/user/%.o: %.S $(CONFIG_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(DEPFLAGS) -c $< -o $@

-include $(shell find $(BUILD)/kernel $(BUILD)/loader $(BUILD)/user -name '*.d' 2>/dev/null)

$(KERNEL_ELF): $(KERNEL_OBJS) arch/aarch64/kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(KERNEL_LTO) $(KERNEL_LDFLAGS) -Wl,-T,arch/aarch64/kernel.ld \
	    -Wl,--defsym=PPTR_BASE=$(PPTR_BASE) -Wl,--defsym=KERNEL_PADDR=$(KERNEL_PADDR) \
	    -o $@ $(KERNEL_OBJS) -lgcc

# Each app's source list is recorded, so adding or dropping a file relinks it.
$(foreach a,$(APPS) domtest doors,$(shell mkdir -p $(BUILD)/apps; \
    [ "$$(cat $(BUILD)/apps/$(a).srcs 2>/dev/null)" = "$(APP_SRCS_$(a))" ] || \
    echo "$(APP_SRCS_$(a))" > $(BUILD)/apps/$(a).srcs))

define APP_RULE
$(BUILD)/apps/$(1).elf: $(call obj,user,$(APP_SRCS_$(1))) $(RUNTIME_OBJS) $(BUILD)/apps/$(1).srcs
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$(Q)$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $$@ $(RUNTIME_OBJS) \
	    $(call obj,user,$(APP_SRCS_$(1))) -lgcc
endef
$(foreach a,$(APPS) domtest doors,$(eval $(call APP_RULE,$(a))))

# The board's device tree: the platform's own source (platform.mk: DTS), or, for a machine
# QEMU describes itself, what QEMU builds for exactly these machine options; QEMU pads it to
# 1 MiB, dtc packs it back to its real size (a few KiB, as upstream's builds have).
ifneq ($(DTS),)
$(DTB): $(DTS) $(CONFIG_STAMP) | deps
	@echo "  DTC     $@"
	$(Q)dtc -q -I dts -O dtb -o $@ $<
else
$(DTB): $(CONFIG_STAMP) | deps
	@echo "  DTB     $@"
	$(Q)$(QEMU) -machine $(QEMU_MACHINE),dumpdtb=$@.raw -cpu $(CPU) -m $(QEMU_MEM) \
	    -nographic >/dev/null
	$(Q)dtc -q -I dtb -O dtb -o $@ $@.raw
endif

# ---------------------------------------------------------------------------------------
# Images: any static AArch64 root task + kernel + DTB → a loader ELF (-kernel) and a flat
# binary with an arm64 Image header. Another root task: make image ROOT_TASK=x.elf NAME=y

include tools/tools.mk

$(IMAGES)/%.payload: $(BUILD)/apps/%.elf $(KERNEL_ELF) $(DTB) $(HOST_BUILD)/kpack
	@mkdir -p $(@D)
	$(Q)$(HOST_BUILD)/kpack -o $@ --kernel $(KERNEL_ELF) --user $< --dtb $(DTB)

$(IMAGES)/%.payload.o: $(IMAGES)/%.payload
	$(Q)$(OBJCOPY) -I binary -O elf64-littleaarch64 -B aarch64 \
	    --rename-section .data=.payload,alloc,load,readonly,data,contents $< $@

$(IMAGES)/%.elf: $(IMAGES)/%.payload.o $(LOADER_OBJS) arch/aarch64/loader/loader.ld
	@echo "  IMAGE   $@"
	$(Q)$(CC) $(LOADER_CFLAGS) $(KERNEL_LDFLAGS) -Wl,-T,arch/aarch64/loader/loader.ld \
	    -Wl,--defsym=LOADER_PADDR=$(LOADER_PADDR) -o $@ $(LOADER_OBJS) $< -lgcc

$(IMAGES)/%.bin: $(IMAGES)/%.elf
	@echo "  BIN     $@"
	$(Q)$(OBJCOPY) -O binary $< $@

include tools/uboot/uboot.mk

.PRECIOUS: $(IMAGES)/%.payload $(IMAGES)/%.payload.o $(BUILD)/apps/%.elf $(IMAGES)/%.its
# Intermediate files (generated fault-case sources and objects) stay: deleting them only
# makes the next build redo them and prints a long `rm` line into the test log.
.SECONDARY:

.PHONY: image
image: $(KERNEL_ELF) $(DTB) $(HOST_BUILD)/kpack $(LOADER_OBJS)
	@test -n "$(ROOT_TASK)" || { echo "usage: make image ROOT_TASK=path.elf [NAME=name]"; exit 2; }
	@mkdir -p $(BUILD)/apps
	cp $(ROOT_TASK) $(BUILD)/apps/$(or $(NAME),$(basename $(notdir $(ROOT_TASK)))).elf
	$(MAKE) --no-print-directory \
	    $(IMAGES)/$(or $(NAME),$(basename $(notdir $(ROOT_TASK)))).elf \
	    $(IMAGES)/$(or $(NAME),$(basename $(notdir $(ROOT_TASK)))).bin

# ---------------------------------------------------------------------------------------
# Running and testing

.PHONY: all deps run test unit-test system-test images clean bench

deps:
	@sh tools/install-deps.sh


# The demo under -icount, its event log converted and plotted into $(BUILD)/run/.
ifneq ($(QEMU_MACHINE),)
run: deps $(IMAGES)/demo.elf $(KTRACE) $(BUILD)/qemu.args
	@$(PYTHON) tools/ktrace-run.py --qemu-args $(BUILD)/qemu.args --image $(IMAGES)/demo.elf \
	    --out $(BUILD)/run --ktrace $(KTRACE) --title "Kairos demo"
endif

# Any root task that streams the event log (kairos_trace_dump): the same, into
# $(BUILD)/trace/<name>/.
TRACE_NAME = $(basename $(notdir $(APP)))
.PHONY: trace
trace: deps $(KTRACE) $(BUILD)/qemu.args
	@test -n "$(APP)" || { echo "usage: make trace APP=path/to/root-task.elf"; exit 2; }
	@test "$(TRACE)" = 1 || { echo "make trace: the kernel needs the event log (TRACE=1)"; exit 2; }
	@$(MAKE) --no-print-directory image ROOT_TASK=$(APP) NAME=trace-$(TRACE_NAME)
	@$(PYTHON) tools/ktrace-run.py --qemu-args $(BUILD)/qemu.args \
	    --image $(IMAGES)/trace-$(TRACE_NAME).elf --out $(BUILD)/trace/$(TRACE_NAME) \
	    --ktrace $(KTRACE) --title "$(TRACE_NAME)"

images: $(foreach a,$(APPS),$(IMAGES)/$(a).elf $(IMAGES)/$(a).bin) $(if $(QEMU_MACHINE),system-images) \
    uboot-images
# What a board boots through U-Boot: the demo and the system suite as uImages and FITs, and
# the boot script.
.PHONY: uboot-images
uboot-images: $(foreach a,demo systest,$(IMAGES)/$(a).elf $(IMAGES)/$(a).uImage $(IMAGES)/$(a).itb) \
    $(IMAGES)/boot.scr

include tests/unit/unit.mk

# Fault images: one root task per EL0 exception case, each booted on its own (a faulting
# root task is the only thread, so each case ends the run).
FAULT_CASES := unknown_syscall undefined_instruction breakpoint data_abort \
    instruction_abort exec_never misaligned_pc misaligned_sp \
    write_readonly remap_readonly write_rights_downgraded exec_xn_mapping stale_after_unmap \
    stale_after_delete stale_after_pt_delete vspace_deleted read_kernel_memory
FAULT_OBJS := $(call obj,user,$(APP_SRCS_faults))
$(BUILD)/gen/fault_case_%.c:
	@mkdir -p $(@D)
	$(Q)printf 'const char fault_case[] = "%s";\n' $* > $@
$(BUILD)/gen/fault_case_%.o: $(BUILD)/gen/fault_case_%.c
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/apps/faults-%.elf: $(BUILD)/gen/fault_case_%.o $(FAULT_OBJS) $(RUNTIME_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(RUNTIME_OBJS) $(FAULT_OBJS) $< -lgcc

# Invariant-check images (FUZZ=1 kernels): one per deliberately broken invariant, each
# booted on its own, since a caught invariant stops the kernel. The names are
# tests/invariants/main.c's cases.
INVARIANT_CASES := cdt ready_bitmap release_queue refills endpoint_queue reply \
    notification_queue sc_binding ready_queue untyped
APP_SRCS_invariants := tests/invariants/main.c tests/system/report.c tests/system/thread_util.c \
    tests/system/cspace_util.c
INVARIANT_OBJS := $(call obj,user,$(APP_SRCS_invariants))
$(BUILD)/gen/corrupt_case_%.c:
	@mkdir -p $(@D)
	$(Q)printf 'const char corrupt_case[] = "%s";\n' $* > $@
$(BUILD)/gen/corrupt_case_%.o: $(BUILD)/gen/corrupt_case_%.c
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/apps/invariants-%.elf: $(BUILD)/gen/corrupt_case_%.o $(INVARIANT_OBJS) $(RUNTIME_OBJS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $(RUNTIME_OBJS) $(INVARIANT_OBJS) $< -lgcc

# The QEMU command line for this build, read by the test runner. Tests run with icount:
# virtual time follows the instruction count, so timing tests are deterministic and do
# not depend on how loaded the host is (../shared/design/QEMU-NOTES.md).
QEMU_ICOUNT := -icount shift=0,align=off,sleep=off
$(BUILD)/qemu.args: $(CONFIG_STAMP) Makefile
	$(Q)echo "$(QEMU) $(QEMU_FLAGS) $(QEMU_ICOUNT)" > $@

# Every variant the suite also boots is the platform's (platform.mk: TEST_VARIANTS, as
# NAME:VAR=value+VAR=value); each variant is a separate build directory.
VARIANTS := $(TEST_VARIANTS)
# The other boards QEMU can run (their platform.mk names a QEMU machine): `make test` on the
# default platform boots the whole suite on each of them too, from their own build.
DEFAULT_PLAT := qemu-arm-virt
QEMU_BOARDS := $(patsubst platforms/%/platform.mk,%,$(shell grep -l '^QEMU_MACHINE' platforms/*/platform.mk))
OTHER_BOARDS := $(if $(filter $(DEFAULT_PLAT),$(PLAT)),$(filter-out $(PLAT),$(QEMU_BOARDS)))
# Every board's U-Boot images are checked (tools/check-uboot-images.py), QEMU or not.
ALL_PLATS := $(notdir $(wildcard platforms/*))
IMAGE_CHECK_PLATS := $(if $(filter $(DEFAULT_PLAT),$(PLAT)),$(ALL_PLATS),$(PLAT))
# The domain tests boot with a two-domain schedule (6 ms of domain 0, then 4 ms of 1).
DOMAIN_TEST_SCHEDULE := 0:6000,1:4000
DOMAIN_BUILD := $(BUILD)/variant-domains
# The fuzzer (docs/fuzzing.md) on a kernel that checks its invariants after every system
# call: two seeds of 50,000 ops, each its own boot (about a minute each), first in the run
# list so that they run beside the rest rather than after it.
FUZZ_BUILD := $(BUILD)/variant-fuzz
FUZZ_TEST_SEEDS := 1 2
FUZZ_TEST_OPS := 50000
# Seconds a system run may take: the fuzz runs take about 70 on this machine's cores; room
# for a slower one.
SYSTEM_RUN_TIMEOUT := 300
# The doors test runs on a kernel with every release default (no printing, no exit calls):
# its root task reports through semihosting from EL0, which QEMU allows only when asked.
DOORS_BUILD := $(BUILD)/variant-doors
$(IMAGES)/doors.qemu: $(IMAGES)/doors.elf
	$(Q)echo "-semihosting-config enable=on,target=native,userspace=on -kernel $<" > $@
# U-Boot running at EL2 (QEMU with virtualization=on) enters the loader there: the demo
# boots that way too (from the el2 variant's build).
UBOOT_EL2_BUILD := $(BUILD)/variant-el2
# QEMUs the system suite runs at once (each is single-threaded under icount).
SYSTEM_JOBS ?= 2
# Behind U-Boot where QEMU has a U-Boot for the machine (platform.mk: UBOOT_QEMU_BIOS): the
# uImage put in RAM, and the FIT as a board boots it, found by boot.scr on a FAT disk.
UBOOT_RUN_IMAGES := $(if $(UBOOT_QEMU_BIOS),$(IMAGES)/systest.uimage.qemu $(IMAGES)/systest.disk.qemu)
SYSTEM_RUNS := $(foreach s,$(FUZZ_TEST_SEEDS),fuzz/seed-$(s):$(FUZZ_BUILD):$(FUZZ_BUILD)/images/fuzz-seed-$(s).elf) \
    systest:$(BUILD):$(IMAGES)/systest.elf flatbin/systest:$(BUILD):$(IMAGES)/systest.bin \
    $(if $(UBOOT_QEMU_BIOS),uboot-uimage/systest:$(BUILD):$(IMAGES)/systest.uimage.qemu \
        uboot-disk/systest:$(BUILD):$(IMAGES)/systest.disk.qemu) \
    $(foreach b,$(OTHER_BOARDS),$(b)/systest:build/$(b):build/$(b)/images/systest.elf) \
    domains/domtest:$(DOMAIN_BUILD):$(DOMAIN_BUILD)/images/domtest.elf \
    release-doors/doors:$(DOORS_BUILD):$(DOORS_BUILD)/images/doors.qemu \
    $(foreach c,$(INVARIANT_CASES),invariants/$(c):$(FUZZ_BUILD):$(FUZZ_BUILD)/images/invariants-$(c).elf) \
    $(foreach c,$(FAULT_CASES),faults/$(c):$(BUILD):$(IMAGES)/faults-$(c).elf) \
    $(foreach v,$(VARIANTS),$(firstword $(subst :, ,$(v)))/systest:$(BUILD)/variant-$(firstword \
        $(subst :, ,$(v))):$(BUILD)/variant-$(firstword $(subst :, ,$(v)))/images/systest.elf)

system-images: $(IMAGES)/systest.elf $(IMAGES)/systest.bin $(foreach c,$(FAULT_CASES),$(IMAGES)/faults-$(c).elf) \
        $(UBOOT_RUN_IMAGES) $(IMAGES)/boot.scr $(BUILD)/qemu.args
	@for b in $(OTHER_BOARDS); do \
	    $(MAKE) --no-print-directory PLAT=$$b BUILD=build/$$b build/$$b/images/systest.elf \
	        build/$$b/images/demo.elf build/$$b/qemu.args || exit 1; \
	done
	@for b in $(IMAGE_CHECK_PLATS); do \
	    $(MAKE) --no-print-directory PLAT=$$b BUILD=build/$$b image-check-files || exit 1; \
	done
	@for v in $(VARIANTS); do \
	    name=$${v%%:*}; vars=$$(echo "$${v#*:}" | tr '+' ' '); \
	    $(MAKE) --no-print-directory BUILD=$(BUILD)/variant-$$name $$vars \
	        $(BUILD)/variant-$$name/images/systest.elf \
	        $(BUILD)/variant-$$name/qemu.args || exit 1; \
	done
	$(if $(UBOOT_QEMU_BIOS),@$(MAKE) --no-print-directory BUILD=$(UBOOT_EL2_BUILD) QEMU_EL2=1 \
	    $(UBOOT_EL2_BUILD)/images/demo.uimage.qemu $(UBOOT_EL2_BUILD)/qemu.args)
	@$(MAKE) --no-print-directory BUILD=$(DOMAIN_BUILD) DOMAINS=$(DOMAIN_TEST_SCHEDULE) \
	    $(DOMAIN_BUILD)/images/domtest.elf $(DOMAIN_BUILD)/qemu.args
	@$(MAKE) --no-print-directory BUILD=$(DOORS_BUILD) DEBUG=0 \
	    $(DOORS_BUILD)/images/doors.qemu $(DOORS_BUILD)/qemu.args
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) FUZZ=1 \
	    $(foreach c,$(INVARIANT_CASES),$(FUZZ_BUILD)/images/invariants-$(c).elf) $(FUZZ_BUILD)/qemu.args
	@for s in $(FUZZ_TEST_SEEDS); do \
	    $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) FUZZ=1 SEEDS=$$s OPS=$(FUZZ_TEST_OPS) \
	        $(FUZZ_BUILD)/images/fuzz.elf $(FUZZ_BUILD)/qemu.args || exit 1; \
	    cp $(FUZZ_BUILD)/images/fuzz.elf $(FUZZ_BUILD)/images/fuzz-seed-$$s.elf; \
	done

# Boots that must fail, each with its message on the console and a failure status: an image
# loaded where it is not linked, and one packing another board's device tree (which puts
# RAM over this board's devices); and builds that must be refused.
BOOT_ERROR_DIR := $(BUILD)/boot-errors
FOREIGN_DTS := $(firstword $(filter-out $(DTS),$(sort $(wildcard platforms/*/*.dts))))
MISPLACED_ADDR := $(shell printf '0x%x' $$(( $(LOADER_PADDR) + 0x4000000 )))
$(BOOT_ERROR_DIR)/foreign.dtb: $(FOREIGN_DTS)
	@mkdir -p $(@D)
	$(Q)dtc -q -I dts -O dtb -o $@ $<
$(BOOT_ERROR_DIR)/foreign-dtb.payload: $(BUILD)/apps/demo.elf $(KERNEL_ELF) $(BOOT_ERROR_DIR)/foreign.dtb $(HOST_BUILD)/kpack
	$(Q)$(HOST_BUILD)/kpack -o $@ --kernel $(KERNEL_ELF) --user $< --dtb $(BOOT_ERROR_DIR)/foreign.dtb
$(BOOT_ERROR_DIR)/foreign-dtb.elf: $(BOOT_ERROR_DIR)/foreign-dtb.payload $(LOADER_OBJS)
	$(Q)$(OBJCOPY) -I binary -O elf64-littleaarch64 -B aarch64 \
	    --rename-section .data=.payload,alloc,load,readonly,data,contents $< $<.o
	$(Q)$(CC) $(LOADER_CFLAGS) $(KERNEL_LDFLAGS) -Wl,-T,arch/aarch64/loader/loader.ld \
	    -Wl,--defsym=LOADER_PADDR=$(LOADER_PADDR) -o $@ $(LOADER_OBJS) $<.o -lgcc
BOOT_ERROR_CASES := \
    --case 'misplaced-image|loaded at 0x0*$(patsubst 0x%,%,$(MISPLACED_ADDR)) but linked to run at|-device loader,file=$(IMAGES)/demo.bin,addr=$(MISPLACED_ADDR),force-raw=on -device loader,addr=$(MISPLACED_ADDR),cpu-num=0' \
    --case 'foreign-device-tree|this device tree is not $(PLAT).s|-kernel $(BOOT_ERROR_DIR)/foreign-dtb.elf'
.PHONY: boot-errors
boot-errors: $(IMAGES)/demo.bin $(BOOT_ERROR_DIR)/foreign-dtb.elf $(BUILD)/qemu.args
	@$(PYTHON) tools/check-boot-errors.py --qemu-args $(BUILD)/qemu.args \
	    $(BOOT_ERROR_CASES); rc=$$?; \
	for c in "wrong-plat|is not a platform; choose one of|PLAT=no-such-board" \
	         "missing-dts|its device tree source .* is missing|DTS=platforms/no-such.dts"; do \
	    name=$${c%%|*}; rest=$${c#*|}; want=$${rest%%|*}; vars=$${rest#*|}; \
	    if $(MAKE) --no-print-directory -n $$vars all >$(BOOT_ERROR_DIR)/$$name.log 2>&1; then \
	        echo "FAIL build-errors/$$name: make accepted $$vars"; rc=1; \
	    elif grep -Eq "$$want" $(BOOT_ERROR_DIR)/$$name.log; then echo "PASS build-errors/$$name"; \
	    else echo "FAIL build-errors/$$name: no message matching '$$want'"; rc=1; fi; \
	done; exit $$rc

# The U-Boot images of this platform: headers, load address, the FIT's DTB and hashes.
.PHONY: image-check image-check-files
image-check-files: $(foreach e,elf bin uImage itb,$(IMAGES)/demo.$(e)) $(IMAGES)/boot.scr $(DTB)
image-check: image-check-files
	@$(PYTHON) tools/check-uboot-images.py --platform $(PLAT) --images $(IMAGES) --dtb $(DTB) \
	    --load-addr $(UBOOT_LOAD_ADDR) --name demo

ifeq ($(QEMU_MACHINE),)
# A board QEMU cannot run: `make run` boots the nearest configuration it can (platform.mk:
# QEMU_NEAREST_PLAT and QEMU_NEAREST_VARS), and the system tests are the checks of this
# board's images plus the suite on that nearest configuration.
NEAREST_BUILD := $(BUILD)/nearest
NEAREST_MAKE = $(MAKE) --no-print-directory PLAT=$(QEMU_NEAREST_PLAT) $(QEMU_NEAREST_VARS) \
    BUILD=$(NEAREST_BUILD)
run: deps
	@echo "QEMU cannot run $(PLAT): booting the nearest configuration it can," \
	    "$(QEMU_NEAREST_PLAT) with $(QEMU_NEAREST_VARS)"
	@$(NEAREST_MAKE) run
system-test: deps
	@$(MAKE) --no-print-directory image-check; rc=$$?; \
	$(NEAREST_MAKE) $(NEAREST_BUILD)/images/systest.elf $(NEAREST_BUILD)/qemu.args || exit 1; \
	$(PYTHON) tools/run-system-tests.py --log-dir $(BUILD)/system-logs \
	    --run nearest/systest:$(NEAREST_BUILD):$(NEAREST_BUILD)/images/systest.elf || rc=1; \
	exit $$rc
else
system-test: deps system-images $(IMAGES)/demo.elf $(KTRACE) $(IMAGES)/rtexp.elf $(RTEXP) boot-errors
	@rc=0; for b in $(IMAGE_CHECK_PLATS); do \
	    $(MAKE) --no-print-directory PLAT=$$b BUILD=build/$$b image-check || rc=1; \
	done; \
	$(PYTHON) tools/run-system-tests.py --log-dir $(BUILD)/system-logs --jobs $(SYSTEM_JOBS) \
	    --timeout $(SYSTEM_RUN_TIMEOUT) $(foreach r,$(SYSTEM_RUNS),--run $(r)) || rc=1; \
	$(PYTHON) tools/ktrace-run.py --qemu-args $(BUILD)/qemu.args --image $(IMAGES)/demo.elf \
	    --out $(BUILD)/system-logs/demo --ktrace $(KTRACE) --check demo || rc=1; \
	$(if $(UBOOT_QEMU_BIOS),$(PYTHON) tools/ktrace-run.py --qemu-args $(UBOOT_EL2_BUILD)/qemu.args \
	    --image $(UBOOT_EL2_BUILD)/images/demo.uimage.qemu --out $(BUILD)/system-logs/uboot-el2-demo \
	    --ktrace $(KTRACE) --check uboot-el2/demo || rc=1;) \
	for b in $(OTHER_BOARDS); do \
	    $(PYTHON) tools/ktrace-run.py --qemu-args build/$$b/qemu.args \
	        --image build/$$b/images/demo.elf --out $(BUILD)/system-logs/$$b-demo \
	        --ktrace $(KTRACE) --check $$b/demo || rc=1; \
	done; \
	$(MAKE) --no-print-directory experiment EXP=quick EXPERIMENT_CHECK=1 || rc=1; exit $$rc

endif

test: deps
	@$(MAKE) --no-print-directory unit-test > $(UNIT_BUILD).log 2>&1; echo $$? > $(UNIT_BUILD).rc; \
	    cat $(UNIT_BUILD).log
	@$(MAKE) --no-print-directory system-test > $(BUILD)/system-test.log 2>&1; \
	    echo $$? > $(BUILD)/system-test.rc; cat $(BUILD)/system-test.log
	@$(PYTHON) tools/tally.py $(UNIT_BUILD).log $(BUILD)/system-test.log \
	    --rc $(UNIT_BUILD).rc $(BUILD)/system-test.rc

clean:
	rm -rf build
