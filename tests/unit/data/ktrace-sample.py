#!/usr/bin/env python3
"""Writes a synthetic Kairos console log with an event-log stream (docs/tracing.md) to stdout:
100 ms of a small fixed-priority system with periodic budgets, simulated in 10 us steps.

  root    prio 255  starts the trace, blocks, wakes at the end
  hog     prio 100  spins: exhausts 2 ms / 10 ms each period, timeout fault, postponed
  worker  prio 150  1 ms / 5 ms: woken by a timer interrupt every 5 ms, works 300 us, calls
                    server (which runs 200 us on the worker's context), works 100 us, marks
  server  prio 200  passive: runs only on a donated context
  logger  prio 50   3 ms / 20 ms background spinner, one VM fault at 7 ms of running

Records are packed, base64-encoded and CRC'd with Python's own struct, base64 and zlib, so
the converter's codec is checked against independent implementations.
Usage: tests/unit/data/ktrace-sample.py > tests/unit/data/ktrace-sample.log
"""
import base64
import struct
import sys
import zlib

HZ = 62_500_000
T0 = 123_456_789_000  # the counter when logging starts: times are relative to it
STEP_US = 10
END_US = 100_000
WORKER_FIRST_US, WORKER_PERIOD_US = 1_000, 5_000
TIMER_IRQ = 27
ENDPOINT = 0xFFFFFF8040123000
NOTIFICATION = 0xFFFFFF8040124000
LOGGER_FAULT_AT_US = 7_000  # of the logger's running time
LOGGER_FAULT_FOR_US = 500
FAULT_VM = 6  # seL4_Fault_VMFault
TIMEOUT_BADGE = 0x48

(EV_START, EV_THREAD, EV_SC, EV_SWITCH, EV_BLOCK, EV_UNBLOCK, EV_EXHAUSTED, EV_POSTPONE,
 EV_RELEASE, EV_TIMEOUT, EV_FAULT, EV_IRQ, EV_DONATE, EV_RETURN, EV_DOMAIN, EV_MARK) = range(1, 17)
BLOCK_RECEIVE, BLOCK_REPLY, BLOCK_NOTIFICATION = 1, 3, 4
RECORD = struct.Struct("<QHHIIIQ")
LINE_RECORDS = 3


def ticks(us):
    return us * HZ // 1_000_000


class Sc:
    def __init__(self, budget, period):
        self.budget, self.period = budget, period
        self.remaining = budget
        self.sid = None


class Thread:
    def __init__(self, name, prio, sc, state):
        self.name, self.prio, self.sc, self.state = name, prio, sc, state
        self.tid = None
        self.left = 0  # of the current phase, us
        self.phase = None
        self.ran = 0


records = []
next_tid = [1]
next_sid = [1]


def rec(t, ev, arg=0, tcb=0, sc=0, aux=0, value=0):
    records.append((T0 + ticks(t), ev, arg, tcb, sc, aux, value))


def sid(t, sc):
    if sc is None:
        return 0
    if sc.sid is None:
        sc.sid = next_sid[0]
        next_sid[0] += 1
        rec(t, EV_SC, sc=sc.sid, aux=sc.budget, value=sc.period)
    return sc.sid


