#!/usr/bin/python3
"""Test helper (never a runtime dependency): a BCC tool beside ours on the same USDT probes, as an
operator runs Bitcoin Core's contrib/tracing scripts beside a monitor. Counts in the kernel how often
each probe fired; prints "attached", then, once process PID is gone (or on SIGTERM), one line
"counted PROVIDER:NAME N" per probe.

    usdt_counter.py BINARY PID PROVIDER:NAME[,PROVIDER:NAME...]
"""
import os
import signal
import sys
import time

from bcc import BPF, USDT


def stopped(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0] == "T"


def main():
    binary, pid, probes = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
    program = "BPF_ARRAY(counts, u64, %d);\n" % len(probes)
    for i in range(len(probes)):
        program += ("int on_%d(void *ctx) { int k = %d; u64 *c = counts.lookup(&k);"
                    " if (c) __sync_fetch_and_add(c, 1); return 0; }\n" % (i, i))
    # BCC raises each semaphore before its uprobe is in place, and the target fires as soon as the
    # semaphores are up: hold it stopped until everything is attached, so no event goes unseen (and
    # leave it stopped if it was: the test lets it go once every tracer is attached).
    was_stopped = stopped(pid)
    os.kill(pid, signal.SIGSTOP)
    try:
        usdt = USDT(path=binary, pid=pid)
        for i, probe in enumerate(probes):
            usdt.enable_probe(probe=probe.split(":")[1], fn_name="on_%d" % i)
        bpf = BPF(text=program, usdt_contexts=[usdt])
    finally:
        if not was_stopped:
            os.kill(pid, signal.SIGCONT)
    print("attached", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop and os.path.exists("/proc/%d" % pid):
        time.sleep(0.05)
    for i, probe in enumerate(probes):
        print("counted %s %d" % (probe, bpf["counts"][i].value), flush=True)


if __name__ == "__main__":
    main()
