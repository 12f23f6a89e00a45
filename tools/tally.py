#!/usr/bin/env python3
"""Counts PASS/FAIL result lines in test logs and prints the closing 'N passed, N failed'.

A stage whose exit status (in the matching --rc file) is non-zero but which logged no FAIL
line counts as one failure, so a build error can never pass as an empty success."""
import argparse
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--rc", nargs="*", default=[], help="exit-status files, one per log")
    args = ap.parse_args()
    passed = failed = 0
    for i, path in enumerate(args.logs):
        p = f = 0
        try:
            with open(path, errors="replace") as fh:
                for line in fh:
                    p += line.startswith("PASS ")
                    f += line.startswith("FAIL ")
        except OSError:
            f += 1
        rc = 0
        if i < len(args.rc):
            try:
                rc = int(open(args.rc[i]).read().strip() or "1")
            except (OSError, ValueError):
                rc = 1
        if rc != 0 and f == 0:
            print("FAIL stage %s: exited with status %d and reported no failure" % (path, rc))
            f = 1
        passed += p
        failed += f
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
