/*
 * Every record the BPF programs (bpf/probes.bpf.c) write into a ring buffer. The Java decoder
 * (org.peerobserver.extractor.ebpf.Records) mirrors these layouts by offset; the offsets are
 * written next to each field and pinned by _Static_assert in probes.bpf.c, so a change here that
 * Java does not follow fails the build instead of garbling events. All little-endian (x86_64).
 */
#ifndef PEER_OBSERVER_RECORDS_H
#define PEER_OBSERVER_RECORDS_H

#include <linux/types.h>

/* String buffers: upstream peer-observer's sizes, so truncation is byte-identical (wire doc §4.6). */
#define ADDR_LEN 68             /* 67 characters delivered */
#define CONN_TYPE_LEN 20
#define MSG_TYPE_LEN 12         /* the 12-byte P2P command field: 11 characters delivered */
#define MISBEHAVING_LEN 128
#define REMOVAL_REASON_LEN 9    /* "sizelimit" arrives as "sizelimi", as upstream */
#define REJECTION_REASON_LEN 113
#define HASH_LEN 32

/* Payload size classes for net:*_message (upstream's four); larger messages are not captured. */
#define MSG_SMALL 256
#define MSG_MEDIUM 4096
#define MSG_LARGE 65536
#define MSG_HUGE 4194304

/* First field of every record: which tracepoint wrote it. */
enum record_kind {
    REC_INBOUND_MESSAGE = 1,
    REC_OUTBOUND_MESSAGE = 2,
    REC_INBOUND_CONNECTION = 3,
    REC_OUTBOUND_CONNECTION = 4,
    REC_CLOSED_CONNECTION = 5,
    REC_EVICTED_INBOUND_CONNECTION = 6,
    REC_MISBEHAVING_CONNECTION = 7,
    REC_BLOCK_CONNECTED = 8,
    REC_MEMPOOL_ADDED = 9,
    REC_MEMPOOL_REMOVED = 10,
    REC_MEMPOOL_REPLACED = 11,
    REC_MEMPOOL_REJECTED = 12,
    REC_ADDRMAN_ATTEMPT_ADD = 13,
    REC_ADDRMAN_MOVE_TO_GOOD = 14,
    REC_UTXOCACHE_FLUSH = 15,
    REC_FIBRE_RACE_WINNER = 16,
    REC_FIBRE_RACE_TIME = 17,
    REC_FIBRE_RECONSTRUCTED = 18,
    REC_FIBRE_RECONSTRUCTION_DETAIL = 19,
    REC_FIBRE_SEND_START = 20,
};

/*
 * Ring buffers, in this order: the index is also the slot of that buffer's drop counter in the
 * `drops` array map (incremented when a reserve fails). Slot DROP_OVERSIZED counts messages
 * larger than MSG_HUGE, which are not captured at all.
 */
enum ring {
    RB_MSG_SMALL, RB_MSG_MEDIUM, RB_MSG_LARGE, RB_MSG_HUGE,
    RB_CONNECTION, RB_MEMPOOL, RB_VALIDATION, RB_ADDRMAN, RB_UTXOCACHE, RB_FIBRE,
    RB_COUNT
};
#define DROP_OVERSIZED RB_COUNT
#define DROP_SLOTS (RB_COUNT + 1)

/* net:inbound_message / net:outbound_message; `payload` (size bytes) follows at offset 128. */
struct msg_head {
    __u32 kind;                   /*   0 */
    __u32 pad;                    /*   4 */
    __s64 peer_id;                /*   8 */
    __u64 size;                   /*  16 payload size, all of it captured */
    char addr[ADDR_LEN];          /*  24 */
    char conn_type[CONN_TYPE_LEN];/*  92 */
    char msg_type[MSG_TYPE_LEN];  /* 112 */
};                                /* 128 */

/* net:inbound/outbound/closed/evicted_inbound_connection */
struct conn_record {
    __u32 kind;                   /*   0 */
    __u32 network;                /*   4 */
    __s64 peer_id;                /*   8 */
    __u64 value;                  /*  16 existing connections (inbound/outbound) or established time (closed/evicted) */
    char addr[ADDR_LEN];          /*  24 */
    char conn_type[CONN_TYPE_LEN];/*  92 */
};                                /* 112 */

/* net:misbehaving_connection */
struct misbehaving_record {
    __u32 kind;                   /*   0 */
    __u32 pad;                    /*   4 */
    __s64 peer_id;                /*   8 */
    char message[MISBEHAVING_LEN];/*  16 */
};                                /* 144 */

/* validation:block_connected */
struct block_connected_record {
    __u32 kind;                   /*   0 */
    __s32 height;                 /*   4 */
    __u64 transactions;           /*   8 */
    __s32 inputs;                 /*  16 */
    __u32 pad;                    /*  20 */
    __u64 sigops;                 /*  24 */
    __u64 duration_ns;            /*  32 */
    __u8 hash[HASH_LEN];          /*  40 */
};                                /*  72 */

