/*
 * Bench-only USDT target: fires net:inbound_message as Bitcoin Core v29+ does (same argument types
 * and order, same semaphore), with payloads that decode as real P2P messages in a mix a mainnet node
 * sees, and prints the CLOCK_MONOTONIC time it started firing, so the bench can tell when each event
 * was due. (native-probe/testtarget fires deterministic test contents; this one is for load.)
 *
 *   mix-target [-w wait-seconds] MODE COUNT RATE
 *
 * MODE: "mix" (mostly inv/tx/getdata/ping/pong, some addrv2 and headers, one 1 MB block in 10,000) or "ping"
 * (8-byte pings only). Waits until the probe is attached, prints "start <ns>", fires COUNT events at
 * RATE events/s (0: as fast as possible), prints "fired N in S s" and exits. Between events it
 * sleeps in steps of 1 ms or more, so at high rates it fires in bursts of up to 1 ms of events.
 */
#define SDT_USE_VARIADIC 1
#define _SDT_HAS_SEMAPHORES 1
#define STAP_SDT_ARG_CONSTRAINT nr
#include <sys/sdt.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

unsigned short net_inbound_message_semaphore __attribute__((section(".probes")));

struct msg { const char *type; unsigned char *payload; uint64_t size; };

static unsigned char *out;   /* write cursor while building payloads */

static void u8(unsigned v) { *out++ = v; }
static void le(uint64_t v, int n) { for (int k = 0; k < n; k++) *out++ = v >> (8 * k); }
static void fill(int n, unsigned seed) { for (int k = 0; k < n; k++) *out++ = (seed * 131 + k * 7) & 0xff; }
static void compact(uint64_t n)
{
    if (n < 0xfd) u8(n);
    else if (n <= 0xffff) { u8(0xfd); le(n, 2); }
    else { u8(0xfe); le(n, 4); }
}

/* A legacy transaction with one input (a 107-byte P2PKH scriptSig) and two P2PKH outputs: 226 bytes. */
static void tx(unsigned seed)
{
    le(2, 4);
    compact(1); fill(32, seed); le(seed % 4, 4); compact(107); fill(107, seed + 1); le(0xfffffffd, 4);
    compact(2);
    for (int o = 0; o < 2; o++) {
        le(10000 + seed * 3 + o, 8); compact(25);
        u8(0x76); u8(0xa9); u8(20); fill(20, seed + o); u8(0x88); u8(0xac);
    }
    le(0, 4);
}

static void header(unsigned seed) { le(0x20000000, 4); fill(32, seed); fill(32, seed + 1); le(1700000000 + seed, 4); le(0x17034219, 4); le(seed, 4); }

static struct msg make(const char *type, void (*body)(unsigned), unsigned seed, size_t max)
{
    unsigned char *start = malloc(max);
    out = start;
    body(seed);
    return (struct msg){type, start, (uint64_t)(out - start)};
}

static unsigned items;   /* how many entries the next inventory-like message carries */
static void b_inv(unsigned seed) { compact(items); for (unsigned k = 0; k < items; k++) { le(k % 3 ? 5 : 1, 4); fill(32, seed + k); } }
static void b_tx(unsigned seed) { tx(seed); }
static void b_nonce(unsigned seed) { le(0x9e3779b97f4a7c15ULL * (seed + 1), 8); }
static void b_addrv2(unsigned seed)
{
    compact(items);
    for (unsigned k = 0; k < items; k++) {
        le(1700000000 + k, 4); compact(0x409); u8(1); compact(4); u8(23); u8(k >> 8); u8(k); u8(seed); u8(0x20); u8(0x8d);
    }
}
static void b_headers(unsigned seed) { compact(items); for (unsigned k = 0; k < items; k++) { header(seed + k); compact(0); } }
static void b_block(unsigned seed) { header(seed); compact(items); for (unsigned k = 0; k < items; k++) tx(seed + k); }

