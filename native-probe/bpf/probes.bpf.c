// SPDX-License-Identifier: GPL-2.0
/*
 * USDT programs for Bitcoin Core's (v29+) and FIBRE's tracepoints. Each copies the tracepoint's
 * arguments into a fixed record (include/records.h) in a ring buffer; when the buffer is full the
 * record is dropped and counted in `drops`, never blocking bitcoind.
 *
 * Perf-buffer mode (perf_mode, set before load, for kernels without ring buffers): records are built
 * in a per-CPU scratch buffer and sent to the per-CPU perf event array of the same name (pb_*). A
 * failed output is counted here too: libbpf's lost-sample callback would report a burst's last
 * losses only when a later sample reaches the same CPU buffer. Perf samples are limited in size,
 * so messages over PERF_MSG_CAP bytes are not captured there (counted as oversized).
 */
#include <stdbool.h>
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>
#include "records.h"

char LICENSE[] SEC("license") = "GPL";

/* Sizes are defaults: user space resizes every ring buffer before loading. */
#define RING(name, bytes) \
    struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, bytes); } name SEC(".maps");

/* Set by user space before load; the verifier drops the branch not taken. */
const volatile bool perf_mode = false;

#define PERF(name) \
    struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, 4); __uint(value_size, 4); } name SEC(".maps");

#define RINGS(X) X(msg_small) X(msg_medium) X(msg_large) X(msg_huge) X(connection) X(mempool) X(validation) \
    X(addrman) X(utxocache) X(fibre)
#define PERF_MAP(n) PERF(pb_##n)
RINGS(PERF_MAP)

/* Largest perf sample built here: a per-CPU array value is limited to 32 KiB. */
#define PERF_SCRATCH 32768
#define PERF_MSG_CAP (PERF_SCRATCH - sizeof(struct msg_head))
struct scratch_value { __u8 bytes[PERF_SCRATCH]; };
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct scratch_value);
} scratch SEC(".maps");

static __always_inline void *scratch_buffer(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&scratch, &zero);
}

RING(rb_msg_small, 16 << 20)
RING(rb_msg_medium, 8 << 20)
RING(rb_msg_large, 16 << 20)
RING(rb_msg_huge, 32 << 20)
RING(rb_connection, 4 << 20)
RING(rb_mempool, 4 << 20)
RING(rb_validation, 1 << 18)
RING(rb_addrman, 1 << 20)
RING(rb_utxocache, 1 << 16)
RING(rb_fibre, 16 << 20)   /* a flood of 150,000 FIBRE events/s fills 256 KiB between two polls */

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, DROP_SLOTS);
    __type(key, __u32);
    __type(value, __u64);
} drops SEC(".maps");

static __always_inline void count_drop(__u32 slot)
{
    __u64 *n = bpf_map_lookup_elem(&drops, &slot);
    if (n)
        __sync_fetch_and_add(n, 1);
}

/* A `type` record for buffer `name` (drop slot `slot`): reserved in its ring, or the scratch buffer in
 * perf mode. When the ring is full the drop is counted and the program returns. */
