#!/usr/bin/python3
"""Bench reference only (never a runtime dependency), two BCC consumers doing the work per event that
the bench asks of ours. Each attaches to PID, prints "attached", drains its buffer until the process is
gone and the buffer is empty, then prints "received N dropped D cpu C": C is its CPU time in seconds
(user + system), which "attached cpu C" also gives at the moment it starts consuming.

    bcc_consumer.py BINARY PID RING_BYTES      net:inbound_message: read the fields, increment a
                                               labelled prometheus_client counter (ring buffer)
    bcc_consumer.py --fibre BINARY PID         the FIBRE probes with fibre_exporter.py's (v1.2.0) work per
                                               event: its event layout, perf buffer of default size,
                                               and metric updates per event type (bench steps "fibre"
                                               and "fibre-values": it then prints its series on one line)

With --fibre the target is left stopped (SIGSTOP) once attached, so the bench can attach ours beside it
before any event fires; the bench resumes it.
"""
import os
import signal
import sys

from bcc import BPF, USDT
from prometheus_client import REGISTRY, Counter

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


FIBRE_PROGRAM = """
#include <uapi/linux/ptrace.h>
BPF_PERF_OUTPUT(events);
struct fibre_event {
    u32 kind;
    s64 duration;
    u32 chunks_used;
    u32 chunks_received;
    s32 height;
    s64 tx_count;
    s64 unused;
    char winner[24];
    char peer[48];
};

int on_reconstructed(struct pt_regs *ctx) {
    struct fibre_event e = {};
    e.kind = 1;
    bpf_usdt_readarg(3, ctx, &e.chunks_used);
    bpf_usdt_readarg(4, ctx, &e.chunks_received);
    bpf_usdt_readarg(6, ctx, &e.duration);
    events.perf_submit(ctx, &e, sizeof(e));
    return 0;
}

int on_send_start(struct pt_regs *ctx) {
    struct fibre_event e = {};
    e.kind = 2;
    events.perf_submit(ctx, &e, sizeof(e));
    return 0;
}

int on_race_winner(struct pt_regs *ctx) {
    struct fibre_event e = {};
    u64 p = 0;
    e.kind = 3;
    bpf_usdt_readarg(2, ctx, &e.height);
    bpf_usdt_readarg(3, ctx, &p);
    bpf_probe_read_user_str(e.winner, sizeof(e.winner), (void *)p);
    bpf_usdt_readarg(4, ctx, &p);
    bpf_probe_read_user_str(e.peer, sizeof(e.peer), (void *)p);
    events.perf_submit(ctx, &e, sizeof(e));
    return 0;
}

int on_block_connected(struct pt_regs *ctx) {
    struct fibre_event e = {};
    e.kind = 10;
    bpf_usdt_readarg(2, ctx, &e.height);
    bpf_usdt_readarg(3, ctx, &e.tx_count);
    bpf_usdt_readarg(6, ctx, &e.duration);
    events.perf_submit(ctx, &e, sizeof(e));
    return 0;
}
"""
def cpu():
    t = os.times()
    return t.user + t.system


SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]


