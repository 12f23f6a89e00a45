#!/usr/bin/env python3
"""Boots a root task that streams the kernel's event log, then converts and plots the log.

Used by `make run` (the demo) and `make trace APP=...` (any root task): QEMU runs the image
with -icount, the console is shown (the trace lines are replaced by a progress count, and a
kernel note repeated many times is shown once with a count) and saved as console.log; then
build/host/ktrace turns it into JSON lines, CSV and a Perfetto trace, gnuplot draws the
Gantt chart, the remaining budget and the per-window consumption, and the last lines name
every file written.

--check NAME makes it a test stage instead: PASS/FAIL lines for the demo's promises (no
missed deadline, the misbehaving thread held to its budget in every window of its period,
a clean trace, the plots written) for tools/tally.py."""
import argparse
import csv
import os
import re
import shlex
import subprocess
import sys
import time

TRACE_LINE = "@kt "
TRACE_BEGIN = "@ktrace begin"
TRACE_END = "@ktrace end"
PLOTS = ("gantt", "budget", "windows")
# The zoomed Gantt chart shows this many of the longest period, and never less than this.
ZOOM_PERIODS = 4
ZOOM_MIN_MS = 20.0
FORMATS = ("png", "svg")
# A kernel note printed this many times in a row is shown once more, then counted.
REPEAT_SHOW = 2
UNEXPECTED = ("kairos: warning:", "made inactive")
# What a window may hold beyond the budget: the kernel ends a run when the timer interrupt
# is taken, a few ticks after the budget's end (2 ticks, 32 ns, in the demo), and pays that
# back later (docs/scheduling.md, overruns). Budgets are enforced to the microsecond.
WINDOW_SLACK_US = 1.0