/* One slot in a cycle of 10,000 events per kind, so the mix is exact over every 10,000 events. */
#define CYCLE 10000
static struct msg cycle[CYCLE];

static void build(const char *mode)
{
    struct msg ping = make("ping", b_nonce, 1, 8);
    if (!strcmp(mode, "ping")) {
        for (int i = 0; i < CYCLE; i++) cycle[i] = ping;
        return;
    }
    struct msg pong = make("pong", b_nonce, 2, 8);
    struct msg txs[16], invs[8], getdata = (items = 4, make("getdata", b_inv, 3, 200));
    for (int k = 0; k < 16; k++) txs[k] = make("tx", b_tx, 100 + k, 300);
    for (int k = 0; k < 8; k++) invs[k] = (items = 1 + k * 5, make("inv", b_inv, 200 + k, 2000));
    struct msg addr = (items = 10, make("addrv2", b_addrv2, 5, 300));
    struct msg addr_big = (items = 1000, make("addrv2", b_addrv2, 6, 30000));
    struct msg headers = (items = 1, make("headers", b_headers, 7, 100));
    struct msg block = (items = 4400, make("block", b_block, 8, 1100000));
    /* Per 10,000: 4,500 inv, 2,500 tx, 1,000 getdata, 700 ping, 700 pong, 390 addrv2 (of 10 entries),
     * 5 addrv2 of 1,000, 204 headers, 1 block of 1 MB. */
    for (int i = 0; i < CYCLE; i++) {
        int r = (i * 7919) % CYCLE;   /* spreads each kind over the cycle */
        cycle[i] = r < 4500 ? invs[i % 8] : r < 7000 ? txs[i % 16] : r < 8000 ? getdata : r < 8700 ? ping
                 : r < 9400 ? pong : r < 9790 ? addr : r < 9795 ? addr_big : r < 9999 ? headers : block;
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int opt, wait = 30;
    while ((opt = getopt(argc, argv, "w:")) != -1) {
        if (opt != 'w') return 1;
        wait = atoi(optarg);
    }
    if (argc - optind != 3 || (strcmp(argv[optind], "mix") && strcmp(argv[optind], "ping"))) {
        fprintf(stderr, "usage: mix-target [-w wait-seconds] mix|ping COUNT RATE\n");
        return 1;
    }
    build(argv[optind]);
    long count = atol(argv[optind + 1]);
    double rate = atof(argv[optind + 2]);

    double deadline = now() + wait;
    while (!*(volatile unsigned short *)&net_inbound_message_semaphore) {
        if (now() > deadline) {
            fprintf(stderr, "mix-target: not attached after %d s\n", wait);
            return 2;
        }
        usleep(10000);
    }
    usleep(50000);   /* the semaphore rises just before the breakpoint is written */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double start = ts.tv_sec + ts.tv_nsec / 1e9;
    printf("start %lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    fflush(stdout);

    char addr[32];
    for (long i = 0; i < count; i++) {
        /* Sleep, not spin, until the event is due: the cores stay with the pipeline, as with a real
           bitcoind. Events then fire in bursts up to about 1 ms late, which the latency figures include. */
        if (rate > 0) {
            double wait_s;
            while ((wait_s = start + i / rate - now()) > 0) {
                long ns = wait_s < 0.001 ? 1000000 : (long)(wait_s * 1e9);
                struct timespec pause = {ns / 1000000000L, ns % 1000000000L};
                nanosleep(&pause, NULL);
            }
        }
        struct msg *m = &cycle[i % CYCLE];
        int64_t peer = i % 125;
        snprintf(addr, sizeof addr, "10.0.%ld.%ld:8333", peer / 250, peer % 250);
        const char *conn = peer % 8 ? "inbound" : "outbound-full-relay";
        if (net_inbound_message_semaphore)
            STAP_PROBEV(net, inbound_message, peer, addr, conn, m->type, m->size, m->payload);
    }
    printf("fired %ld in %.3f s\n", count, now() - start);
    return 0;
}
