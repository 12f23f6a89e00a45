#!/usr/bin/env python3
"""Fuzzing campaigns on Kairos under QEMU, and minimisation of what they find.

  fuzz.py campaign --seeds 1-100 --ops 100000   one boot per seed, checked kernel (FUZZ=1)
  fuzz.py replay LOG                            reruns a failed seed from its log, minimises

A seed fails when its boot ends in a kernel exception, a failed kernel invariant, a kernel
warning, a thread made inactive, a FAIL line (a leak, a wrong answer), a hang, or anything
but exit status 0 after its PASS line. A failing seed is minimised (unless --no-minimise):
first the shortest prefix of its ops that still fails the same way (bisection on OPS), then
the fewest ops of that prefix that do (delta debugging over PLAN files; op i is the same op
whichever others run, tests/fuzz/fuzz.mk). Each step rebuilds only the fuzzer's objects.
Everything goes to --out (default build/<PLAT>/fuzz): one log per boot, the minimal plan
(seed-<s>.min.plan) and the log of its run (seed-<s>.min.log).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import time

# How long a boot may go without printing anything before it counts as hung: the fuzzer
# prints a progress line every 2^14 ops, a few seconds apart even with the checks on.
SILENCE_TIMEOUT = 60.0
ROOT_TASK_ENTERED = "kairos: entering the root task"


def parse_seeds(spec):
    seeds = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d+)-(\d+)", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if hi < lo:
                raise SystemExit("fuzz: empty seed range %s" % part)
            seeds.extend(range(lo, hi + 1))
        elif re.fullmatch(r"\d+|0x[0-9a-fA-F]+", part):
            seeds.append(int(part, 0))
        else:
            raise SystemExit("fuzz: %r is not a seed or a range of seeds (like 1-100)" % part)
    if not seeds:
        raise SystemExit("fuzz: no seeds")
    return seeds


class Builder:
    """One build directory per concurrent boot: a rebuild for new SEEDS/OPS/PLAN then
    compiles only the fuzzer's own objects and repacks the image."""

    def __init__(self, plat, out, make_vars, checked=True):
        self.checked = checked
        self.plat = plat
        self.out = out
        self.make_vars = make_vars

    def build(self, slot, seed, ops, plan=None):
        build = os.path.join(self.out, "build-%d" % slot)
        args = ["make", "--no-print-directory", "-s", "PLAT=" + self.plat, "BUILD=" + build,
                "FUZZ=%d" % self.checked, "SEEDS=%d" % seed, "OPS=%d" % ops, "PLAN=" + (plan or "")]
        args += self.make_vars
        args += [os.path.join(build, "images", "fuzz.elf"), os.path.join(build, "qemu.args")]
        r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stdout)
            raise SystemExit("fuzz: building the fuzzer failed: %s" % " ".join(args))
        return build


def boot(build, log_path, header, on_line=None):
    """Boots the build's fuzz image; returns (text, status, hung)."""
    with open(os.path.join(build, "qemu.args")) as f:
        cmd = shlex.split(f.read().strip()) + ["-kernel", os.path.join(build, "images", "fuzz.elf")]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = bytearray()
    pending = b""
    hung = False
    last = time.monotonic()
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        try:
            chunk = os.read(proc.stdout.fileno(), 65536)
        except BlockingIOError:
            chunk = None
        if chunk == b"":
            break
        if chunk:
            last = time.monotonic()
            out += chunk
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if on_line:
                    on_line(line.decode("utf-8", errors="replace").rstrip("\r"))
            continue
        if time.monotonic() - last > SILENCE_TIMEOUT:
            hung = True
            proc.kill()
            break
        time.sleep(0.05)
    status = proc.wait()
    text = out.decode("utf-8", errors="replace").replace("\r", "")
    with open(log_path, "w") as f:
        f.write("# %s\n# %s\n%s" % (header, " ".join(shlex.quote(c) for c in cmd), text))
    return text, (None if hung else status), hung


