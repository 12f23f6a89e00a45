#!/usr/bin/env python3
"""Boots images that must not boot and checks that each stops with its message.

Each --case NAME|REGEX|QEMU ARGS runs the QEMU command in --qemu-args plus QEMU ARGS (split
as a shell would). The case passes when the console shows a line matching REGEX, the run
ends by itself with a non-zero status within the timeout (a failed boot must not hang) and
the kernel never entered the root task. Prints 'PASS boot-errors/NAME' or 'FAIL ...: why'.
"""
import argparse
import re
import shlex
import subprocess
import sys

ROOT_TASK_ENTERED = "kairos: entering the root task"


def run_case(qemu, name, regex, extra, timeout):
    cmd = qemu + shlex.split(extra)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        text = (e.output or b"").decode(errors="replace")
        return "no end within %d s (last line: %r)" % (timeout, text.strip().splitlines()[-1:])
    text = proc.stdout.decode(errors="replace")
    if ROOT_TASK_ENTERED in text:
        return "the boot went on to the root task"
    if not re.search(regex, text, re.M):
        return "no line matches %r; the console said: %r" % (regex, text.strip()[-300:])
    if proc.returncode == 0:
        return "QEMU exit status 0"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qemu-args", required=True, help="file holding the QEMU command")
    ap.add_argument("--case", action="append", default=[], metavar="NAME|REGEX|QEMU ARGS")
    ap.add_argument("--timeout", type=int, default=60)
    args = ap.parse_args()
    with open(args.qemu_args) as f:
        qemu = shlex.split(f.read().strip())
    failed = 0
    for case in args.case:
        parts = case.split("|", 2)
        if len(parts) != 3:
            print("FAIL boot-errors/%s: not NAME|REGEX|QEMU ARGS" % case)
            failed += 1
            continue
        name, regex, extra = parts
        why = run_case(qemu, name, regex, extra, args.timeout)
        if why:
            print("FAIL boot-errors/%s: %s" % (name, why))
            failed += 1
        else:
            print("PASS boot-errors/%s" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
