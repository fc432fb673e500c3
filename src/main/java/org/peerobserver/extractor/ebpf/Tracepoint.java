package org.peerobserver.extractor.ebpf;

/**
 * Every tracepoint the BPF object handles: its USDT provider and name, its program, and its group.
 * Declared in the order of {@code enum record_kind} in records.h: a record's kind is ordinal() + 1.
 */
enum Tracepoint {
    NET_INBOUND_MESSAGE("net", "inbound_message", Group.MESSAGES),
    NET_OUTBOUND_MESSAGE("net", "outbound_message", Group.MESSAGES),
    NET_INBOUND_CONNECTION("net", "inbound_connection", Group.CONNECTIONS),
    NET_OUTBOUND_CONNECTION("net", "outbound_connection", Group.CONNECTIONS),
    NET_CLOSED_CONNECTION("net", "closed_connection", Group.CONNECTIONS),
    NET_EVICTED_INBOUND_CONNECTION("net", "evicted_inbound_connection", Group.CONNECTIONS),
    NET_MISBEHAVING_CONNECTION("net", "misbehaving_connection", Group.CONNECTIONS),
    VALIDATION_BLOCK_CONNECTED("validation", "block_connected", Group.VALIDATION),
    MEMPOOL_ADDED("mempool", "added", Group.MEMPOOL),
    MEMPOOL_REMOVED("mempool", "removed", Group.MEMPOOL),
    MEMPOOL_REPLACED("mempool", "replaced", Group.MEMPOOL),
    MEMPOOL_REJECTED("mempool", "rejected", Group.MEMPOOL),
    ADDRMAN_ATTEMPT_ADD("addrman", "attempt_add", Group.ADDRMAN),
    ADDRMAN_MOVE_TO_GOOD("addrman", "move_to_good", Group.ADDRMAN),
    UTXOCACHE_FLUSH("utxocache", "flush", Group.UTXOCACHE),
    UDP_BLOCK_RACE_WINNER("udp", "block_race_winner", Group.FIBRE),
    UDP_BLOCK_RACE_TIME("udp", "block_race_time", Group.FIBRE),
    UDP_BLOCK_RECONSTRUCTED("udp", "block_reconstructed", Group.FIBRE),
    UDP_BLOCK_RECONSTRUCTION_DETAIL("udp", "block_reconstruction_detail", Group.FIBRE),
    UDP_BLOCK_SEND_START("udp", "block_send_start", Group.FIBRE);

    /** Tracepoints switched on and off together, like upstream's --no-*-tracepoints flags. */
    enum Group { MESSAGES, CONNECTIONS, VALIDATION, MEMPOOL, ADDRMAN, UTXOCACHE, FIBRE }

    final String provider;
    final String name;
    final Group group;

    Tracepoint(String provider, String name, Group group) {
        this.provider = provider;
        this.name = name;
        this.group = group;
    }

    /** The BPF program's name in probes.bpf.c. */
    String program() {
        return provider + "_" + name;
    }

    @Override
    public String toString() {
        return provider + ":" + name;
    }
}
