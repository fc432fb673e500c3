#!/usr/bin/python3
"""Bench reference only (never a runtime dependency): a BCC consumer of net:inbound_message doing the
work per event that the bench asks of ours: read the fields, increment a labelled prometheus_client
counter. Attaches to PID, prints "attached", drains the ring buffer until the process is gone and the
buffer is empty, then prints "received N dropped D".

    bcc_consumer.py BINARY PID RING_BYTES
"""
import os
import signal
import sys

from bcc import BPF, USDT
from prometheus_client import Counter

PROGRAM = """
#include <uapi/linux/ptrace.h>
struct msg {
    s64 peer_id;
    u64 size;
    char addr[68];
    char conn_type[20];
    char msg_type[20];
};
BPF_RINGBUF_OUTPUT(events, PAGES);
BPF_ARRAY(dropped, u64, 1);

int on_inbound(struct pt_regs *ctx) {
    struct msg *m = events.ringbuf_reserve(sizeof(struct msg));
    if (!m) {
        int zero = 0;
        u64 *d = dropped.lookup(&zero);
        if (d) __sync_fetch_and_add(d, 1);
        return 0;
    }
    u64 p = 0;
    bpf_usdt_readarg(1, ctx, &m->peer_id);
    bpf_usdt_readarg(2, ctx, &p);
    bpf_probe_read_user_str(m->addr, sizeof(m->addr), (void *)p);
    bpf_usdt_readarg(3, ctx, &p);
    bpf_probe_read_user_str(m->conn_type, sizeof(m->conn_type), (void *)p);
    bpf_usdt_readarg(4, ctx, &p);
    bpf_probe_read_user_str(m->msg_type, sizeof(m->msg_type), (void *)p);
    bpf_usdt_readarg(5, ctx, &m->size);
    events.ringbuf_submit(m, 0);
    return 0;
}
"""


def main():
    binary, pid, ring_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    # BCC raises the probe's semaphore before its uprobe is attached, and the target fires as soon as
    # the semaphore is up: hold the target stopped until the program is attached.
    os.kill(pid, signal.SIGSTOP)
    usdt = USDT(path=binary, pid=pid)
    usdt.enable_probe(probe="net:inbound_message", fn_name="on_inbound")
    bpf = BPF(text=PROGRAM.replace("PAGES", str(ring_bytes // 4096)), usdt_contexts=[usdt])
    messages = Counter("bcc_p2p_message_count", "P2P messages", ["message", "connection_type", "direction"])
    received = 0

    def handle(ctx, data, size):
        nonlocal received
        m = bpf["events"].event(data)
        _ = (m.peer_id, m.addr, m.size)   # read like the others, as ours does
        messages.labels(m.msg_type.decode(), m.conn_type.decode(), "inbound").inc()
        received += 1

    bpf["events"].open_ring_buffer(handle)
    os.kill(pid, signal.SIGCONT)
    print("attached", flush=True)
    while os.path.exists("/proc/%d" % pid):
        bpf.ring_buffer_poll(100)
    bpf.ring_buffer_consume()
    print("received %d dropped %d" % (received, bpf["dropped"][0].value), flush=True)


if __name__ == "__main__":
    main()
