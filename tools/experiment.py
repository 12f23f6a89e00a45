#!/usr/bin/env python3
"""Runs a schedulability experiment (`make experiment`, docs/experiments.md).

1. Boots the experiment root task without a batch: it measures the kernel's overheads.
2. build/host/rtexp generates the task sets from the experiment file, with RTA bounds with
   and without those overheads, dealt into one batch per QEMU instance.
3. Each batch goes into a copy of the root task (objcopy --update-section, no recompiling),
   is packed into an image and booted; the instances run in parallel, one per job.
4. A progress line counts finished sets and estimates the time left. An instance that
   prints no result for --set-timeout seconds is killed: the set it was running is
   reported as failed and the rest of its batch runs in a new instance.
5. rtexp merges the console logs with the analysis into JSON lines and CSV, gnuplot draws
   the plots, and the last lines name every file written."""
import argparse
import os
import re
import shlex
import struct
import subprocess
import sys
import time

HEADER = struct.Struct("<4I")    # struct rtexp_batch: magic, version, nsets, batch
SET_HEAD = struct.Struct("<4I")  # struct rtexp_set: id, ntasks, run_us, flags
TASK_BYTES = 24
MAX_TASKS = 16
SET_BYTES = SET_HEAD.size + MAX_TASKS * TASK_BYTES
SET_LINE = re.compile(r'^\{"exp":"set","set":(\d+)')
SECTION = ".rtexp_batch"
PLOTS = ("ratio", "wcrt", "isolation")
POLL_S = 0.2
CALIBRATION_TIMEOUT_S = 120


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def read_batch(path):
    data = open(path, "rb").read()
    magic, version, nsets, batch = HEADER.unpack_from(data, 0)
    sets = [data[HEADER.size + i * SET_BYTES:HEADER.size + (i + 1) * SET_BYTES]
            for i in range(nsets)]
    return (magic, version, batch), sets, len(data)


def write_batch(path, head, sets, size):
    magic, version, batch = head
    data = HEADER.pack(magic, version, len(sets), batch) + b"".join(sets)
    open(path, "wb").write(data + b"\0" * (size - len(data)))


def set_id(raw):
    return SET_HEAD.unpack_from(raw, 0)[0]


class Instance:
    """One QEMU booting one batch (or what is left of it)."""

    def __init__(self, runner, name, batch_path, sets):
        self.runner, self.name, self.sets = runner, name, sets
        self.done = set()
        self.log_path = os.path.join(runner.out, "%s.log" % name)
        image = runner.pack(name, batch_path)
        cmd = shlex.split(runner.qemu) + ["-kernel", image]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace",
                                     bufsize=1)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.last_progress = time.monotonic()
        self.partial = ""

    def poll(self):
        """Reads what QEMU printed; returns False once it has exited."""
        try:
            chunk = self.proc.stdout.read()
        except (BlockingIOError, TypeError):
            chunk = None
        if chunk:
            self.log.write(chunk)
            self.log.flush()
            lines = (self.partial + chunk).split("\n")
            self.partial = lines.pop()
            for line in lines:
                m = SET_LINE.match(line.strip())
                if m:
                    self.done.add(int(m.group(1)))
                    self.last_progress = time.monotonic()
        return self.proc.poll() is None

    def close(self):
        self.poll()
        self.log.close()


