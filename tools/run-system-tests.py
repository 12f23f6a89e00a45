#!/usr/bin/env python3
"""Boots Kairos test images under QEMU and turns what they print into test results.

Each --run NAME:BUILD_DIR:IMAGE boots IMAGE with the QEMU command in BUILD_DIR/qemu.args.
The root task speaks a small line protocol on the console:
  SUITE <name> <count>        how many PASS/FAIL lines to expect from it
  PASS <test>                 a passed test
  FAIL <test>: <why>          a failed test
  EXPECT <test> <regex>       the test passes if some other console line matches regex
  FEED <test> <text>          the runner types <text> into the serial port (QEMU's stdin)
  STATUS <n>                  the run must end with QEMU exit status n, not 0 (a run that
                              makes the kernel stop on purpose)
  ALLOW <regex>               console lines matching regex are no failure (not a test: a
                              run that makes threads inactive on purpose, as the fuzzer)
A run also fails on a timeout, a wrong exit status, missing results, a kernel exception,
and on any console line the kernel prints when it makes a thread inactive, warns
("kairos: warning: ...") or finds one of its invariants broken (FUZZ=1 kernels) that no
EXPECT or ALLOW line of the run accounts for: a thread a test did not mean to lose is a failure even
when every test passed.
Every result is printed as 'PASS NAME/<test>' or 'FAIL NAME/<test>: why'.
"""
import argparse
import concurrent.futures
import os
import re
import select
import shlex
import subprocess
import sys
import time

KERNEL_PANIC = "KERNEL EXCEPTION"
# The kernel's last boot line: a run without it never got as far as user space.
ROOT_TASK_ENTERED = "kairos: entering the root task"
# Console lines that need an EXPECT to be acceptable.
UNEXPECTED = re.compile(r"made inactive|kairos: warning:|kairos: invariant")


def run_image(name, build_dir, image, timeout, log_dir, extra_args):
    """Runs QEMU, answering FEED lines by writing their text to the serial port (QEMU's
    stdin), until it exits or the timeout passes. Returns (text, status, timed_out, s)."""
    with open(os.path.join(build_dir, "qemu.args")) as f:
        qemu = shlex.split(f.read().strip())
    if image.endswith(".qemu"):
        # Booted some other way than -kernel (through U-Boot, tools/uboot/uboot.mk): the
        # file holds the QEMU arguments that load it.
        with open(image) as f:
            cmd = qemu + extra_args + shlex.split(f.read().strip())
    else:
        cmd = qemu + extra_args + ["-kernel", image]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = bytearray()
    pending = b""
    timed_out = False
    while True:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            timed_out = True
            proc.kill()
            break
        ready, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        out += chunk
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            m = re.match(rb"FEED \S+ (.*?)\r?$", line)
            if m:
                try:
                    proc.stdin.write(m.group(1))
                    proc.stdin.flush()
                except BrokenPipeError:
                    pass
    try:
        proc.stdin.close()
    except BrokenPipeError:
        pass
    status = None if timed_out else proc.wait()
    if timed_out:
        proc.wait()
    elapsed = time.monotonic() - start
    text = out.decode("utf-8", errors="replace").replace("\r", "")
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, name.replace("/", "_") + ".log"), "w") as f:
        f.write(" ".join(shlex.quote(c) for c in cmd) + "\n" + text)
    return text, status, timed_out, elapsed


def judge(name, platform, text, status, timed_out, elapsed):
    results = []
    lines = text.splitlines()
    expected_count = None
    reported = 0
    plain = [l for l in lines if not l.startswith(("EXPECT ", "ALLOW "))]
    expected = []
    want_status = 0
    for line in lines:
        m = re.match(r"STATUS (\d+)$", line)
        if m:
            want_status = int(m.group(1))
            continue
        m = re.match(r"ALLOW (.*)$", line)
        if m:
            expected.append(re.compile(m.group(1)))
            continue
        m = re.match(r"SUITE (\S+) (\d+)$", line)
        if m:
            expected_count = (expected_count or 0) + int(m.group(2))
            continue
        m = re.match(r"PASS (\S+)$", line)
        if m:
            results.append((True, m.group(1), ""))
            reported += 1
            continue
        m = re.match(r"FAIL (\S+?):? (.*)$", line) or re.match(r"FAIL (\S+)$", line)
        if m:
            results.append((False, m.group(1), m.group(2) if m.lastindex > 1 else ""))
            reported += 1
            continue
        m = re.match(r"EXPECT (\S+) (.*)$", line)
        if m:
            pattern = re.compile(m.group(2))
            expected.append(pattern)
            hit = any(pattern.search(l) for l in plain)
            results.append((hit, m.group(1), "" if hit else "no console line matches /%s/"
                            % m.group(2)))
    if timed_out:
        results.append((False, "timeout", "no exit after %.0f s" % elapsed))
    if not any(ROOT_TASK_ENTERED in l for l in lines):
        results.append((False, "boot", "%s never reached the root task" % platform))
    else:
        results.append((status == want_status, "exit", "" if status == want_status else
                        "QEMU exit status %s%s" % (status, ", not %d" % want_status if want_status else "")))
    surprises = [l.strip() for l in plain
                 if UNEXPECTED.search(l) and not any(p.search(l) for p in expected)]
    if surprises:
        results.append((False, "console", "%d unexpected console line(s), first: %s"
                        % (len(surprises), surprises[0])))
    if any(KERNEL_PANIC in l for l in lines):
        results.append((False, "kernel", "the kernel took an exception of its own"))
    if expected_count is not None and reported != expected_count:
        results.append((False, "complete", "%d of %d results reported" % (reported, expected_count)))
    if expected_count is None and reported == 0 and not any(r[1] != "exit" for r in results):
        results.append((False, "output", "the image reported nothing"))
    return results


def platform_of(build_dir):
    """The platform a build directory is for (build/<PLAT>/...), for failure messages."""
    m = re.search(r"(?:^|/)build/([^/]+)", os.path.abspath(build_dir))
    return "platform " + m.group(1) if m else build_dir


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", action="append", default=[], metavar="NAME:BUILD_DIR:IMAGE")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--log-dir", default="build/system-logs")
    ap.add_argument("--qemu-extra", default="", help="extra QEMU arguments for every run")
    ap.add_argument("--jobs", type=int, default=1,
                    help="QEMUs at once; results still print in --run order")
    args = ap.parse_args()
    passed = failed = 0
    specs = [spec.split(":", 2) for spec in args.run]
    # Runs are independent and time inside each is virtual (icount), so running several at
    # once changes no result, only the wall time.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    futures = [pool.submit(run_image, name, build_dir, image, args.timeout, args.log_dir,
                           shlex.split(args.qemu_extra)) for name, build_dir, image in specs]
    for (name, build_dir, _image), future in zip(specs, futures):
        text, status, timed_out, elapsed = future.result()
        for ok, test, why in judge(name, platform_of(build_dir), text, status, timed_out,
                                   elapsed):
            if ok:
                passed += 1
                print("PASS %s/%s" % (name, test))
            else:
                failed += 1
                print("FAIL %s/%s: %s" % (name, test, why))
        print("# %s: %.2f s wall" % (name, elapsed))
        sys.stdout.flush()
    pool.shutdown()
    print("system: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
