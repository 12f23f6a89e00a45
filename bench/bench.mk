# bench/bench.mk — benchmark root tasks and `make bench` (docs/benchmarks.md). Included by the
# top-level Makefile after `APPS :=` and before the per-app rules are generated from $(APPS).
# Uses BUILD, IMAGES, QEMU, QEMU_FLAGS, PYTHON and Q from it.

# The latency families (docs/benchmarks.md): one root task each, sharing bench/lib.
BENCH_FAMILIES := ipc signal sched fault irq vm
APPS += budget tracecost rtexp $(BENCH_FAMILIES)
$(foreach f,$(BENCH_FAMILIES),$(eval APP_SRCS_$(f) := $(wildcard bench/$(f)/*.c) $(wildcard bench/lib/*.c)))
APP_SRCS_budget := $(wildcard bench/budget/*.c)
APP_SRCS_tracecost := $(wildcard bench/tracecost/*.c)
APP_SRCS_rtexp := $(wildcard bench/rtexp/*.c)

BENCH_DIR = $(BUILD)/bench
# Wall-clock limit per benchmark run, in seconds (the budget run takes ~30 s).
BENCH_TIMEOUT ?= 600
# Virtual time follows the instruction count, so every run gives the same numbers.
BENCH_QEMU_FLAGS = $(QEMU_FLAGS) -icount shift=0,align=off,sleep=off
# Columns of the summary `make bench` prints.
BENCH_SUMMARY_COLUMNS := label,sporadic,periods,min_exec_us,mean_exec_us,max_exec_us
BENCH_SUMMARY_COLUMNS := $(BENCH_SUMMARY_COLUMNS),worst_overrun_us,release_interval_us
BENCH_SUMMARY_COLUMNS := $(BENCH_SUMMARY_COLUMNS),consumed_us,status

.PHONY: bench bench-trace
bench: bench-trace deps $(IMAGES)/budget.elf
	@mkdir -p $(BENCH_DIR)
	@echo "  BENCH   budget ($(BENCH_DIR)/budget.log)"
	$(Q)timeout $(BENCH_TIMEOUT) $(QEMU) $(BENCH_QEMU_FLAGS) -kernel $(IMAGES)/budget.elf \
	    </dev/null >$(BENCH_DIR)/budget.log 2>&1; echo $$? >$(BENCH_DIR)/budget.rc
	$(Q)tr -d '\r' <$(BENCH_DIR)/budget.log | grep '^{"bench":"budget"' \
	    >$(BENCH_DIR)/budget.jsonl; grep -q '"kind":"summary"' $(BENCH_DIR)/budget.jsonl || { \
	    tail -n 20 $(BENCH_DIR)/budget.log >&2; \
	    echo "bench: budget printed no results (QEMU status $$(cat $(BENCH_DIR)/budget.rc)," \
	        "124: timed out after $(BENCH_TIMEOUT) s); see $(BENCH_DIR)/budget.log" >&2; exit 1; }
	$(Q)$(PYTHON) tools/bench2csv.py --select kind=summary -o $(BENCH_DIR)/budget.csv \
	    $(BENCH_DIR)/budget.jsonl
	$(Q)$(PYTHON) tools/bench2csv.py --select kind=period -o $(BENCH_DIR)/budget-periods.csv \
	    $(BENCH_DIR)/budget.jsonl
	@echo "  PLOT    $(BENCH_DIR)/budget.png"
	$(Q)gnuplot -c tools/plot-budget.gp $(BENCH_DIR)/budget.csv \
	    $(BENCH_DIR)/budget-periods.csv $(BENCH_DIR)/budget.png
	@echo "budget: executed time per period window and worst overrun (µs), per configuration:"
	@$(PYTHON) tools/bench2csv.py --select kind=summary --table \
	    --columns $(BENCH_SUMMARY_COLUMNS) $(BENCH_DIR)/budget.jsonl
	@rc=$$(cat $(BENCH_DIR)/budget.rc); if [ "$$rc" != 0 ]; then \
	    echo "bench: budget ended with status $$rc (124: timed out after $(BENCH_TIMEOUT) s);" \
	        "see $(BENCH_DIR)/budget.log" >&2; exit 1; fi

# The event log's cost per record, in instructions (= ns under icount).
bench-trace: deps $(IMAGES)/tracecost.elf
	@mkdir -p $(BENCH_DIR)
	@echo "  BENCH   tracecost ($(BENCH_DIR)/tracecost.log)"
	$(Q)timeout $(BENCH_TIMEOUT) $(QEMU) $(BENCH_QEMU_FLAGS) -kernel $(IMAGES)/tracecost.elf \
	    </dev/null >$(BENCH_DIR)/tracecost.log 2>&1; echo $$? >$(BENCH_DIR)/tracecost.rc
	$(Q)tr -d '\r' <$(BENCH_DIR)/tracecost.log | grep '^{"bench":"trace"' \
	    >$(BENCH_DIR)/tracecost.jsonl; grep -q '"kind":"cost"' $(BENCH_DIR)/tracecost.jsonl || { \
	    tail -n 20 $(BENCH_DIR)/tracecost.log >&2; echo "bench: tracecost printed no result;" \
	        "see $(BENCH_DIR)/tracecost.log" >&2; exit 1; }
	$(Q)$(PYTHON) tools/bench2csv.py --select kind=cost -o $(BENCH_DIR)/tracecost.csv \
	    $(BENCH_DIR)/tracecost.jsonl
	@echo "tracecost: instructions per system call (icount), and per event-log record:"
	@$(PYTHON) tools/bench2csv.py --select kind=cost --table --columns \
	    null_off_insns,null_on_insns,mark_off_insns,mark_on_insns,per_record_insns,hooks_on_insns \
	    $(BENCH_DIR)/tracecost.jsonl

# ---------------------------------------------------------------------------------------
# Schedulability experiments (docs/experiments.md): make experiment [EXP=name] [JOBS=n]
EXP ?= default
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
EXP_FILE = bench/experiments/$(EXP).json

.PHONY: experiment
experiment: deps $(IMAGES)/rtexp.elf $(RTEXP) $(BUILD)/qemu.args $(KPACK) $(LOADER_OBJS)
	@test -f $(EXP_FILE) || { echo "FAIL experiment/$(EXP): no $(EXP_FILE); see bench/experiments/"; \
	    exit 2; }
	@$(PYTHON) tools/experiment.py --exp $(EXP_FILE) --out $(BUILD)/experiment/$(EXP) \
	    --jobs $(JOBS) --qemu-args $(BUILD)/qemu.args --app $(BUILD)/apps/rtexp.elf \
	    --images $(IMAGES) --image-cmd "$(MAKE) --no-print-directory image" \
	    --rtexp $(RTEXP) --objcopy $(OBJCOPY) $(if $(EXPERIMENT_CHECK),--check experiment/$(EXP))

# The latency families on a release kernel (docs/benchmarks.md), as sel4bench measures them:
# `make bench-latency` (part of `make bench`) runs each family's root task, then writes
# build/<PLAT>/bench/<family>.{log,jsonl,csv,png} and prints a table per family.
LATENCY_BUILD = $(BUILD)/bench-release
# Each family takes a few seconds; a hung one is cut off well before BENCH_TIMEOUT.
LATENCY_TIMEOUT ?= 60
LATENCY_COLUMNS := Function,Direction,Client Prio,Server Prio,FPU,IPC length,Pages,Min,Median,Max,Stddev
.PHONY: bench-latency bench-ipc
bench: bench-latency
bench-ipc: bench-latency
bench-latency: deps
	@$(MAKE) --no-print-directory BUILD=$(LATENCY_BUILD) DEBUG=0 PRINTING=1 EXIT_CALLS=1 \
	    $(foreach f,$(BENCH_FAMILIES),$(LATENCY_BUILD)/images/$(f).elf)
	@mkdir -p $(BENCH_DIR)
	@n=0; for f in $(BENCH_FAMILIES); do n=$$((n + 1)); \
	    echo "  BENCH   [$$n/$(words $(BENCH_FAMILIES))] $$f, release kernel ($(BENCH_DIR)/$$f.log)"; \
	    timeout $(LATENCY_TIMEOUT) $(QEMU) $(BENCH_QEMU_FLAGS) -kernel $(LATENCY_BUILD)/images/$$f.elf \
	        </dev/null >$(BENCH_DIR)/$$f.log 2>&1; rc=$$?; \
	    tr -d '\r' <$(BENCH_DIR)/$$f.log | grep "^{\"bench\":\"$$f\"" >$(BENCH_DIR)/$$f.jsonl; \
	    if [ $$rc != 0 ] || ! grep -q '"kind":"end","error":0' $(BENCH_DIR)/$$f.jsonl; then \
	        tail -n 20 $(BENCH_DIR)/$$f.log >&2; \
	        echo "bench: $$f failed (QEMU status $$rc, 124: timed out after $(LATENCY_TIMEOUT) s);" \
	            "see $(BENCH_DIR)/$$f.log" >&2; exit 1; fi; \
	    $(PYTHON) tools/bench2csv.py --select kind=result -o $(BENCH_DIR)/$$f.csv $(BENCH_DIR)/$$f.jsonl; \
	    gnuplot -c tools/bench-latency.gp $(BENCH_DIR)/$$f.csv $(BENCH_DIR)/$$f.png "$$f" || exit 1; \
	    echo "$$f: instructions (cycle counter under icount), release kernel:"; \
	    $(PYTHON) tools/bench2csv.py --select kind=result --table --columns "$(LATENCY_COLUMNS)" \
	        $(BENCH_DIR)/$$f.jsonl; \
	done
	@echo "bench: wrote $(foreach f,$(BENCH_FAMILIES),$(BENCH_DIR)/$(f).{jsonl,csv,png})"