class Runner:
    def __init__(self, args):
        self.args = args
        self.out = args.out
        self.qemu = open(args.qemu_args).read().strip()
        self.logs = []
        self.failed = []

    def pack(self, name, batch_path):
        """The root task with this batch in its section, packed into an image."""
        elf = os.path.join(self.out, "%s.elf" % name)
        res = sh([self.args.objcopy, "--update-section", "%s=%s" % (SECTION, batch_path),
                  self.args.app, elf])
        if res.returncode != 0:
            sys.exit("experiment: objcopy failed: %s" % res.stderr.strip())
        image_name = "exp-%s-%s" % (self.args.name, name)
        res = sh(shlex.split(self.args.image_cmd) + ["ROOT_TASK=" + elf, "NAME=" + image_name])
        if res.returncode != 0:
            sys.exit("experiment: packing the image failed:\n" + res.stdout + res.stderr)
        return os.path.join(self.args.images, image_name + ".elf")

    def calibrate(self):
        path = os.path.join(self.out, "calibration.log")
        cmd = shlex.split(self.qemu) + ["-kernel", os.path.join(self.args.images, "rtexp.elf")]
        with open(path, "w") as log:
            res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, timeout=CALIBRATION_TIMEOUT_S)
        text = open(path, errors="replace").read()
        m = re.search(r'\{"exp":"overheads".*\}', text)
        if res.returncode != 0 or not m:
            sys.exit("experiment: calibration failed (status %d); see %s" % (res.returncode, path))
        print("overheads measured on this kernel: %s" % m.group(0), flush=True)
        return path

    def run(self, batches):
        pending = []
        for k, path in enumerate(batches):
            head, sets, size = read_batch(path)
            pending.append(("batch-%d" % k, path, head, sets, size))
        total = sum(len(p[3]) for p in pending)
        running, finished, start = [], 0, time.monotonic()
        retries = 0
        while pending or running:
            while pending and len(running) < self.args.jobs:
                name, path, head, sets, size = pending.pop(0)
                running.append((Instance(self, name, path, [set_id(s) for s in sets]),
                                path, head, sets, size))
            time.sleep(POLL_S)
            still = []
            for inst, path, head, sets, size in running:
                alive = inst.poll()
                stuck = time.monotonic() - inst.last_progress > self.args.set_timeout
                if alive and not stuck:
                    still.append((inst, path, head, sets, size))
                    continue
                if alive:
                    inst.proc.kill()
                    inst.proc.wait()
                inst.close()
                self.logs.append(inst.log_path)
                left = [s for s in sets if set_id(s) not in inst.done]
                if left:
                    # The first set without a result is the one it was running.
                    bad = set_id(left[0])
                    why = "timed out after %g s" % self.args.set_timeout if alive else \
                        "QEMU exited with status %d" % inst.proc.returncode
                    self.failed.append((bad, why, inst.log_path))
                    print("\nexperiment: set %d failed (%s); see %s" % (bad, why, inst.log_path),
                          flush=True)
                    if left[1:]:
                        retries += 1
                        name = "%s-rest%d" % (inst.name.split("-rest")[0], retries)
                        rest = os.path.join(self.out, name + ".bin")
                        write_batch(rest, head, left[1:], size)
                        pending.append((name, rest, head, left[1:], size))
            running = still
            finished = sum(len(i.done) for i, *_ in running) + \
                sum(1 for log in self.logs for _ in open(log, errors="replace")
                    if SET_LINE.match(_.strip()))
            self.progress(finished, total, start)
        self.progress(total, total, start, final=True)

    def progress(self, done, total, start, final=False):
        elapsed = time.monotonic() - start
        left = elapsed / done * (total - done) if done else 0
        msg = "  sets %d/%d, %d s elapsed, ~%d s left" % (done, total, elapsed, left)
        if sys.stdout.isatty():
            sys.stdout.write("\r" + msg + " " * 8 + ("\n" if final else ""))
            sys.stdout.flush()
        elif final or int(elapsed) % 30 == 0 and elapsed - int(elapsed) < POLL_S:
            print(msg, flush=True)


# agreement.txt's check lines, in order, as test names.
CHECKS = ("verdict_agrees_with_rta_with_overheads", "rta_schedulable_sets_miss_nothing",
          "worst_response_within_the_rta_bounds", "enforcement_isolates_the_other_tasks",
          "overrunning_task_within_budget_in_every_window", "no_set_failed")