def tid(t, th):
    """A thread's log id, describing it (and its context) before its first mention."""
    if th is None:
        return 0
    if th.tid is None:
        s = sid(t, th.sc)
        th.tid = next_tid[0]
        next_tid[0] += 1
        name = th.name.encode()
        for chunk in range(max(1, (len(name) + 7) // 8)):
            value = int.from_bytes(name[chunk * 8:chunk * 8 + 8].ljust(8, b"\0"), "little")
            rec(t, EV_THREAD, arg=chunk, tcb=th.tid, sc=s, aux=th.prio, value=value)
    return th.tid


hog_sc, worker_sc, logger_sc, root_sc = Sc(2000, 10000), Sc(1000, 5000), Sc(3000, 20000), \
    Sc(5000, 5000)
root = Thread("root", 255, root_sc, "running")
hog = Thread("hog", 100, hog_sc, "ready")
worker = Thread("worker", 150, worker_sc, "blocked")
server = Thread("server", 200, None, "blocked")
logger = Thread("logger", 50, logger_sc, "ready")
threads = [root, hog, worker, server, logger]
owner = {hog_sc: hog, worker_sc: worker, logger_sc: logger, root_sc: root}

current, current_sc = root, root_sc  # root is running when logging starts
root.left, root.phase = 20, "start"
logger_fault_done = False
logger_unblock_at = None


def on_sc(th):
    """The context a thread runs on: its own, or the worker's while the server holds it."""
    return worker_sc if th is server else th.sc


def pick():
    ready = [th for th in threads if th.state in ("ready", "running")]
    return max(ready, key=lambda th: th.prio) if ready else None


def switch(t, th):
    global current, current_sc
    if current is not None and current.state == "running":
        current.state = "ready"
    current = th
    current_sc = on_sc(th) if th is not None else None
    if th is not None:
        th.state = "running"
    rec(t, EV_SWITCH, tcb=tid(t, th), sc=sid(t, current_sc),
        value=ticks(current_sc.remaining) if current_sc else 0)


def events_at(t):
    global logger_unblock_at
    for sc, th in owner.items():
        if sc is root_sc or t == 0 or t % sc.period != 0:
            continue
        sc.remaining = sc.budget
        if th.state == "throttled":
            th.state = "ready"
            rec(t, EV_RELEASE, tcb=tid(t, th), sc=sid(t, sc), aux=ticks(sc.budget),
                value=T0 + ticks(t))
    if t >= WORKER_FIRST_US and (t - WORKER_FIRST_US) % WORKER_PERIOD_US == 0:
        rec(t, EV_IRQ, tcb=tid(t, current), aux=TIMER_IRQ)
        worker.state, worker.phase, worker.left = "ready", "work", 300
        rec(t, EV_UNBLOCK, arg=BLOCK_NOTIFICATION, tcb=tid(t, worker))
    if logger_unblock_at == t:
        logger.state = "ready"
        rec(t, EV_UNBLOCK, arg=BLOCK_REPLY, tcb=tid(t, logger))


def phase_done(t, th):
    """The running thread finished a phase at t."""
    if th is root:
        rec(t, EV_MARK, tcb=tid(t, root), value=1)
        th.state = "blocked"
        rec(t, EV_BLOCK, arg=BLOCK_NOTIFICATION, tcb=tid(t, root), value=NOTIFICATION)
    elif th is worker and th.phase == "work":
        th.state, th.phase = "blocked", "after"
        rec(t, EV_BLOCK, arg=BLOCK_REPLY, tcb=tid(t, worker), value=ENDPOINT)
        server.state, server.left = "ready", 200
        rec(t, EV_UNBLOCK, arg=BLOCK_RECEIVE, tcb=tid(t, server), aux=tid(t, worker))
        rec(t, EV_DONATE, tcb=tid(t, server), sc=sid(t, worker_sc), aux=tid(t, worker))
    elif th is server:
        rec(t, EV_RETURN, tcb=tid(t, worker), sc=sid(t, worker_sc), aux=tid(t, server))
        th.state = "blocked"
        rec(t, EV_BLOCK, arg=BLOCK_RECEIVE, tcb=tid(t, server), value=ENDPOINT)
        worker.state, worker.left = "ready", 100
        rec(t, EV_UNBLOCK, arg=BLOCK_REPLY, tcb=tid(t, worker), aux=tid(t, server))
    elif th is worker:
        rec(t, EV_MARK, tcb=tid(t, worker), value=t // WORKER_PERIOD_US)
        th.state = "blocked"
        rec(t, EV_BLOCK, arg=BLOCK_NOTIFICATION, tcb=tid(t, worker), value=NOTIFICATION)


def run_step(t):
    global logger_fault_done, logger_unblock_at
    th, sc = current, current_sc
    if th is None:
        return
    sc.remaining -= STEP_US
    th.ran += STEP_US
    end = t + STEP_US
    if th.left > 0:
        th.left -= STEP_US
        if th.left == 0:
            phase_done(end, th)
    if th is logger and not logger_fault_done and th.ran >= LOGGER_FAULT_AT_US:
        logger_fault_done = True
        rec(end, EV_FAULT, arg=FAULT_VM, tcb=tid(end, th), value=0xDEAD0000)
        th.state = "blocked"
        rec(end, EV_BLOCK, arg=BLOCK_REPLY, tcb=tid(end, th), value=ENDPOINT)
        logger_unblock_at = end + LOGGER_FAULT_FOR_US
    if sc.remaining == 0 and th.state == "running":
        rec(end, EV_EXHAUSTED, tcb=tid(end, th), sc=sid(end, sc), value=ticks(sc.budget))
        if th is hog:
            rec(end, EV_TIMEOUT, tcb=tid(end, th), sc=sid(end, sc), aux=TIMEOUT_BADGE,
                value=sc.budget)
        th.state = "throttled"
        release = (end // sc.period + 1) * sc.period
        rec(end, EV_POSTPONE, tcb=tid(end, th), sc=sid(end, sc), value=T0 + ticks(release))


def simulate():
    rec(0, EV_START, arg=1, value=HZ)
    tid(0, root)
    for t in range(0, END_US, STEP_US):
        events_at(t)
        nxt = pick()
        if nxt is not current or (current is not None and on_sc(nxt) is not current_sc):
            switch(t, nxt)
        run_step(t)
    root.state = "ready"
    rec(END_US, EV_UNBLOCK, arg=BLOCK_NOTIFICATION, tcb=tid(END_US, root))
    switch(END_US, root)
    rec(END_US, EV_MARK, tcb=tid(END_US, root), value=2)


def main():
    simulate()
    wire = [RECORD.pack(*r) for r in records]
    out = sys.stdout
    out.write("Kairos (qemu-arm-virt, cortex-a53) booting\n")
    out.write("kernel: 127 MiB free, root task at 0x400000\n")
    out.write("demo: four threads for 100 ms, tracing\n")
    out.write("@ktrace begin v=1 hz=%d records=%d dropped=0\n" % (HZ, len(records)))
    for line, first in enumerate(range(0, len(wire), LINE_RECORDS)):
        data = b"".join(wire[first:first + LINE_RECORDS])
        out.write("@kt %d %s %08x\n" % (first, base64.b64encode(data).decode(),
                                        zlib.crc32(data)))
        if line % 40 == 39:
            out.write("worker: job %d done\n" % (line // 40))
    out.write("@ktrace end records=%d dropped=0 crc=%08x\n" %
              (len(records), zlib.crc32(b"".join(wire))))
    out.write("demo: done\n")


if __name__ == "__main__":
    main()
