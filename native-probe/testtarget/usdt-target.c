/*
 * USDT test target: fires Bitcoin Core's (v29+) and FIBRE's tracepoints with their exact argument
 * types and order, gated by semaphores the way Core's src/util/trace.h declares them, so a probe
 * fires only while a tracer is attached. Contents are a pure function of the event index, so tests
 * can compute every value they must receive (the Java mirror is in the tests' FiredValues).
 *
 *   usdt-target [-s payload-size] [-m message-type] [-w wait-seconds] TRACEPOINTS COUNT RATE
 *
 * TRACEPOINTS: comma-separated names (net:inbound_message, ...) or "all". Waits until every selected
 * tracepoint is attached (at most -w seconds, default 30: exit 2), fires each selected tracepoint
 * COUNT times (index 0..COUNT-1, interleaved) at RATE events/s in total (0: as fast as possible;
 * otherwise in bursts of up to 1 ms, sleeping in between), prints "fired N" and exits. -s and -m fix the size and type of every message (by default both
 * rotate through four kinds).
 */
#define SDT_USE_VARIADIC 1
#define _SDT_HAS_SEMAPHORES 1
/* Arguments in registers or immediates only: libbpf before 1.6 cannot parse the SIB memory operands
 * (e.g. 8@(%rax,%rdi,8)) that the default "nor" constraint lets gcc emit for array lookups. */
#define STAP_SDT_ARG_CONSTRAINT nr
#include <sys/sdt.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SEMAPHORE(ctx, ev) unsigned short ctx##_##ev##_semaphore __attribute__((section(".probes")))
#define ACTIVE(ctx, ev) (ctx##_##ev##_semaphore > 0)
#define TRACEPOINT(ctx, ev, ...) do { if (ACTIVE(ctx, ev)) { STAP_PROBEV(ctx, ev, __VA_ARGS__); } } while (0)

SEMAPHORE(net, inbound_message);
SEMAPHORE(net, outbound_message);
SEMAPHORE(net, inbound_connection);
SEMAPHORE(net, outbound_connection);
SEMAPHORE(net, closed_connection);
SEMAPHORE(net, evicted_inbound_connection);
SEMAPHORE(net, misbehaving_connection);
SEMAPHORE(validation, block_connected);
SEMAPHORE(mempool, added);
SEMAPHORE(mempool, removed);
SEMAPHORE(mempool, replaced);
SEMAPHORE(mempool, rejected);
SEMAPHORE(addrman, attempt_add);
SEMAPHORE(addrman, move_to_good);
SEMAPHORE(utxocache, flush);
SEMAPHORE(udp, block_race_winner);
SEMAPHORE(udp, block_race_time);
SEMAPHORE(udp, block_reconstructed);
SEMAPHORE(udp, block_reconstruction_detail);
SEMAPHORE(udp, block_send_start);

#define MAX_PAYLOAD 4194304
static unsigned char payload[MAX_PAYLOAD];
static long forced_size = -1;
static const char *forced_type;

/* text(seed, len): len characters 'a' + (seed + k) % 26 */
static const char *text(char *buf, long seed, int len)
{
    for (int k = 0; k < len; k++)
        buf[k] = 'a' + (seed + k) % 26;
    buf[len] = 0;
    return buf;
}

/* hash(seed): 32 bytes (seed * 31 + k) & 0xff */
static const unsigned char *hash(unsigned char *buf, long seed)
{
    for (int k = 0; k < 32; k++)
        buf[k] = (seed * 31 + k) & 0xff;
    return buf;
}

static const char *CONN_TYPES[] = {"inbound", "outbound-full-relay", "block-relay-only", "feeler", "manual", "addr-fetch"};
static const char *MSG_TYPES[] = {"ping", "inv", "getcfcheckpt", "sendtxrcncl"};
static const long MSG_SIZES[] = {8, 300, 5000, 70000};
static const char *REMOVAL_REASONS[] = {"sizelimit", "expiry", "reorg", "block", "conflict", "replaced"};
static const char *MECHANISMS[] = {"FIBRE/UDP", "BIP152/CMPCTBLOCK"};

static int addr_len(long i) { return i % 2 ? 70 : 21; }   /* odd: longer than the 67 kept */

static void message(bool inbound, long i)
{
    char addr[80];
    long size = forced_size >= 0 ? forced_size : MSG_SIZES[i % 4];
    for (long k = 0; k < size; k++)
        payload[k] = (i * 7 + k) & 0xff;
    int64_t id = 1000 + i;
    const char *a = text(addr, i, addr_len(i)), *ct = CONN_TYPES[i % 6], *mt = forced_type ? forced_type : MSG_TYPES[i % 4];
    uint64_t sz = size;
    const unsigned char *p = payload;
    if (inbound)
        TRACEPOINT(net, inbound_message, id, a, ct, mt, sz, p);
    else
        TRACEPOINT(net, outbound_message, id, a, ct, mt, sz, p);
}

/* One tracepoint: its name, whether it is attached, how to fire event i. */
struct tp {
    const char *name;
    unsigned short *semaphore;
    void (*fire)(long i);
    bool selected;
};