#define RESERVE(rec, type, name, slot) \
    type *rec = perf_mode ? scratch_buffer() : bpf_ringbuf_reserve(&rb_##name, sizeof(type), 0); \
    if (!rec) { count_drop(slot); return 0; }

/* Sends a record made by RESERVE(.., name, slot); a full perf buffer is counted as a drop. */
#define SUBMIT(rec, name, slot) do { \
    if (!perf_mode) \
        bpf_ringbuf_submit(rec, 0); \
    else if (bpf_perf_event_output(ctx, &pb_##name, BPF_F_CURRENT_CPU, rec, sizeof(*rec)) < 0) \
        count_drop(slot); \
} while (0)

#define STR(dst, src) bpf_probe_read_user_str(dst, sizeof(dst), (const void *)(src))
#define BYTES(dst, src) bpf_probe_read_user(dst, sizeof(dst), (const void *)(src))

/* Layout pins: Java's Records reads these offsets. */
_Static_assert(sizeof(struct msg_head) == 128, "msg_head");
_Static_assert(offsetof(struct msg_head, msg_type) == 112, "msg_head.msg_type");
_Static_assert(sizeof(struct conn_record) == 112, "conn_record");
_Static_assert(sizeof(struct misbehaving_record) == 144, "misbehaving_record");
_Static_assert(offsetof(struct block_connected_record, hash) == 40, "block_connected.hash");
_Static_assert(offsetof(struct mempool_removed_record, reason) == 56, "removed.reason");
_Static_assert(offsetof(struct mempool_replaced_record, replacement_id) == 72, "replaced.replacement_id");
_Static_assert(offsetof(struct mempool_rejected_record, reason) == 36, "rejected.reason");
_Static_assert(offsetof(struct addrman_record, source) == 92, "addrman.source");
_Static_assert(offsetof(struct utxocache_flush_record, for_prune) == 32, "utxocache.for_prune");
_Static_assert(offsetof(struct fibre_race_winner_record, peer) == 72, "race_winner.peer");
_Static_assert(offsetof(struct fibre_race_time_record, cmpct_peer) == 124, "race_time.cmpct_peer");
_Static_assert(offsetof(struct fibre_reconstructed_record, source) == 108, "reconstructed.source");
_Static_assert(offsetof(struct fibre_reconstruction_detail_record, hash) == 32, "detail.hash");

/* ---- net: messages, payload copied into the smallest class that holds it ---- */

#define MSG_CLASS(name, cap) struct name { struct msg_head head; __u8 payload[cap]; };
MSG_CLASS(msg_small, MSG_SMALL)
MSG_CLASS(msg_medium, MSG_MEDIUM)
MSG_CLASS(msg_large, MSG_LARGE)
MSG_CLASS(msg_huge, MSG_HUGE)

#define FILL_HEAD(h) do { \
    (h).kind = kind; (h).pad = 0; (h).peer_id = id; (h).size = size; \
    STR((h).addr, addr); STR((h).conn_type, conn_type); STR((h).msg_type, msg_type); \
} while (0)

#define SEND_MSG(type, name, slot, cap) do { \
    type *rec = bpf_ringbuf_reserve(&rb_##name, sizeof(type), 0); \
    if (!rec) { count_drop(slot); return 0; } \
    FILL_HEAD(rec->head); \
    __u32 n = size; if (n > cap) n = cap; \
    bpf_probe_read_user(rec->payload, n, payload); \
    bpf_ringbuf_submit(rec, 0); \
    return 0; \
} while (0)

/* Perf mode: the record in the scratch buffer, sent as head plus exactly `size` payload bytes. */
#define PERF_MSG(name, slot) do { \
    if (bpf_perf_event_output(ctx, &pb_##name, BPF_F_CURRENT_CPU, rec, sizeof(struct msg_head) + n) < 0) \
        count_drop(slot); \
} while (0)

static __always_inline int perf_message(void *ctx, __u32 kind, __s64 id, const void *addr, const void *conn_type,
                                        const void *msg_type, __u64 size, const void *payload)
{
    if (size > PERF_MSG_CAP) {
        count_drop(DROP_OVERSIZED);
        return 0;
    }
    struct msg_head *rec = scratch_buffer();
    if (!rec)
        return 0;
    FILL_HEAD(*rec);
    __u32 n = size;
    if (n > PERF_MSG_CAP)
        n = PERF_MSG_CAP;
    bpf_probe_read_user((void *)(rec + 1), n, payload);
    if (size <= MSG_SMALL)
        PERF_MSG(msg_small, RB_MSG_SMALL);
    else if (size <= MSG_MEDIUM)
        PERF_MSG(msg_medium, RB_MSG_MEDIUM);
    else
        PERF_MSG(msg_large, RB_MSG_LARGE);
    return 0;
}

static __always_inline int message(void *ctx, __u32 kind, __s64 id, const void *addr, const void *conn_type,
                                   const void *msg_type, __u64 size, const void *payload)
{
    if (perf_mode)
        return perf_message(ctx, kind, id, addr, conn_type, msg_type, size, payload);
    if (size <= MSG_SMALL)
        SEND_MSG(struct msg_small, msg_small, RB_MSG_SMALL, MSG_SMALL);
    if (size <= MSG_MEDIUM)
        SEND_MSG(struct msg_medium, msg_medium, RB_MSG_MEDIUM, MSG_MEDIUM);
    if (size <= MSG_LARGE)
        SEND_MSG(struct msg_large, msg_large, RB_MSG_LARGE, MSG_LARGE);
    if (size <= MSG_HUGE)
        SEND_MSG(struct msg_huge, msg_huge, RB_MSG_HUGE, MSG_HUGE);
    count_drop(DROP_OVERSIZED);
    return 0;
}

SEC("usdt")
int BPF_USDT(net_inbound_message, __s64 id, void *addr, void *conn_type, void *msg_type, __u64 size, void *payload)
{
    return message(ctx, REC_INBOUND_MESSAGE, id, addr, conn_type, msg_type, size, payload);
}

SEC("usdt")
int BPF_USDT(net_outbound_message, __s64 id, void *addr, void *conn_type, void *msg_type, __u64 size, void *payload)
{
    return message(ctx, REC_OUTBOUND_MESSAGE, id, addr, conn_type, msg_type, size, payload);
}

/* ---- net: connections ---- */

static __always_inline int connection(void *ctx, __u32 kind, __s64 id, const void *addr, const void *conn_type,
                                      __u32 network, __u64 value)
{
    RESERVE(rec, struct conn_record, connection, RB_CONNECTION)
    rec->kind = kind;
    rec->network = network;
    rec->peer_id = id;
    rec->value = value;
    STR(rec->addr, addr);
    STR(rec->conn_type, conn_type);
    SUBMIT(rec, connection, RB_CONNECTION);
    return 0;
}

SEC("usdt")
int BPF_USDT(net_inbound_connection, __s64 id, void *addr, void *conn_type, __u32 network, __u64 existing)
{
    return connection(ctx, REC_INBOUND_CONNECTION, id, addr, conn_type, network, existing);
}

SEC("usdt")
int BPF_USDT(net_outbound_connection, __s64 id, void *addr, void *conn_type, __u32 network, __u64 existing)
{
    return connection(ctx, REC_OUTBOUND_CONNECTION, id, addr, conn_type, network, existing);
}

SEC("usdt")
int BPF_USDT(net_closed_connection, __s64 id, void *addr, void *conn_type, __u32 network, __u64 established)
{
    return connection(ctx, REC_CLOSED_CONNECTION, id, addr, conn_type, network, established);
}

SEC("usdt")
int BPF_USDT(net_evicted_inbound_connection, __s64 id, void *addr, void *conn_type, __u32 network, __u64 established)
{
    return connection(ctx, REC_EVICTED_INBOUND_CONNECTION, id, addr, conn_type, network, established);
}

SEC("usdt")
int BPF_USDT(net_misbehaving_connection, __s64 id, void *message)
{
    RESERVE(rec, struct misbehaving_record, connection, RB_CONNECTION)
    rec->kind = REC_MISBEHAVING_CONNECTION;
    rec->pad = 0;
    rec->peer_id = id;
    STR(rec->message, message);
    SUBMIT(rec, connection, RB_CONNECTION);
    return 0;
}

/* ---- validation, utxocache ---- */

SEC("usdt")
int BPF_USDT(validation_block_connected, void *hash, __s32 height, __u64 transactions, __s32 inputs,
             __u64 sigops, __u64 duration_ns)
{
    RESERVE(rec, struct block_connected_record, validation, RB_VALIDATION)
    rec->kind = REC_BLOCK_CONNECTED;
    rec->height = height;
    rec->transactions = transactions;
    rec->inputs = inputs;
    rec->pad = 0;
    rec->sigops = sigops;
    rec->duration_ns = duration_ns;
    BYTES(rec->hash, hash);
    SUBMIT(rec, validation, RB_VALIDATION);
    return 0;
}

SEC("usdt")
int BPF_USDT(utxocache_flush, __s64 duration_us, __u32 mode, __u64 coins, __u64 memory, bool for_prune)
{
    RESERVE(rec, struct utxocache_flush_record, utxocache, RB_UTXOCACHE)
    rec->kind = REC_UTXOCACHE_FLUSH;
    rec->mode = mode;
    rec->duration_us = duration_us;
    rec->coins = coins;
    rec->memory = memory;
    rec->for_prune = for_prune;
    SUBMIT(rec, utxocache, RB_UTXOCACHE);
    return 0;
}

/* ---- mempool ---- */

SEC("usdt")
int BPF_USDT(mempool_added, void *txid, __s32 vsize, __s64 fee)
{
    RESERVE(rec, struct mempool_added_record, mempool, RB_MEMPOOL)
    rec->kind = REC_MEMPOOL_ADDED;
    rec->vsize = vsize;
    rec->fee = fee;
    BYTES(rec->txid, txid);
    SUBMIT(rec, mempool, RB_MEMPOOL);
    return 0;
}

SEC("usdt")
int BPF_USDT(mempool_removed, void *txid, void *reason, __s32 vsize, __s64 fee, __u64 entry_time)
{
    RESERVE(rec, struct mempool_removed_record, mempool, RB_MEMPOOL)
    rec->kind = REC_MEMPOOL_REMOVED;
    rec->vsize = vsize;
    rec->fee = fee;
    rec->entry_time = entry_time;
    BYTES(rec->txid, txid);
    STR(rec->reason, reason);
    SUBMIT(rec, mempool, RB_MEMPOOL);
    return 0;
}

SEC("usdt")
int BPF_USDT(mempool_replaced, void *replaced_txid, __s32 replaced_vsize, __s64 replaced_fee,
             __u64 replaced_entry_time, void *replacement_id, __s32 replacement_vsize, __s64 replacement_fee,
             bool by_transaction)
{
    RESERVE(rec, struct mempool_replaced_record, mempool, RB_MEMPOOL)
    rec->kind = REC_MEMPOOL_REPLACED;
    rec->replaced_vsize = replaced_vsize;
    rec->replaced_fee = replaced_fee;
    rec->replaced_entry_time = replaced_entry_time;
    rec->replacement_vsize = replacement_vsize;
    rec->replaced_by_transaction = by_transaction;
    rec->replacement_fee = replacement_fee;
    BYTES(rec->replaced_txid, replaced_txid);
    BYTES(rec->replacement_id, replacement_id);
    SUBMIT(rec, mempool, RB_MEMPOOL);
    return 0;
}

SEC("usdt")
int BPF_USDT(mempool_rejected, void *txid, void *reason)
{
    RESERVE(rec, struct mempool_rejected_record, mempool, RB_MEMPOOL)
    rec->kind = REC_MEMPOOL_REJECTED;
    BYTES(rec->txid, txid);
    STR(rec->reason, reason);
    SUBMIT(rec, mempool, RB_MEMPOOL);
    return 0;
}

/* ---- addrman (patched Core only) ---- */

static __always_inline int addrman(void *ctx, __u32 kind, bool inserted, __s32 bucket, __s32 bucket_pos, const void *addr,
                                   __u32 addr_as, const void *source, __u32 source_as)
{
    RESERVE(rec, struct addrman_record, addrman, RB_ADDRMAN)
    rec->kind = kind;
    rec->inserted = inserted;
    rec->bucket = bucket;
    rec->bucket_pos = bucket_pos;
    rec->addr_as = addr_as;
    rec->source_as = source_as;
    STR(rec->addr, addr);
    STR(rec->source, source);
    SUBMIT(rec, addrman, RB_ADDRMAN);
    return 0;
}

SEC("usdt")
int BPF_USDT(addrman_attempt_add, bool inserted, __s32 bucket, __s32 bucket_pos, void *addr, __u32 addr_as,
             void *source, __u32 source_as)
{
    return addrman(ctx, REC_ADDRMAN_ATTEMPT_ADD, inserted, bucket, bucket_pos, addr, addr_as, source, source_as);
}

SEC("usdt")
int BPF_USDT(addrman_move_to_good, __s32 bucket, __s32 bucket_pos, void *addr, __u32 addr_as, void *source,
             __u32 source_as)
{
    return addrman(ctx, REC_ADDRMAN_MOVE_TO_GOOD, 0, bucket, bucket_pos, addr, addr_as, source, source_as);
}

/* ---- FIBRE (provider udp) ---- */

SEC("usdt")
int BPF_USDT(udp_block_race_winner, void *hash, __s32 height, void *mechanism, void *peer)
{
    RESERVE(rec, struct fibre_race_winner_record, fibre, RB_FIBRE)
    rec->kind = REC_FIBRE_RACE_WINNER;
    rec->height = height;
    BYTES(rec->hash, hash);
    STR(rec->mechanism, mechanism);
    STR(rec->peer, peer);
    SUBMIT(rec, fibre, RB_FIBRE);
    return 0;
}

SEC("usdt")
int BPF_USDT(udp_block_race_time, void *hash, __s32 height, __s64 udp_ns, void *udp_peer, __s64 cmpct_ns,
             void *cmpct_peer)
{
    RESERVE(rec, struct fibre_race_time_record, fibre, RB_FIBRE)
    rec->kind = REC_FIBRE_RACE_TIME;
    rec->height = height;
    rec->udp_ns = udp_ns;
    rec->cmpct_ns = cmpct_ns;
    BYTES(rec->hash, hash);
    STR(rec->udp_peer, udp_peer);
    STR(rec->cmpct_peer, cmpct_peer);
    SUBMIT(rec, fibre, RB_FIBRE);
    return 0;
}

SEC("usdt")
int BPF_USDT(udp_block_reconstructed, void *hash, void *source, __u32 chunks_used, __u32 chunks_received,
             __u32 peers, __s64 duration_us, __s32 height)
{
    RESERVE(rec, struct fibre_reconstructed_record, fibre, RB_FIBRE)
    rec->kind = REC_FIBRE_RECONSTRUCTED;
    rec->chunks_used = chunks_used;
    rec->chunks_received = chunks_received;
    rec->peers = peers;
    rec->duration_us = duration_us;
    rec->height = height;
    STR(rec->hash, hash);
    STR(rec->source, source);
    SUBMIT(rec, fibre, RB_FIBRE);
    return 0;
}

SEC("usdt")
int BPF_USDT(udp_block_reconstruction_detail, void *hash, __s32 height, __u32 missing_tx, __u64 missing_bytes,
             __u32 mempool_tx, __u32 total_tx, __u32 all_from_mempool)
{
    RESERVE(rec, struct fibre_reconstruction_detail_record, fibre, RB_FIBRE)
    rec->kind = REC_FIBRE_RECONSTRUCTION_DETAIL;
    rec->height = height;
    rec->missing_tx_count = missing_tx;
    rec->mempool_tx_count = mempool_tx;
    rec->missing_tx_bytes = missing_bytes;
    rec->total_tx_count = total_tx;
    rec->all_from_mempool = all_from_mempool;
    STR(rec->hash, hash);
    SUBMIT(rec, fibre, RB_FIBRE);
    return 0;
}

SEC("usdt")
int BPF_USDT(udp_block_send_start)
{
    RESERVE(rec, struct fibre_send_start_record, fibre, RB_FIBRE)
    rec->kind = REC_FIBRE_SEND_START;
    SUBMIT(rec, fibre, RB_FIBRE);
    return 0;
}
