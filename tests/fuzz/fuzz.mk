# The system-call fuzzer (tests/fuzz/, docs/fuzzing.md): a root task that attacks the kernel
# with random invocations from a seed. Included by the top-level Makefile after `APPS :=`.
#
# SEEDS: seeds, as 1,2,7 or 1-100 or both; OPS: operations per seed; PLAN: a file of op
# indices (comma-separated) to run instead of all OPS of the first seed, for replaying and
# minimising a failure (tools/fuzz.py). An image runs its seeds one after the other.
# INJECT=a,...,z: a failure on purpose, to test the minimiser (tests/fuzz/worker.c).
APP_SRCS_fuzz := $(wildcard tests/fuzz/*.c)
APPS += fuzz
SEEDS ?= 1-10
OPS ?= 100000
PLAN ?=
INJECT ?=
FUZZ_JOBS ?= 2
# FUZZ_CHECKS=0: a campaign on kernels without the invariant checks (faster; finds crashes,
# hangs, leaks and wrong answers only). INVARIANT_WALK=64: checked, with the CSpace-wide walk
# every 64 exits instead of after every call (some 15 times faster).
FUZZ_CHECKS ?= 1
FUZZ_SEED_LIST := $(shell echo '$(SEEDS)' | tr ',' '\n' | \
    awk -F- 'NF == 2 { for (i = $$1; i <= $$2; i++) print i; next } NF { print }' | paste -sd, -)
FUZZ_PARAMS_LINE := $(FUZZ_SEED_LIST) $(OPS) $(INJECT) $(PLAN) $(if $(PLAN),$(shell cksum < $(PLAN)))
FUZZ_PARAMS := $(BUILD)/fuzz.params
$(shell mkdir -p $(BUILD); [ "$$(cat $(FUZZ_PARAMS) 2>/dev/null)" = "$(FUZZ_PARAMS_LINE)" ] || \
    echo "$(FUZZ_PARAMS_LINE)" > $(FUZZ_PARAMS))
FUZZ_OBJS := $(call obj,user,$(APP_SRCS_fuzz))
$(FUZZ_OBJS): $(FUZZ_PARAMS)
$(FUZZ_OBJS): USER_CFLAGS += '-DFUZZ_SEED_LIST=$(FUZZ_SEED_LIST)' -DFUZZ_OPS=$(OPS) \
    $(if $(PLAN),'-DFUZZ_PLAN_FILE="$(abspath $(PLAN))"') $(if $(INJECT),'-DFUZZ_INJECT=$(INJECT)')

# A campaign: one checked boot per seed, FUZZ_JOBS at a time, failures minimised; logs and
# campaign.jsonl in build/<PLAT>/fuzz. `make fuzz-replay LOG=<a seed's log>` reruns one.
.PHONY: fuzz fuzz-replay
fuzz: deps
	@$(PYTHON) tools/fuzz.py campaign --plat $(PLAT) --seeds '$(SEEDS)' --ops $(OPS) --jobs $(FUZZ_JOBS) \
	    $(if $(filter 0,$(FUZZ_CHECKS)),--unchecked) $(if $(INJECT),--make-var INJECT=$(INJECT)) \
	    $(if $(filter-out 1,$(INVARIANT_WALK)),--make-var INVARIANT_WALK=$(INVARIANT_WALK))
fuzz-replay: deps
	@test -n "$(LOG)" || { echo "make fuzz-replay: give LOG=<a seed's log from make fuzz>"; exit 2; }
	@$(PYTHON) tools/fuzz.py replay --plat $(PLAT) $(LOG)