def check(args, runner, merge_rc, plots):
    """One PASS/FAIL line per rtexp check, and one for the plots."""
    try:
        lines = [l for l in open(os.path.join(args.out, "agreement.txt")).read().splitlines()
                 if l.endswith(": ok") or l.endswith(": BROKEN")]
    except OSError:
        lines = []
    failed = 0
    for i, name in enumerate(CHECKS):
        line = lines[i] if i < len(lines) else None
        if line is not None and line.endswith(": ok"):
            print("PASS %s/%s" % (args.check, name))
        else:
            failed += 1
            print("FAIL %s/%s: %s" % (args.check, name, line or "no such line in agreement.txt"))
    for bad, why, log in runner.failed:
        print("  set %d failed (%s), %s" % (bad, why, log))
    ok = len(plots) == len(PLOTS)
    print("%s %s/plots_written%s" % ("PASS" if ok else "FAIL", args.check,
                                     "" if ok else ": %d of %d" % (len(plots), len(PLOTS))))
    failed += 0 if ok else 1
    if merge_rc != 0 and failed == 0:
        print("FAIL %s/merge: rtexp merge exited with %d" % (args.check, merge_rc))
        failed = 1
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exp", required=True, help="experiment file (bench/experiments/*.json)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--qemu-args", required=True)
    ap.add_argument("--app", required=True, help="the experiment root task ELF")
    ap.add_argument("--images", required=True, help="where `make image` puts images")
    ap.add_argument("--image-cmd", required=True, help="command that packs ROOT_TASK= NAME=")
    ap.add_argument("--rtexp", default="build/host/rtexp")
    ap.add_argument("--objcopy", default="aarch64-linux-gnu-objcopy")
    ap.add_argument("--set-timeout", type=float, default=120.0,
                    help="seconds an instance may go without a result before it is killed")
    ap.add_argument("--check", metavar="NAME",
                    help="a test stage: PASS/FAIL lines for each of rtexp's checks")
    args = ap.parse_args()
    args.name = os.path.splitext(os.path.basename(args.exp))[0]
    os.makedirs(args.out, exist_ok=True)
    for stale in os.listdir(args.out):
        if stale.endswith((".log", ".bin", ".elf")):
            os.remove(os.path.join(args.out, stale))

    # The experiment file is checked before anything boots: a bad field stops it here.
    res = sh([args.rtexp, "gen", args.exp, "-o", os.path.join(args.out, "validate"), "--jobs",
              str(max(args.jobs, 2))])
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        if args.check:
            print("FAIL %s/experiment_file: %s" % (args.check, res.stderr.strip()))
        return res.returncode
    runner = Runner(args)
    print("experiment %s: calibrating..." % args.name, flush=True)
    calibration = runner.calibrate()
    # At least two batches: a batch holds 640 sets, and the default experiment has more.
    res = sh([args.rtexp, "gen", args.exp, "-o", args.out, "--jobs", str(max(args.jobs, 2)),
              "--overheads", calibration])
    sys.stderr.write(res.stderr)
    if res.returncode != 0:
        return res.returncode
    batches = sorted((os.path.join(args.out, f) for f in os.listdir(args.out)
                      if re.match(r"batch-\d+\.bin$", f)),
                     key=lambda p: int(re.search(r"(\d+)\.bin$", p).group(1)))
    print("running %d batches on %d QEMU instances (-icount)..." % (len(batches), args.jobs),
          flush=True)
    runner.run(batches)
    res = sh([args.rtexp, "merge", args.out] + runner.logs)
    sys.stdout.write(res.stdout)
    sys.stderr.write(res.stderr)
    plots = []
    for name in PLOTS:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rtexp-%s.gp" % name)
        r = sh(["gnuplot", "-e", "dir='%s'" % args.out, script])
        path = os.path.join(args.out, name + ".png")
        if r.returncode == 0 and os.path.exists(path):
            plots.append(path)
        elif r.stderr.strip():
            print("experiment: %s: %s" % (script, r.stderr.strip()), file=sys.stderr)
    if args.check:
        return check(args, runner, res.returncode, plots)
    for bad, why, log in runner.failed:
        print("failed: set %d (%s), %s" % (bad, why, log))
    print("files written:")
    for path in [calibration] + runner.logs + plots:
        print("  " + path)
    return 1 if res.returncode != 0 or runner.failed else 0


if __name__ == "__main__":
    sys.exit(main())