class Console:
    """Shows QEMU's console as it comes, without the trace's bulk."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.tty = sys.stdout.isatty()
        self.records = 0
        self.total = None
        self.last_key = None
        self.repeats = 0
        self.progress_shown = 0.0

    def show(self, text):
        if not self.quiet:
            print(text, flush=True)

    def flush_repeats(self):
        if self.repeats > REPEAT_SHOW:
            self.show("  (... and %d more like it)" % (self.repeats - REPEAT_SHOW))
        self.repeats = 0
        self.last_key = None

    def line(self, text):
        if text.startswith(TRACE_LINE):
            self.records += 3
            self.progress()
            return
        if text.startswith(TRACE_BEGIN):
            m = re.search(r"records=(\d+)", text)
            self.total = int(m.group(1)) if m else None
            self.flush_repeats()
            self.show("receiving the event log (%s records)..." % (self.total or "?"))
            return
        if text.startswith(TRACE_END):
            self.records = self.total or self.records
            self.progress(final=True)
            return
        # Kernel notes differ only in their numbers: group them on the rest.
        key = re.sub(r"0x[0-9a-f]+|\d+", "#", text) if text.startswith("kairos: ") else None
        if key is not None and key == self.last_key:
            self.repeats += 1
            if self.repeats <= REPEAT_SHOW:
                self.show(text)
            return
        self.flush_repeats()
        self.last_key = key
        self.repeats = 1 if key else 0
        self.show(text)

    def progress(self, final=False):
        now = time.monotonic()
        if self.quiet or (not final and now - self.progress_shown < 0.5):
            return
        self.progress_shown = now
        done = min(self.records, self.total or self.records)
        msg = "  %d/%s records" % (done, self.total or "?")
        if self.tty:
            sys.stdout.write("\r" + msg + ("\n" if final else ""))
            sys.stdout.flush()
        elif final:
            print(msg, flush=True)


def run_qemu(qemu_cmd, image, log_path, timeout, quiet):
    if image.endswith(".qemu"):
        # Booted some other way than -kernel (through U-Boot, tools/uboot/uboot.mk): the
        # file holds the QEMU arguments that load it.
        with open(image) as f:
            cmd = shlex.split(qemu_cmd) + shlex.split(f.read().strip())
    else:
        cmd = shlex.split(qemu_cmd) + ["-kernel", image]
    console = Console(quiet)
    start = time.monotonic()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
        try:
            for raw in proc.stdout:
                log.write(raw)
                console.line(raw.rstrip("\r\n"))
                if time.monotonic() - start > timeout:
                    proc.kill()
                    console.show("ktrace-run: QEMU killed after %d s" % timeout)
                    break
        finally:
            console.flush_repeats()
            status = proc.wait()
    return status, time.monotonic() - start


def convert(ktrace, log_path, out_dir, title):
    cmd = [ktrace, "-o", out_dir, log_path] + (["--title", title] if title else [])
    res = subprocess.run(cmd, capture_output=True, text=True)
    return res.returncode, res.stdout, res.stderr


def zoom_ms(out_dir):
    """A readable stretch for the Gantt chart: four of the longest period (at least 20 ms),
    or None when the whole trace is no longer than that."""
    periods, length = [], 0.0
    try:
        for row in csv.DictReader(open(os.path.join(out_dir, "threads.csv"))):
            periods.append(float(row.get("period_us") or 0))
        for line in open(os.path.join(out_dir, "summary.txt")):
            m = re.match(r"trace .*length_us=([0-9.]+)", line)
            length = float(m.group(1)) if m else length
    except (OSError, ValueError):
        return None
    span = max([ZOOM_MIN_MS] + [ZOOM_PERIODS * p / 1000.0 for p in periods])
    return span if span < length / 1000.0 else None


def plot(out_dir, tools_dir):
    """Each plot in each format; the Gantt chart zoomed (gantt) and whole (gantt-full)."""
    written, errors = [], []
    span = zoom_ms(out_dir)
    jobs = [(name, name, "") for name in PLOTS]
    if span is not None:
        jobs[0] = ("gantt", "gantt", "; to_ms=%g" % span)
        jobs.insert(1, ("gantt", "gantt-full", "; name='gantt-full'"))
    for script_name, name, extra in jobs:
        script = os.path.join(tools_dir, "ktrace-%s.gp" % script_name)
        for fmt in FORMATS:
            res = subprocess.run(["gnuplot", "-e", "dir='%s'; fmt='%s'%s" % (out_dir, fmt, extra),
                                  script], capture_output=True, text=True)
            path = os.path.join(out_dir, "%s.%s" % (name, fmt))
            if res.returncode == 0 and os.path.exists(path) and os.path.getsize(path) > 0:
                written.append(path)
            else:
                errors.append("%s: %s" % (script, res.stderr.strip() or "no output"))
    return written, errors


def read_summary(path):
    """summary.txt: a `trace key=value...` line, then a `thread key=value...` line each."""
    trace, threads = {}, []
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return trace, threads
    for line in lines:
        kind, _, rest = line.partition(" ")
        fields = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', rest))
        if kind == "trace":
            trace = fields
        elif kind == "thread":
            threads.append(fields)
    return trace, threads


def show_summary(trace, threads):
    if not threads:
        return
    print("from the event log (%s records, %s dropped, %.1f ms):" % (
        trace.get("records", "?"), trace.get("dropped", "?"),
        float(trace.get("length_us", 0)) / 1000.0))
    print("  %-12s %6s %9s %13s %9s %9s" % ("thread", "share", "exhausted", "max/window",
                                              "budget", "timeouts"))
    for t in threads:
        budget = t.get("budget_us", "0")
        print("  %-12s %5s%% %9s %10s us %6s us %9s" % (
            t.get("name", "?"), t.get("share", "?"), t.get("exhausted", "?"),
            t.get("max_window_us", "-"), budget if budget != "0" else "-", t.get("timeouts", "?")))


def check_demo(name, console_text, status, conv_rc, conv_err, trace, threads, plots):
    """PASS/FAIL lines for the demo's promises; returns the number of failures."""
    results = []

    def result(case, ok, why=""):
        results.append((case, ok, why))

    m = re.search(r"^demo: misses=(\d+) timeouts=(\d+) jobs=(\d+),(\d+) requests=(\d+)",
                  console_text, re.M)
    result("runs_to_the_end", status == 0 and m is not None,
           "QEMU status %d, summary line %s" % (status, "found" if m else "missing"))
    if m:
        misses, timeouts, sensor_jobs, control_jobs, requests = map(int, m.groups())
        result("periodic_tasks_miss_nothing", misses == 0, "%d deadlines missed" % misses)
        result("every_job_ran", sensor_jobs >= 200 and control_jobs >= 100 and requests >= 100,
               "jobs %d and %d, requests %d" % (sensor_jobs, control_jobs, requests))
        result("hog_gets_a_timeout_fault_per_period", 99 <= timeouts <= 101,
               "%d timeout faults in a second of 10 ms periods" % timeouts)
    bad = [l for l in console_text.splitlines() if any(u in l for u in UNEXPECTED)]
    result("no_kernel_warning", not bad, bad[0] if bad else "")
    result("trace_converts_cleanly", conv_rc == 0, conv_err.strip().splitlines()[0]
           if conv_err.strip() else "ktrace exit %d" % conv_rc)
    result("trace_dropped_nothing", trace.get("dropped") == "0",
           "dropped=%s" % trace.get("dropped"))
    by_name = dict((t.get("name"), t) for t in threads)
    for thread in ("sensor", "control", "hog"):
        t = by_name.get(thread)
        if t is None:
            result("%s_within_budget_in_every_window" % thread, False, "not in the trace")
            continue
        worst, budget = float(t.get("max_window_us", "inf")), float(t.get("budget_us", 0))
        result("%s_within_budget_in_every_window" % thread,
               0 < budget and worst <= budget + WINDOW_SLACK_US,
               "%.3f us consumed in one %s us period, budget %.0f us" % (
                   worst, t.get("period_us"), budget))
    hog = by_name.get("hog", {})
    result("hog_exhausts_its_budget_every_period", int(hog.get("exhausted", 0)) >= 99,
           "exhausted=%s" % hog.get("exhausted"))
    want = (len(PLOTS) + 1) * len(FORMATS)  # with the whole-trace Gantt chart
    result("plots_written", len(plots) == want, "%d of %d" % (len(plots), want))
    for case, ok, why in results:
        if ok:
            print("PASS %s/%s" % (name, case))
        else:
            print("FAIL %s/%s: %s" % (name, case, why))
    return sum(1 for _, ok, _ in results if not ok)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qemu-args", required=True, help="file with the QEMU command line")
    ap.add_argument("--image", required=True)
    ap.add_argument("--out", required=True, help="folder for the log, data and plots")
    ap.add_argument("--ktrace", default="build/host/ktrace")
    ap.add_argument("--title", default="")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--check", metavar="NAME", help="print PASS/FAIL lines for the demo")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    log_path = os.path.join(args.out, "console.log")
    qemu_cmd = open(args.qemu_args).read().strip()
    quiet = args.check is not None
    if not quiet:
        print("booting %s under QEMU (-icount: virtual time follows instructions)" % args.image,
              flush=True)
    status, elapsed = run_qemu(qemu_cmd, args.image, log_path, args.timeout, quiet)
    text = open(log_path, errors="replace").read().replace("\r", "")
    if TRACE_BEGIN not in text:
        msg = "no event log in the console output (QEMU status %d); see %s" % (status, log_path)
        if quiet:
            print("FAIL %s/trace_present: %s" % (args.check, msg))
            return 1
        print("ktrace-run: " + msg, file=sys.stderr)
        return 1
    if not quiet:
        print("converting and plotting...", flush=True)
    conv_rc, conv_out, conv_err = convert(args.ktrace, log_path, args.out, args.title)
    if conv_err and not quiet:
        sys.stderr.write(conv_err)
    plots, plot_errors = plot(args.out, os.path.dirname(os.path.abspath(__file__)))
    for e in plot_errors:
        print("ktrace-run: " + e, file=sys.stderr)
    trace, threads = read_summary(os.path.join(args.out, "summary.txt"))
    if quiet:
        return 1 if check_demo(args.check, text, status, conv_rc, conv_err, trace, threads,
                               plots) else 0
    show_summary(trace, threads)
    print("QEMU ran %.1f s of wall time (status %d). Files written:" % (elapsed, status))
    written = [log_path] + [l.strip() for l in conv_out.splitlines() if l.strip()] + plots
    seen = set()
    for path in written:
        if path not in seen:
            seen.add(path)
            print("  " + path)
    return 0 if status == 0 and conv_rc == 0 and not plot_errors else 1


if __name__ == "__main__":
    sys.exit(main())