def failure_signature(text, status, hung, seed):
    """None for a passed seed, else a short description that a reproduction must match."""
    # The fuzzer's ALLOW lines (tools/run-system-tests.py) name what it provokes on purpose:
    # its pool threads made inactive.
    allowed = [re.compile(m.group(1)) for m in re.finditer(r"^ALLOW (.*)$", text, re.M)]
    lines = [l for l in text.splitlines()
             if not l.startswith("ALLOW ") and not any(p.search(l) for p in allowed)]
    for l in lines:
        m = re.search(r"kairos: invariant failed: ([^:]*)", l)
        if m:
            return "invariant: " + m.group(1).strip()
    if any("KERNEL EXCEPTION" in l for l in lines):
        return "kernel exception"
    for l in lines:
        if "kairos: warning:" in l:
            return "kernel warning: " + re.sub(r"0x[0-9a-f]+|\d+", "#", l.split("warning:", 1)[1].strip())
        if "made inactive" in l:
            return "thread made inactive"
    for l in lines:
        m = re.match(r"FAIL (\S+?):? (.*)$", l)
        if m:
            return "FAIL: " + re.sub(r"0x[0-9a-f]+|\d+", "#", m.group(2))
    if hung:
        return "hang"
    if not any(ROOT_TASK_ENTERED in l for l in lines):
        return "no boot"
    if not any(l.strip() == "PASS fuzz_seed_%d" % seed for l in lines):
        return "incomplete (exit status %s)" % status
    if status != 0:
        return "exit status %s" % status
    return None


# seL4_Error's names (libsel4/include/sel4/errors.h), in code order.
ERROR_NAMES = ["NoError", "InvalidArgument", "InvalidCapability", "IllegalOperation", "RangeError",
               "AlignmentError", "FailedLookup", "TruncatedMessage", "DeleteFirst", "RevokeFirst",
               "NotEnoughMemory"]
ERRORS_PLOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz-errors.gp")


