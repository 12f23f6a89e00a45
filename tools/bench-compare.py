#!/usr/bin/env python3
"""Compares two benchmark result files row by row: the median of each, and their ratio.

Each file is JSON lines (what `make bench` writes, e.g. build/<PLAT>/bench/ipc.jsonl) or a
CSV with a header (figures recorded from another kernel, say). Rows are matched on the
fields that name a measurement (bench, Function, Direction, IPC length, Same vspace?,
Client Prio, Server Prio, whichever both have); the value compared is Median (or --field).
Rows only one file has are listed at the end.

  tools/bench-compare.py OLD NEW [--field Median]"""
import argparse
import csv
import json
import sys

KEYS = ("bench", "Function", "Direction", "IPC length", "Same vspace?", "Client Prio",
        "Server Prio")


def load(path):
    rows = []
    with open(path, newline="") as f:
        text = f.read()
    if text.lstrip().startswith("{"):
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    pass
    else:
        rows = list(csv.DictReader(text.splitlines()))
    return rows


def key(row, keys):
    return tuple(str(row.get(k, "")).lower() for k in keys)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--field", default="Median")
    args = ap.parse_args()
    old, new = load(args.old), load(args.new)
    old = [r for r in old if args.field in r]
    new = [r for r in new if args.field in r]
    if not old or not new:
        sys.exit("bench-compare: no rows with %s in %s" % (args.field, args.old if not old else
                                                           args.new))
    keys = [k for k in KEYS if k in old[0] and k in new[0]]
    index = {key(r, keys): r for r in old}
    print("%-48s %10s %10s %7s" % (" / ".join(keys[1:] or keys), "old", "new", "new/old"))
    seen = set()
    for r in new:
        k = key(r, keys)
        o = index.get(k)
        label = " / ".join(str(r.get(x, "")) for x in keys[1:] or keys)
        if o is None:
            print("%-48s %10s %10s %7s" % (label, "-", r[args.field], "-"))
            continue
        seen.add(k)
        a, b = float(o[args.field]), float(r[args.field])
        print("%-48s %10g %10g %7.2f" % (label, a, b, b / a if a else float("inf")))
    for k, o in index.items():
        if k not in seen:
            print("%-48s %10s %10s %7s" % (" / ".join(k[1:] or k), o[args.field], "-", "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
