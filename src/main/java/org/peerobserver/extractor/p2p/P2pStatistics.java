package org.peerobserver.extractor.p2p;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one consumer, read over JMX. Commands are counted by name only when the codec knows them
 * (everything else as {@code other}), so a stranger cannot grow the maps.
 */
final class P2pStatistics {
    static final Set<String> KNOWN_COMMANDS = Set.of("version", "verack", "addr", "addrv2", "inv", "getdata", "notfound",
            "getblocks", "getheaders", "mempool", "block", "headers", "sendheaders", "getaddr", "ping", "pong", "merkleblock",
            "filterload", "filteradd", "filterclear", "tx", "getcfilters", "cfilter", "getcfheaders", "cfheaders", "getcfcheckpt",
            "cfcheckpt", "reject", "alert", "feefilter", "sendcmpct", "cmpctblock", "getblocktxn", "blocktxn", "wtxidrelay",
            "sendaddrv2", "sendtxrcncl");

    final AtomicInteger openConnections = new AtomicInteger();
    final AtomicInteger connectedPeers = new AtomicInteger();
    final AtomicLong connectionsAccepted = new AtomicLong();
    final AtomicLong handshakes = new AtomicLong();
    /** Handshakes done in BIP324 v2 (the rest were v1). */
    final AtomicLong v2Handshakes = new AtomicLong();
    final AtomicLong eventsPublished = new AtomicLong();
    /** Drops that made room for a newer connection (also counted by their reason). */
    final LongAdder evictions = new LongAdder();
    private final Map<String, LongAdder> messagesIn = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> messagesOut = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();

    void in(String command) {
        count(messagesIn, KNOWN_COMMANDS.contains(command) ? command : "other");
    }

    void out(String command) {
        count(messagesOut, command);
    }

    void drop(DropReason reason) {
        count(drops, reason.label());
    }

    private static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    Map<String, Long> messagesIn() {
        return snapshot(messagesIn);
    }

    Map<String, Long> messagesOut() {
        return snapshot(messagesOut);
    }

    Map<String, Long> drops() {
        return snapshot(drops);
    }

    long drops(DropReason reason) {
        LongAdder a = drops.get(reason.label());
        return a == null ? 0 : a.sum();
    }

    long totalDrops() {
        return drops.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