static void f_inbound_message(long i) { message(true, i); }
static void f_outbound_message(long i) { message(false, i); }

#define CONN_ARGS char addr[80]; int64_t id = 1000 + i; const char *a = text(addr, i, addr_len(i)); \
    const char *ct = CONN_TYPES[i % 6]; uint32_t net = i % 7; uint64_t value = 1700000000 + i;
static void f_inbound_connection(long i) { CONN_ARGS TRACEPOINT(net, inbound_connection, id, a, ct, net, value); }
static void f_outbound_connection(long i) { CONN_ARGS TRACEPOINT(net, outbound_connection, id, a, ct, net, value); }
static void f_closed_connection(long i) { CONN_ARGS TRACEPOINT(net, closed_connection, id, a, ct, net, value); }
static void f_evicted_inbound_connection(long i) { CONN_ARGS TRACEPOINT(net, evicted_inbound_connection, id, a, ct, net, value); }

static void f_misbehaving_connection(long i)
{
    char msg[160];
    int64_t id = 1000 + i;
    const char *m = text(msg, i + 1, i % 2 ? 140 : 30);
    TRACEPOINT(net, misbehaving_connection, id, m);
}

static void f_block_connected(long i)
{
    unsigned char h[32];
    const unsigned char *hp = hash(h, i);
    int32_t height = 800000 + i, inputs = 5000 + i;
    uint64_t txs = 2000 + i, sigops = (1ULL << 40) + i, ns = 123456789 + i;
    TRACEPOINT(validation, block_connected, hp, height, txs, inputs, sigops, ns);
}

static void f_added(long i)
{
    unsigned char h[32];
    const unsigned char *t = hash(h, i + 1);
    int32_t vsize = 100 + i;
    int64_t fee = 1000 * i - 5;
    TRACEPOINT(mempool, added, t, vsize, fee);
}

static void f_removed(long i)
{
    unsigned char h[32];
    const unsigned char *t = hash(h, i + 2);
    const char *reason = REMOVAL_REASONS[i % 6];
    int32_t vsize = 100 + i;
    int64_t fee = 1000 * i - 5;
    uint64_t entry = 1700000000 + i;
    TRACEPOINT(mempool, removed, t, reason, vsize, fee, entry);
}

static void f_replaced(long i)
{
    unsigned char h1[32], h2[32];
    const unsigned char *old = hash(h1, i + 3), *repl = hash(h2, i + 4);
    int32_t old_vsize = 100 + i, new_vsize = 200 + i;
    int64_t old_fee = 1000 * i - 5, new_fee = 2000 * i + 7;
    uint64_t entry = 1700000000 + i;
    bool by_tx = i % 2;
    TRACEPOINT(mempool, replaced, old, old_vsize, old_fee, entry, repl, new_vsize, new_fee, by_tx);
}

static void f_rejected(long i)
{
    unsigned char h[32];
    char reason[130];
    const unsigned char *t = hash(h, i + 5);
    const char *r = text(reason, i + 2, i % 2 ? 120 : 40);
    TRACEPOINT(mempool, rejected, t, r);
}

#define ADDRMAN_ARGS char addr[80], src[80]; const char *a = text(addr, i, addr_len(i)), *s = text(src, i + 3, 25); \
    int32_t bucket = i, pos = 63 - i % 64; uint32_t addr_as = 64512 + i, src_as = 4200000000u + i;
static void f_attempt_add(long i)
{
    ADDRMAN_ARGS
    bool inserted = i % 2;
    TRACEPOINT(addrman, attempt_add, inserted, bucket, pos, a, addr_as, s, src_as);
}
static void f_move_to_good(long i) { ADDRMAN_ARGS TRACEPOINT(addrman, move_to_good, bucket, pos, a, addr_as, s, src_as); }

static void f_flush(long i)
{
    int64_t us = 500 + i;
    uint32_t mode = i % 4;
    uint64_t coins = 1000000000 + i, memory = (1ULL << 33) + i;
    bool prune = i % 2;
    TRACEPOINT(utxocache, flush, us, mode, coins, memory, prune);
}

static void f_race_winner(long i)
{
    unsigned char h[32];
    char peer[80];
    const unsigned char *hp = hash(h, i + 6);
    int32_t height = 800000 + i;
    const char *mech = MECHANISMS[i % 2], *p = i % 3 ? text(peer, i, addr_len(i)) : "n/a";
    TRACEPOINT(udp, block_race_winner, hp, height, mech, p);
}

static void f_race_time(long i)
{
    unsigned char h[32];
    char up[80], cp[80];
    const unsigned char *hp = hash(h, i + 7);
    int32_t height = 800000 + i;
    int64_t udp = i % 2 ? -1 : 1000000 + i, cmpct = i % 2 ? 2000000 + i : -1;
    const char *u = text(up, i + 1, 20), *c = text(cp, i + 2, addr_len(i));
    TRACEPOINT(udp, block_race_time, hp, height, udp, u, cmpct, c);
}