/* mempool:added */
struct mempool_added_record {
    __u32 kind;                   /*   0 */
    __s32 vsize;                  /*   4 */
    __s64 fee;                    /*   8 */
    __u8 txid[HASH_LEN];          /*  16 */
};                                /*  48 */

/* mempool:removed */
struct mempool_removed_record {
    __u32 kind;                   /*   0 */
    __s32 vsize;                  /*   4 */
    __s64 fee;                    /*   8 */
    __u64 entry_time;             /*  16 */
    __u8 txid[HASH_LEN];          /*  24 */
    char reason[REMOVAL_REASON_LEN]; /* 56 */
};                                /*  72 */

/* mempool:replaced */
struct mempool_replaced_record {
    __u32 kind;                   /*   0 */
    __s32 replaced_vsize;         /*   4 */
    __s64 replaced_fee;           /*   8 */
    __u64 replaced_entry_time;    /*  16 */
    __s32 replacement_vsize;      /*  24 */
    __u32 replaced_by_transaction;/*  28 */
    __s64 replacement_fee;        /*  32 */
    __u8 replaced_txid[HASH_LEN]; /*  40 */
    __u8 replacement_id[HASH_LEN];/*  72 */
};                                /* 104 */

/* mempool:rejected */
struct mempool_rejected_record {
    __u32 kind;                   /*   0 */
    __u8 txid[HASH_LEN];          /*   4 */
    char reason[REJECTION_REASON_LEN]; /* 36 */
};                                /* 152 */

/* addrman:attempt_add and addrman:move_to_good (upstream's patched Core; `inserted` is 0 for the latter) */
struct addrman_record {
    __u32 kind;                   /*   0 */
    __u32 inserted;               /*   4 */
    __s32 bucket;                 /*   8 */
    __s32 bucket_pos;             /*  12 */
    __u32 addr_as;                /*  16 */
    __u32 source_as;              /*  20 */
    char addr[ADDR_LEN];          /*  24 */
    char source[ADDR_LEN];        /*  92 */
};                                /* 160 */

/* utxocache:flush */
struct utxocache_flush_record {
    __u32 kind;                   /*   0 */
    __u32 mode;                   /*   4 */
    __s64 duration_us;            /*   8 */
    __u64 coins;                  /*  16 */
    __u64 memory;                 /*  24 */
    __u32 for_prune;              /*  32 */
};                                /*  40 */

/*
 * FIBRE (provider `udp`). block_race_winner and block_race_time are read from FIBRE's source
 * (src/fibrerace.cpp). The other three are INFERRED from consumer BPF code, not from FIBRE's
 * source: the string hash, the argument order and the sizes below are what to correct first
 * once a FIBRE binary's `readelf -n` says otherwise.
 */
#define FIBRE_MECHANISM_LEN 32
#define FIBRE_HASH_STR_LEN 80     /* inferred: consumers read a string into char[80] */

struct fibre_race_winner_record {
    __u32 kind;                   /*   0 */
    __s32 height;                 /*   4 */
    __u8 hash[HASH_LEN];          /*   8 */
    char mechanism[FIBRE_MECHANISM_LEN]; /* 40 */
    char peer[ADDR_LEN];          /*  72 */
};                                /* 140 */

struct fibre_race_time_record {
    __u32 kind;                   /*   0 */
    __s32 height;                 /*   4 */
    __s64 udp_ns;                 /*   8 -1 when no UDP packet was seen */
    __s64 cmpct_ns;               /*  16 -1 when no cmpctblock was seen */
    __u8 hash[HASH_LEN];          /*  24 */
    char udp_peer[ADDR_LEN];      /*  56 */
    char cmpct_peer[ADDR_LEN];    /* 124 */
};                                /* 192 */

/* inferred: (char* hash, char* source, u32 chunks_used, u32 chunks_recvd, u32 peers, s64 duration_us, s32 height) */
struct fibre_reconstructed_record {
    __u32 kind;                   /*   0 */
    __u32 chunks_used;            /*   4 */
    __u32 chunks_received;        /*   8 */
    __u32 peers;                  /*  12 */
    __s64 duration_us;            /*  16 */
    __s32 height;                 /*  24 */
    char hash[FIBRE_HASH_STR_LEN];/*  28 */
    char source[ADDR_LEN];        /* 108 */
};                                /* 176 */

/* inferred: (char* hash, s32 height, u32 missing_tx, u64 missing_bytes, u32 mempool_tx, u32 total_tx, u32 all_from_mempool) */
struct fibre_reconstruction_detail_record {
    __u32 kind;                   /*   0 */
    __s32 height;                 /*   4 */
    __u32 missing_tx_count;       /*   8 */
    __u32 mempool_tx_count;       /*  12 */
    __u64 missing_tx_bytes;       /*  16 */
    __u32 total_tx_count;         /*  24 */
    __u32 all_from_mempool;       /*  28 */
    char hash[FIBRE_HASH_STR_LEN];/*  32 */
};                                /* 112 */

/* udp:block_send_start: consumers read no argument, they only count it */
struct fibre_send_start_record {
    __u32 kind;                   /*   0 */
};                                /*   4 */

#endif