def fibre(binary, pid):
    from prometheus_client import Gauge, Histogram
    node = "bench"
    processed = Counter("bcc_fibre_events_processed", "events", ["event_type"])
    reconstructed = Counter("bcc_fibre_blocks_reconstructed", "blocks", ["node"])
    reconstruction = Histogram("bcc_fibre_block_reconstruction_duration_seconds", "s", ["node"], buckets=SECONDS)
    chunks = Histogram("bcc_fibre_block_chunks_used", "chunks", ["node"],
                       buckets=[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000])
    chunks_used = Counter("bcc_fibre_chunks_used", "chunks", ["node"])
    chunks_received = Counter("bcc_fibre_chunks_received", "chunks", ["node"])
    sent = Counter("bcc_fibre_blocks_sent", "blocks", ["node"])
    deliveries = Counter("bcc_fibre_block_deliveries", "blocks", ["node", "mechanism", "peer"])
    height = Gauge("bcc_fibre_last_block_height", "height", ["node"])
    connected = Counter("bcc_bitcoin_blocks_connected", "blocks", ["node"])
    connection = Histogram("bcc_bitcoin_block_connection_duration_seconds", "s", ["node"], buckets=SECONDS)
    tx_count = Histogram("bcc_bitcoin_block_tx_count", "tx", ["node"],
                         buckets=[1, 10, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10000])
    kinds = {1: "block_reconstructed", 2: "block_send_start", 3: "block_delivery", 10: "block_connected"}

    os.kill(pid, signal.SIGSTOP)
    usdt = USDT(path=binary, pid=pid)
    for probe, fn in (("block_reconstructed", "on_reconstructed"), ("block_send_start", "on_send_start"),
                      ("block_race_winner", "on_race_winner"), ("block_connected", "on_block_connected")):
        usdt.enable_probe(probe=probe, fn_name=fn)
    bpf = BPF(text=FIBRE_PROGRAM, usdt_contexts=[usdt])
    received = 0
    lost = 0

    def handle(_cpu, data, size):
        nonlocal received
        e = bpf["events"].event(data)
        processed.labels(event_type=kinds.get(e.kind, "unknown")).inc()
        if e.kind == 1:
            reconstructed.labels(node=node).inc()
            reconstruction.labels(node=node).observe(e.duration / 1e6)
            chunks.labels(node=node).observe(e.chunks_used)
            chunks_used.labels(node=node).inc(e.chunks_used)
            chunks_received.labels(node=node).inc(e.chunks_received)
        elif e.kind == 2:
            sent.labels(node=node).inc()
        elif e.kind == 3:
            winner = e.winner.decode("utf-8", errors="ignore").rstrip("\x00")
            peer = e.peer.decode("utf-8", errors="ignore").rstrip("\x00")
            mechanism = "fibre_udp" if winner.startswith("F") else "bip152_cmpct" if winner.startswith("B") else "other"
            deliveries.labels(node=node, mechanism=mechanism, peer=peer).inc()
            height.labels(node=node).set(e.height)
        elif e.kind == 10:
            connected.labels(node=node).inc()
            height.labels(node=node).set(e.height)
            if e.duration > 0:
                connection.labels(node=node).observe(e.duration / 1e9)
            if e.tx_count > 0:
                tx_count.labels(node=node).observe(e.tx_count)
        received += 1

    def lost_events(n):
        nonlocal lost
        lost += n

    bpf["events"].open_perf_buffer(handle, lost_cb=lost_events)
    print("attached cpu %.3f" % cpu(), flush=True)
    while os.path.exists("/proc/%d" % pid):
        bpf.perf_buffer_poll(1000)
    bpf.perf_buffer_consume()
    print("received %d dropped %d cpu %.3f" % (received, lost, cpu()), flush=True)
    # every series on one line, for the side-by-side comparison of values (bench step "fibre-values")
    samples = []
    for metric in REGISTRY.collect():
        for s in metric.samples:
            if s.name.startswith("bcc_") and not s.name.endswith("_created"):
                labels = ",".join('%s="%s"' % kv for kv in sorted(s.labels.items()))
                samples.append("%s{%s} %r" % (s.name, labels, s.value))
    print("metrics " + "\t".join(samples), flush=True)


def main():
    if sys.argv[1] == "--fibre":
        fibre(sys.argv[2], int(sys.argv[3]))
        return
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
    print("attached cpu %.3f" % cpu(), flush=True)
    while os.path.exists("/proc/%d" % pid):
        bpf.ring_buffer_poll(100)
    bpf.ring_buffer_consume()
    print("received %d dropped %d cpu %.3f" % (received, bpf["dropped"][0].value, cpu()), flush=True)


if __name__ == "__main__":
    main()