static void f_reconstructed(long i)
{
    char h[80], src[80];
    const char *hs = text(h, i, 64), *s = text(src, i + 3, 20);
    uint32_t used = 10 + i, recvd = 20 + i, peers = 1 + i % 5;
    int64_t us = 3000 + i;
    int32_t height = 800000 + i;
    TRACEPOINT(udp, block_reconstructed, hs, s, used, recvd, peers, us, height);
}

static void f_reconstruction_detail(long i)
{
    char h[80];
    const char *hs = text(h, i + 1, 64);
    int32_t height = 800000 + i;
    uint32_t missing = i, mempool_tx = 100 + i, total = 200 + i, all = i % 2;
    uint64_t missing_bytes = (1ULL << 32) + i;
    TRACEPOINT(udp, block_reconstruction_detail, hs, height, missing, missing_bytes, mempool_tx, total, all);
}

static void f_send_start(long i)
{
    (void)i;
    if (ACTIVE(udp, block_send_start))
        STAP_PROBE(udp, block_send_start);
}

#define TP(ctx, ev, f) {#ctx ":" #ev, &ctx##_##ev##_semaphore, f, false}
static struct tp TPS[] = {
    TP(net, inbound_message, f_inbound_message),
    TP(net, outbound_message, f_outbound_message),
    TP(net, inbound_connection, f_inbound_connection),
    TP(net, outbound_connection, f_outbound_connection),
    TP(net, closed_connection, f_closed_connection),
    TP(net, evicted_inbound_connection, f_evicted_inbound_connection),
    TP(net, misbehaving_connection, f_misbehaving_connection),
    TP(validation, block_connected, f_block_connected),
    TP(mempool, added, f_added),
    TP(mempool, removed, f_removed),
    TP(mempool, replaced, f_replaced),
    TP(mempool, rejected, f_rejected),
    TP(addrman, attempt_add, f_attempt_add),
    TP(addrman, move_to_good, f_move_to_good),
    TP(utxocache, flush, f_flush),
    TP(udp, block_race_winner, f_race_winner),
    TP(udp, block_race_time, f_race_time),
    TP(udp, block_reconstructed, f_reconstructed),
    TP(udp, block_reconstruction_detail, f_reconstruction_detail),
    TP(udp, block_send_start, f_send_start),
};
#define NTPS (sizeof(TPS) / sizeof(TPS[0]))

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool all_attached(void)
{
    for (size_t t = 0; t < NTPS; t++)
        if (TPS[t].selected && !*(volatile unsigned short *)TPS[t].semaphore)
            return false;
    return true;
}

static int usage(void)
{
    fprintf(stderr, "usage: usdt-target [-s payload-size] [-m message-type] [-w wait-seconds] TRACEPOINTS|all COUNT RATE\n");
    return 1;
}

int main(int argc, char **argv)
{
    int opt, wait = 30;
    while ((opt = getopt(argc, argv, "s:m:w:")) != -1) {
        if (opt == 's')
            forced_size = atol(optarg);
        else if (opt == 'm')
            forced_type = optarg;
        else if (opt == 'w')
            wait = atoi(optarg);
        else
            return usage();
    }
    if (argc - optind != 3 || forced_size > MAX_PAYLOAD || (forced_type && strlen(forced_type) > 11))
        return usage();
    char *list = argv[optind];
    long count = atol(argv[optind + 1]);
    double rate = atof(argv[optind + 2]);

    size_t selected = 0;
    for (size_t t = 0; t < NTPS; t++) {
        char *copy = strdup(list), *save = NULL;
        for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save))
            if (!strcmp(name, "all") || !strcmp(name, TPS[t].name))
                TPS[t].selected = true;
        free(copy);
        selected += TPS[t].selected;
    }
    if (!selected) {
        fprintf(stderr, "usdt-target: no known tracepoint in %s\n", list);
        return 1;
    }

    double deadline = now() + wait;
    while (!all_attached()) {
        if (now() > deadline) {
            fprintf(stderr, "usdt-target: not attached after %d s\n", wait);
            return 2;
        }
        usleep(10000);
    }
    /* The kernel raises a semaphore just before it writes the probe's breakpoint: give it time, so
     * that no event is fired into a not-yet-armed probe. */
    usleep(50000);
    printf("attached %d\n", (int)getpid());
    fflush(stdout);

    double start = now();
    long fired = 0;
    for (long i = 0; i < count; i++) {
        for (size_t t = 0; t < NTPS; t++) {
            if (!TPS[t].selected)
                continue;
            /* Sleep, not spin, until the event is due, so the cores stay with the consumer, as with a
               real bitcoind: events then fire in bursts of up to 1 ms. */
            double wait_s;
            while (rate > 0 && (wait_s = start + fired / rate - now()) > 0) {
                long ns = wait_s < 0.001 ? 1000000 : (long)(wait_s * 1e9);
                struct timespec pause = {ns / 1000000000L, ns % 1000000000L};
                nanosleep(&pause, NULL);
            }
            TPS[t].fire(i);
            fired++;
        }
    }
    printf("fired %ld in %.3f s\n", fired, now() - start);
    return 0;
}
