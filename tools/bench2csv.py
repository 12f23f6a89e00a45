#!/usr/bin/env python3
"""Turns benchmark JSON lines (one object per line, as Kairos benchmarks print them) into CSV.

Reads the files given (or standard input). Lines that are not a JSON object are skipped, so a
raw console log works as well as an extracted .jsonl file; a stray carriage return is ignored.
--select KEY=VALUE keeps only objects whose KEY equals VALUE (repeatable: all must match).
Columns are the keys in the order they are first seen, or exactly those named by --columns;
a missing key gives an empty cell. --table prints an aligned text table instead of CSV.

Examples:
  tools/bench2csv.py --select kind=summary -o budget.csv budget.jsonl
  tools/bench2csv.py --select kind=summary --columns label,sporadic,worst_overrun_us --table \\
      build/qemu-arm-virt/bench/budget.log
"""
import argparse
import csv
import json
import signal
import sys


def cell(value):
    """A JSON value as one CSV cell: booleans as 1/0, nested values as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def read_objects(streams, selects):
    for stream in streams:
        for line in stream:
            line = line.strip().strip("\r")
            if not line.startswith("{"):
                continue
            try:
                # Numbers keep their printed form (12.000 stays 12.000, not 12.0).
                obj = json.loads(line, parse_float=str, parse_int=str)
            except ValueError:
                continue  # a line the console garbled, or not ours
            if not isinstance(obj, dict):
                continue
            if all(cell(obj.get(k)) == v for k, v in selects):
                yield obj


def parse_select(text):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError("expected KEY=VALUE, got %r" % text)
    return key, value


def write_table(out, columns, rows):
    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    def line(values):
        return "  ".join(v.rjust(w) for v, w in zip(values, widths)).rstrip()
    out.write(line(columns) + "\n")
    for row in cells:
        out.write(line(row) + "\n")


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends us quietly
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="\n".join(__doc__.splitlines()[2:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="JSON-lines files or console logs (default: stdin)")
    ap.add_argument("--select", action="append", default=[], type=parse_select,
                    metavar="KEY=VALUE", help="keep only objects with this field value")
    ap.add_argument("--columns", help="comma-separated column list (default: every key)")
    ap.add_argument("--table", action="store_true", help="aligned text instead of CSV")
    ap.add_argument("-o", "--output", help="output file (default: stdout)")
    args = ap.parse_args()

    streams = []
    try:
        streams = [open(f, errors="replace") for f in args.files] or [sys.stdin]
        rows = list(read_objects(streams, args.select))
    except OSError as e:
        sys.exit("bench2csv: %s" % e)
    finally:
        for s in streams:
            if s is not sys.stdin:
                s.close()

    if args.columns:
        columns = [c for c in args.columns.split(",") if c]
    else:
        columns = []
        for r in rows:
            columns.extend(k for k in r if k not in columns)

    out = open(args.output, "w", newline="") if args.output else sys.stdout
    try:
        if args.table:
            write_table(out, columns, rows)
        else:
            w = csv.writer(out, lineterminator="\n")
            w.writerow(columns)
            for r in rows:
                w.writerow([cell(r.get(c)) for c in columns])
    finally:
        if out is not sys.stdout:
            out.close()
    if not rows:
        print("bench2csv: no matching JSON objects", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