def plot_errors(errors, out, title):
    """errors.csv and, where gnuplot is, errors.png: the campaign's replies by code."""
    csv_path = os.path.join(out, "errors.csv")
    with open(csv_path, "w") as f:
        f.write("code,name,replies\n")
        for code in sorted(errors, key=error_order):
            name = ERROR_NAMES[int(code)] if code.isdigit() and int(code) < len(ERROR_NAMES) else code
            f.write("%s,%s,%d\n" % (code, name, errors[code]))
    written = [csv_path]
    try:
        r = subprocess.run(["gnuplot", "-e", "dir='%s'; title='%s'" % (out, title), ERRORS_PLOT],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode == 0:
            written.append(os.path.join(out, "errors.png"))
        else:
            sys.stderr.write(r.stdout)
    except FileNotFoundError:
        print("fuzz: no gnuplot: no errors.png")
    return written


def error_order(code):
    """seL4_Error codes in numeric order, the fuzzer's `other` bucket last."""
    return (0, int(code)) if code.isdigit() else (1, 0)


def stats_of(text):
    m = re.search(r"^FUZZ seed=\S+ ops=(\d+) faults=(\d+) restarts=(\d+) hash=([0-9a-f]+)", text, re.M)
    if not m:
        return None
    errors = {}
    e = re.search(r"^FUZZ errors seed=\S+ (.*)$", text, re.M)
    if e:
        for kv in e.group(1).split():
            k, _, v = kv.partition("=")
            errors[k] = int(v)
    return {"ops": int(m.group(1)), "faults": int(m.group(2)), "restarts": int(m.group(3)),
            "hash": m.group(4), "errors": errors}


def run_seed(builder, slot, seed, ops, out, plan=None, tag=None, live=None):
    build = builder.build(slot, seed, ops, plan)
    name = tag or "seed-%d" % seed
    log = os.path.join(out, name + ".log")
    header = json.dumps({"seed": seed, "ops": ops, "plan": plan, "plat": builder.plat,
                         "checked": builder.checked, "make_vars": builder.make_vars})
    start = time.monotonic()
    text, status, hung = boot(build, log, header, live)
    return failure_signature(text, status, hung, seed), text, time.monotonic() - start, log


def write_plan(path, indices):
    with open(path, "w") as f:
        f.write(", ".join(str(i) for i in indices) + "\n")


def minimise(builder, seed, ops, signature, out):
    """Shortest failing prefix, then delta debugging (ddmin) with the prefix's last op kept."""
    trials = [0]

    def fails_prefix(n):
        trials[0] += 1
        sig, _, _, _ = run_seed(builder, 0, seed, n, out, tag="seed-%d.min-try" % seed)
        ok = sig == signature
        print("  minimise: [%d] first %d ops: %s" % (trials[0], n, "fails the same way" if ok else
                                                      "does not (%s)" % (sig or "passes")), flush=True)
        return ok

    lo, hi = 0, ops
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fails_prefix(mid):
            hi = mid
        else:
            lo = mid
    last = hi - 1
    plan_path = os.path.join(out, "seed-%d.try.plan" % seed)

    def fails_plan(indices):
        trials[0] += 1
        write_plan(plan_path, sorted(indices) + [last])
        sig, _, _, _ = run_seed(builder, 0, seed, ops, out, plan=plan_path, tag="seed-%d.min-try" % seed)
        ok = sig == signature
        print("  minimise: [%d] %d ops: %s" % (trials[0], len(indices) + 1,
                                                "fails the same way" if ok else "does not"), flush=True)
        return ok

    keep = list(range(last))
    if keep and fails_plan([]):
        keep = []
    n = 2
    while len(keep) >= 2:
        chunk = (len(keep) + n - 1) // n
        subsets = [keep[i:i + chunk] for i in range(0, len(keep), chunk)]
        reduced = False
        for s in subsets:
            dropped = set(s)
            complement = [i for i in keep if i not in dropped]
            if fails_plan(complement):
                keep = complement
                n = max(n - 1, 2)
                reduced = True
                break
        if not reduced:
            if n >= len(keep):
                break
            n = min(n * 2, len(keep))
    if len(keep) == 1 and fails_plan([]):
        keep = []
    final = sorted(keep) + [last]
    min_plan = os.path.join(out, "seed-%d.min.plan" % seed)
    write_plan(min_plan, final)
    sig, text, _, log = run_seed(builder, 0, seed, ops, out, plan=min_plan, tag="seed-%d.min" % seed)
    for stale in (plan_path, os.path.join(out, "seed-%d.min-try.log" % seed)):
        if os.path.exists(stale):
            os.remove(stale)
    print("minimise: seed %d fails (%s) with %d op(s): %s" % (seed, signature, len(final),
                                                             ", ".join(map(str, final))))
    for l in text.splitlines():
        if l.startswith("FUZZ op") or "kairos: invariant" in l or "KERNEL EXCEPTION" in l or \
                l.startswith("FAIL"):
            print("  " + l)
    if sig != signature:
        print("minimise: warning: the minimal plan's own run ended differently (%s)" % sig)
    print("minimise: wrote %s and %s (%d boots)" % (min_plan, log, trials[0] + 1))
    return min_plan


def campaign(args):
    seeds = parse_seeds(args.seeds)
    out = args.out or os.path.join("build", args.plat, "fuzz")
    os.makedirs(out, exist_ok=True)
    builder = Builder(args.plat, out, args.make_var, not args.unchecked)
    # One build first, so that the parallel builds that follow only repack.
    builder.build(0, seeds[0], args.ops)
    total = len(seeds) * args.ops
    print("fuzz: %d seed(s) x %d ops = %d ops on %s, %s, %d at a time; logs in %s"
          % (len(seeds), args.ops, total, args.plat,
             ("unchecked kernel (FUZZ=0" if args.unchecked else "checked kernel (FUZZ=1")
             + "".join(", " + v for v in args.make_var) + ")", args.jobs, out),
          flush=True)
    done_ops = 0
    failures = []
    errors = {}
    start = time.monotonic()
    slots = list(range(args.jobs))

    def one(seed):
        slot = slots.pop()
        try:
            return seed, run_seed(builder, slot, seed, args.ops, out)
        finally:
            slots.append(slot)

    summary = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for k, fut in enumerate(concurrent.futures.as_completed([pool.submit(one, s) for s in seeds]), 1):
            seed, (sig, text, elapsed, log) = fut.result()
            st = stats_of(text)
            if st:
                done_ops += st["ops"]
                for code, n in st["errors"].items():
                    errors[code] = errors.get(code, 0) + n
            rate = (st["ops"] / elapsed) if st and elapsed > 0 else 0
            summary.append({"seed": seed, "result": sig or "pass", "seconds": round(elapsed, 2),
                            **(st or {})})
            wall = time.monotonic() - start
            print("  [%d/%d] seed %d: %s, %s ops in %.1f s (%.0f ops/s); %d ops so far, %.0f ops/s overall"
                  % (k, len(seeds), seed, "PASS" if sig is None else "FAIL (%s)" % sig,
                     st["ops"] if st else "?", elapsed, rate, done_ops, done_ops / wall if wall else 0),
                  flush=True)
            if sig:
                failures.append((seed, sig, log))
    wall = time.monotonic() - start
    summary_path = os.path.join(out, "campaign.jsonl")
    with open(summary_path, "w") as f:
        for row in sorted(summary, key=lambda r: r["seed"]):
            f.write(json.dumps(row) + "\n")
    print("fuzz: %d ops in %.0f s (%.0f ops/s with %d QEMUs), %d seed(s) failed; errors by code: %s"
          % (done_ops, wall, done_ops / wall if wall else 0, args.jobs, len(failures),
             " ".join("%s=%d" % (k, errors[k]) for k in sorted(errors, key=error_order))))
    for seed, sig, log in failures:
        print("fuzz: seed %d failed: %s (%s)" % (seed, sig, log))
        if not args.no_minimise:
            minimise(builder, seed, args.ops, sig, out)
    plots = plot_errors(errors, out, "fuzzing: %d ops over %d seed(s), replies by error code"
                        % (done_ops, len(seeds))) if errors else []
    print("fuzz: wrote %s and one log per seed in %s" % (", ".join([summary_path] + plots), out))
    return 1 if failures else 0


def replay(args):
    with open(args.log) as f:
        header = json.loads(f.readline()[1:].strip())
    out = args.out or os.path.dirname(args.log) or "."
    builder = Builder(header["plat"], out, header.get("make_vars", []) + args.make_var,
                      header.get("checked", True))
    seed, ops = header["seed"], header["ops"]
    print("fuzz: replaying seed %d, %d ops%s" % (seed, ops, ", plan " + header["plan"] if header["plan"] else ""),
          flush=True)
    sig, _, elapsed, log = run_seed(builder, 0, seed, ops, out, plan=header["plan"],
                                    tag="seed-%d.replay" % seed)
    print("fuzz: replay %s in %.1f s (%s)" % ("passed" if sig is None else "failed: " + sig, elapsed, log))
    if sig and not args.no_minimise and not header["plan"]:
        minimise(builder, seed, ops, sig, out)
    return 1 if sig else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("campaign", help="run seeds, minimise failures")
    c.add_argument("--seeds", default="1-10", help="seeds: 1,2,7 or 1-100 or both")
    c.add_argument("--ops", type=int, default=100000, help="operations per seed")
    c.add_argument("--jobs", type=int, default=2, help="QEMUs at once")
    c.add_argument("--unchecked", action="store_true",
                   help="a kernel without the invariant checks (FUZZ=0): faster, finds only crashes, hangs and leaks")
    r = sub.add_parser("replay", help="rerun a seed from its log and minimise it")
    r.add_argument("log")
    for p in (c, r):
        p.add_argument("--plat", default="qemu-arm-virt")
        p.add_argument("--out", help="output folder (default build/<PLAT>/fuzz)")
        p.add_argument("--no-minimise", action="store_true")
        p.add_argument("--make-var", action="append", default=[], help="extra make variable, VAR=value")
    args = ap.parse_args()
    return campaign(args) if args.cmd == "campaign" else replay(args)


if __name__ == "__main__":
    sys.exit(main())
