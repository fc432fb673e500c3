package org.peerobserver.tool.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

import org.peerobserver.support.HostPort;
import org.peerobserver.support.prometheus.Metric;
import org.peerobserver.support.prometheus.TextRegistry;
import org.peerobserver.bitcoin.IpLists;
import org.peerobserver.bitcoin.Addresses;
import org.peerobserver.proto.ebpf.addrman.AddrmanEvent;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.mempool.MempoolEvent;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.log.log;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.proto.rpc.MemoryInfo;
import org.peerobserver.proto.rpc.MempoolInfo;
import org.peerobserver.proto.rpc.rpc;

/**
 * Every family of upstream's metrics tool, updated from the same events the same way
 * (reference: peer-observer-metrics.md §3). Callers serialize access.
 */
final class UpstreamMetrics {
    static final double[] ADDR_COUNT = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 50, 75, 100, 150, 200, 250,
        300, 400, 500, 600, 700, 800, 900, 999, 1000};
    static final double[] INV_SIZE = concat(ADDR_COUNT, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000,
            20000, 25000, 30000, 35000, 40000, 45000, 50000);
    static final double[] SERVICE_BITS = new double[64];
    static final double[] TIMESTAMP_OFFSET = new double[26];

    static {
        for (int i = 0; i < 64; i++) {
            SERVICE_BITS[i] = i;
        }
        for (int i = 1; i < 26; i++) {
            TIMESTAMP_OFFSET[i] = 1L << (i - 1);
        }
    }

    private static final String[] SMALL_NUMBERS = IntStream.range(0, 16).mapToObj(Integer::toString).toArray(String[]::new);
    private static final Set<String> MUTATED_BLOCK_STATES = Set.of("bad-txnmrklroot", "bad-txns-duplicate",
            "bad-witness-nonce-size", "bad-witness-merkle-match", "unexpected-witness");
    private static final String[] REJECT_REASONS = {"Malformed", "Invalid", "Obsolete", "Duplicate", "NonStandard",
        "Dust", "Fee", "Checkpoint"};

    private final TextRegistry r;
    private final IpLists lists;

    // P2P messages (netmsg)
    private final Metric messageCount;
    private final Metric messageBytes;
    private final Metric messageCountLinkingLion;
    private final Metric messageBytesLinkingLion;
    private final AddrFamilies addr;
    private final AddrFamilies addrv2;
    private final Metric selfAnnouncements;
    private final Metric subnetAnnouncements;
    private final Metric addrv2Empty;
    private final Metric pingInboundValue;
    private final Metric oldpingSubnet;
    private final Metric versionUseragent;
    private final Metric feefilterFeerate;
    private final Metric rejectMessage;
    private final Metric invEntries;
    private final Metric invEntriesHistogram;
    private final Metric invsHomogeneous;
    private final Metric invsHeterogeneous;
    private final Metric invsOutboundLarge;
    // connections (netconn)
    private final Metric connInbound;
    private final Metric connInboundNetwork;
    private final Metric connInboundBanlistMonero;
    private final Metric connInboundBanlistGmax;
    private final Metric connInboundListLinkingLion;
    private final Metric connInboundTorExit;
    private final Metric connInboundCurrent;
    private final Metric connOutbound;
    private final Metric connOutboundCurrent;
    private final Metric connOutboundNetwork;
    private final Metric connClosed;
    private final Metric connClosedAge;
    private final Metric connClosedNetwork;
    private final Metric connEvictedInbound;
    private final Metric connMisbehaving;
    private final Metric connMisbehavingReason;
    // addrman, mempool, validation
    private final Metric addrmanNewInsert;
    private final Metric addrmanTriedInsert;
    private final Metric mempoolAdded;
    private final Metric mempoolAddedVbytes;
    private final Metric mempoolReplaced;
    private final Metric mempoolReplacedVbytes;
    private final Metric mempoolRejected;
    private final Metric mempoolRemoved;
    private final Metric blockLatestHeight;
    private final Metric blockLatestConnectionTime;
    private final Metric blockConnectionTime;
    private final Metric blockLatestSigops;
    private final Metric blockLatestInputs;
    private final Metric blockLatestTransactions;
    // rpc
    private final Map<Metric, ToDoubleFunction<MempoolInfo>> mempoolInfo = new HashMap<>();
    private final Map<Metric, ToDoubleFunction<MemoryInfo>> memoryInfo = new HashMap<>();
    private final Metric uptime;
    private final Metric netBytesReceived;
    private final Metric netBytesSent;
    private final Metric addrmanInfo;
    private final PeerInfoMetrics peerInfo;
    // p2p-extractor
    private final Metric pingDuration;
    private final Metric addrv2relayMessages;
    private final Metric addrv2relaySmall;
    private final Metric addrv2relaySize;
    private final Metric addrv2relayAddresses;
    private final Metric invsMessages;
    private final Metric invsSize;
    private final Metric invsItems;
    private final Metric feefilterMessages;
    private final Metric feefilterLast;
    // log-extractor
    private final Metric logEvents;
    private final Metric logBlockConnected;
    private final Metric logBlockChecked;
    private final Metric logMutatedBlocks;

    /** A registry for these families: upstream's names with their {@code peerobserver_} prefix. */
    static TextRegistry registry(boolean nodeLabel, int maxSeriesPerFamily, int maxNodes) {
        return new TextRegistry("peerobserver_", nodeLabel, maxSeriesPerFamily, maxNodes);
    }

    UpstreamMetrics(TextRegistry r, IpLists lists) {
        this.r = r;
        this.lists = lists;
        r.toolGauge("runtime_start_timestamp", "Unix time in seconds at which the metrics tool started")
                .set(null, System.currentTimeMillis() / 1000);

        messageCount = r.counter("p2p_message_count", "P2P messages", "message", "connection_type", "direction");
        messageBytes = r.counter("p2p_message_bytes", "P2P message payload bytes", "message", "connection_type",
                "direction");
        messageCountLinkingLion = r.counter("p2p_message_count_linkinglion", "P2P messages with LinkingLion peers",
                "message", "direction");
        messageBytesLinkingLion = r.counter("p2p_message_bytes_linkinglion",
                "P2P message payload bytes with LinkingLion peers", "message", "direction");
        addr = new AddrFamilies("p2p_addr");
        addrv2 = new AddrFamilies("p2p_addrv2");
        selfAnnouncements = r.counter("p2p_address_selfannouncements", "addr(v2) entries announcing the sending peer",
                "network", "direction");
        subnetAnnouncements = r.counter("p2p_address_subnetannouncements",
                "addr(v2) entries in the sending peer's /24 or /64", "network", "direction");
        addrv2Empty = r.counter("p2p_addrv2_empty", "addrv2 messages without payload, by peer", "direction", "addr");
        pingInboundValue = r.counter("p2p_ping_inbound_value", "Inbound pings by nonce range", "value");
        oldpingSubnet = r.counter("p2p_oldping_subnet", "Inbound pings without nonce, by peer subnet", "subnet");
        versionUseragent = r.counter("p2p_version_useragent", "Inbound version messages by user agent", "useragent");
        feefilterFeerate = r.counter("p2p_feefilter_feerate", "feefilter messages by fee rate (sat/kvB)", "direction",
                "feerate");
        rejectMessage = r.counter("p2p_reject_message", "Inbound reject messages", "rejectcommand", "rejectreason");
        invEntries = r.counter("p2p_inv_entries", "inv entries by type", "direction", "inv_type");
        invEntriesHistogram = r.histogram("p2p_inv_entries_histogram", "Entries per inv message", INV_SIZE,
                "direction");
        invsHomogeneous = r.counter("p2p_invs_homogeneous", "inv messages whose entries share one type", "direction");
        invsHeterogeneous = r.counter("p2p_invs_heterogeneous", "inv messages with mixed or no entries", "direction");
        invsOutboundLarge = r.counter("p2p_invs_outbound_large", "Outbound inv messages with over 35 tx or wtx entries");

        connInbound = r.counter("conn_inbound", "Inbound connections");
        connInboundNetwork = r.counter("conn_inbound_network", "Inbound connections by network", "network");
        connInboundBanlistMonero = r.counter("conn_inbound_banlist_monero", "Inbound connections from the Monero ban list");
        connInboundBanlistGmax = r.counter("conn_inbound_banlist_gmax", "Inbound connections from gmax's ban list");
        connInboundListLinkingLion = r.counter("conn_inbound_list_linkinglion", "Inbound connections from LinkingLion");
        connInboundTorExit = r.counter("conn_inbound_tor_exit", "Inbound connections from Tor exit nodes");
        connInboundCurrent = r.gauge("conn_inbound_current", "Inbound connections at the last inbound connection");
        connOutbound = r.counter("conn_outbound", "Outbound connections");
        connOutboundCurrent = r.gauge("conn_outbound_current", "Outbound connections at the last outbound connection");
        connOutboundNetwork = r.counter("conn_outbound_network", "Outbound connections by network", "network");
        connClosed = r.counter("conn_closed", "Closed connections");
        connClosedAge = r.counter("conn_closed_age", "Summed age of closed connections in seconds");
        connClosedNetwork = r.counter("conn_closed_network", "Closed connections by network", "network");
        connEvictedInbound = r.counter("conn_evicted_inbound", "Evicted inbound connections");
        connMisbehaving = r.counter("conn_misbehaving", "Misbehaving peers by id and message", "id",
                "misbehavingmessage");
        connMisbehavingReason = r.counter("conn_misbehaving_reason", "Misbehaviour by message", "misbehavingmessage");

        addrmanNewInsert = r.counter("addrman_new_insert", "Insertions into addrman's new table", "inserted");
        addrmanTriedInsert = r.counter("addrman_tried_insert", "Moves into addrman's tried table");
        mempoolAdded = r.counter("mempool_added", "Transactions added to the mempool");
        mempoolAddedVbytes = r.counter("mempool_added_vbytes", "vbytes added to the mempool");
        mempoolReplaced = r.counter("mempool_replaced", "Transactions replaced in the mempool");
        mempoolReplacedVbytes = r.counter("mempool_replaced_vbytes", "vbytes of replaced transactions");
        mempoolRejected = r.counter("mempool_rejected", "Transactions rejected from the mempool", "reason");
        mempoolRemoved = r.counter("mempool_removed", "Transactions removed from the mempool", "reason");
        blockLatestHeight = r.gauge("validation_block_connected_latest_height", "Height of the last connected block");
        blockLatestConnectionTime = r.gauge("validation_block_connected_latest_connection_time",
                "Time to connect the last block in microseconds");
        blockConnectionTime = r.counter("validation_block_connected_connection_time",
                "Summed block connection time in microseconds");
        blockLatestSigops = r.gauge("validation_block_connected_latest_sigops", "Sigops of the last connected block");
        blockLatestInputs = r.gauge("validation_block_connected_latest_inputs", "Inputs of the last connected block");
        blockLatestTransactions = r.gauge("validation_block_connected_latest_transactions",
                "Transactions of the last connected block");

        mempoolInfo("mempool_loaded", "1 once the mempool is loaded", m -> m.getLoaded() ? 1 : 0);
        mempoolInfo("transaction_count", "Mempool transactions", MempoolInfo::getSize);
        mempoolInfo("transaction_fees", "Mempool fees in BTC", MempoolInfo::getTotalFee);
        mempoolInfo("transaction_vbyte", "Mempool size in vbytes", MempoolInfo::getBytes);
        mempoolInfo("memory_usage", "Mempool memory use in bytes", MempoolInfo::getUsage);
        mempoolInfo("memory_max", "Mempool memory limit in bytes", MempoolInfo::getMaxMempool);
        mempoolInfo("min_mempool_feerate", "Minimum mempool fee rate in BTC/kvB", MempoolInfo::getMempoolminfee);
        mempoolInfo("min_relay_tx_feerate", "Minimum relay fee rate in BTC/kvB", MempoolInfo::getMinrelaytxfee);
        mempoolInfo("incremental_relay_feerate", "Incremental relay fee rate in BTC/kvB",
                MempoolInfo::getIncrementalrelayfee);
        uptime = r.gauge("rpc_uptime", "Node uptime in seconds");
        netBytesReceived = r.gauge("rpc_nettotals_total_bytes_received", "Bytes the node received");
        netBytesSent = r.gauge("rpc_nettotals_total_bytes_sent", "Bytes the node sent");
        memoryInfo("used", "Locked memory in use (bytes)", m -> unsigned(m.getUsed()));
        memoryInfo("free", "Locked memory free (bytes)", m -> unsigned(m.getFree()));
        memoryInfo("total", "Locked memory total (bytes)", m -> unsigned(m.getTotal()));
        memoryInfo("locked", "Memory actually locked (bytes)", m -> unsigned(m.getLocked()));
        memoryInfo("chunks_used", "Locked memory chunks in use", m -> unsigned(m.getChunksUsed()));
        memoryInfo("chunks_free", "Locked memory chunks free", m -> unsigned(m.getChunksFree()));
        addrmanInfo = r.gauge("rpc_addrmaninfo", "addrman entries by network and table", "network", "table");
        peerInfo = new PeerInfoMetrics(r, lists);

        pingDuration = r.gauge("p2pextractor_ping_duration_nanoseconds", "Last ping round trip in nanoseconds");
        addrv2relayMessages = r.counter("p2pextractor_addrv2relay_messages", "addrv2 messages relayed to us");
        addrv2relaySmall = r.counter("p2pextractor_addrv2relay_messages_10_or_less_entries",
                "addrv2 messages relayed to us with at most 10 entries");
        addrv2relaySize = r.gauge("p2pextractor_addrv2relay_size", "Entries of the last relayed addrv2 message");
        addrv2relayAddresses = r.counter("p2pextractor_addrv2relay_addresses", "Relayed addrv2 entries by network",
                "network");
        invsMessages = r.counter("p2pextractor_invs_messages", "inv messages announced to us");
        invsSize = r.gauge("p2pextractor_invs_size", "Entries of the last announced inv message");
        invsItems = r.counter("p2pextractor_invs_items", "Announced inv entries by type", "inv_type");
        feefilterMessages = r.counter("p2pextractor_feefilter_messages", "feefilter messages sent to us");
        feefilterLast = r.gauge("p2pextractor_feefilter_last", "Last fee rate sent to us (sat/kvB)");

        logEvents = r.counter("log_events", "debug.log lines by category", "category");
        logBlockConnected = r.counter("log_block_connected_events", "Block connected log lines");
        logBlockChecked = r.counter("log_block_checked_events", "Block checked log lines");
        logMutatedBlocks = r.counter("log_mutated_blocks", "Block checked log lines of mutated blocks", "status");
    }

    private void mempoolInfo(String name, String help, ToDoubleFunction<MempoolInfo> value) {
        mempoolInfo.put(r.gauge("rpc_mempoolinfo_" + name, help), value);
    }

    private void memoryInfo(String name, String help, ToDoubleFunction<MemoryInfo> value) {
        memoryInfo.put(r.gauge("rpc_memoryinfo_locked_" + name, help), value);
    }

    /** Updates the families for one event from {@code node} (its raw name; may be null). */
    void record(Event event, String node) {
        String n = r.node(node);
        long seconds = Long.divideUnsigned(event.getTimestamp(), 1000);
        switch (event.getPeerObserverEventCase()) {
            case EBPF_EXTRACTOR -> ebpf(event.getEbpfExtractor(), n, seconds);
            case RPC_EXTRACTOR -> rpc(event.getRpcExtractor(), n);
            case P2P_EXTRACTOR -> p2p(event.getP2PExtractor(), n);
            case LOG_EXTRACTOR -> log(event.getLogExtractor(), n);
            default -> { } // our own extension events have no upstream metrics
        }
    }

    private void ebpf(ebpf e, String n, long seconds) {
        switch (e.getEbpfEventCase()) {
            case MESSAGE -> message(e.getMessage(), n, seconds);
            case CONNECTION -> connection(e.getConnection(), n, seconds);
            case ADDRMAN -> addrman(e.getAddrman(), n);
            case MEMPOOL -> mempool(e.getMempool(), n);
            case VALIDATION -> validation(e.getValidation().getBlockConnected(), n);
            default -> { }
        }
    }

    private void message(MessageEvent m, String n, long seconds) {
        Metadata meta = m.getMeta();
        String dir = meta.getInbound() ? "inbound" : "outbound";
        String command = meta.getCommand();
        String host = HostPort.host(meta.getAddr());
        boolean linkingLion = Addresses.isLinkingLion(host);
        double size = unsigned(meta.getSize());
        String connType = connType(meta);
        messageCount.inc(n, command, connType, dir);
        messageBytes.add(n, size, command, connType, dir);
        if (linkingLion) {
            messageCountLinkingLion.inc(n, command, dir);
            messageBytesLinkingLion.add(n, size, command, dir);
        }
        switch (m.getMsgCase()) {
            case ADDR -> addresses(addr, m.getAddr().getAddressesList(), n, dir, host, seconds);
            case ADDRV2 -> addresses(addrv2, m.getAddrv2().getAddressesList(), n, dir, host, seconds);
            case EMPTYADDRV2 -> addrv2Empty.inc(n, dir, host);
            case PING -> {
                if (meta.getInbound()) {
                    pingInboundValue.inc(n, nonceRange(m.getPing().getValue()));
                }
            }
            case OLDPING -> {
                if (meta.getInbound()) {
                    oldpingSubnet.inc(n, Addresses.subnet(host));
                }
            }
            case VERSION -> {
                if (meta.getInbound()) {
                    versionUseragent.inc(n, linkingLion ? "LinkingLion" : m.getVersion().getUserAgent());
                }
            }
            case FEEFILTER -> feefilterFeerate.inc(n, dir, Long.toString(m.getFeefilter().getFee()));
            case REJECT -> {
                if (meta.getInbound()) {
                    int reason = m.getReject().hasReason() ? m.getReject().getReason().getNumber() : -1;
                    rejectMessage.inc(n, m.getReject().getRejectedCommand(),
                            reason >= 0 && reason < REJECT_REASONS.length ? REJECT_REASONS[reason] : "unknown");
                }
            }
            case INV -> inv(m.getInv().getItemsList(), n, dir, meta.getInbound());
            default -> { }
        }
    }

    /** The decimal ConnType number, including numbers our closed enum does not know (kept as unknown fields). */
    private static String connType(Metadata meta) {
        if (meta.hasConnType()) {
            return decimal(meta.getConnType().getNumber());
        }
        List<Long> raw = meta.getUnknownFields().getField(Metadata.CONN_TYPE_FIELD_NUMBER).getVarintList();
        return raw.isEmpty() ? "0" : decimal(raw.get(raw.size() - 1).intValue());
    }

    /** Small numbers' strings are made once: a label value made anew for every message costs a hash each time. */
    private static String decimal(int n) {
        return n >= 0 && n < SMALL_NUMBERS.length ? SMALL_NUMBERS[n] : Integer.toString(n);
    }

    private static String nonceRange(long nonce) {
        if (nonce == 0) {
            return "0";
        } else if (Long.compareUnsigned(nonce, 0xffL) <= 0) {
            return "u8";
        } else if (Long.compareUnsigned(nonce, 0xffffL) <= 0) {
            return "u16";
        } else if (Long.compareUnsigned(nonce, 0xffffffffL) <= 0) {
            return "u32";
        }
        return "u64";
    }

    private void addresses(AddrFamilies f, List<Address> entries, String n, String dir, String host, long seconds) {
        f.addresses.observe(n, entries.size(), dir);
        f.timestampOffset.touch(n, dir, "past");
        f.timestampOffset.touch(n, dir, "future");
        String hostSubnet = Addresses.subnet(host);
        for (Address a : entries) {
            long offset = seconds - Integer.toUnsignedLong(a.getTimestamp());
            if (offset >= 0) {
                f.timestampOffset.observe(n, offset, dir, "past");
            } else {
                f.timestampOffset.observe(n, -offset, dir, "future");
            }
            long services = a.getServices();
            for (int bit = 0; bit < 64; bit++) {
                if ((services & (1L << bit)) != 0) {
                    f.servicesBits.observe(n, bit, dir);
                }
            }
            f.services.inc(n, dir, Long.toUnsignedString(services));
            String network = Addresses.network(a);
            String text = Addresses.text(a);
            if (text.equals(host)) {
                selfAnnouncements.inc(n, network, dir);
            } else if ((a.hasIpv4() || a.hasIpv6()) && Addresses.subnet(text).equals(hostSubnet)) {
                subnetAnnouncements.inc(n, network, dir);
            }
        }
    }

    private void inv(List<InventoryItem> items, String n, String dir, boolean inbound) {
        Map<String, Integer> perType = countTypes(items);
        perType.forEach((type, count) -> invEntries.add(n, count, dir, type));
        invEntriesHistogram.observe(n, items.size(), dir);
        (perType.size() == 1 ? invsHomogeneous : invsHeterogeneous).inc(n, dir);
        if (!inbound && (perType.getOrDefault("Tx", 0) > 35 || perType.getOrDefault("WTx", 0) > 35)) {
            invsOutboundLarge.inc(n);
        }
    }

    private static Map<String, Integer> countTypes(List<InventoryItem> items) {
        Map<String, Integer> perType = new TreeMap<>();
        for (InventoryItem item : items) {
            perType.merge(invType(item), 1, Integer::sum);
        }
        return perType;
    }

    private static String invType(InventoryItem item) {
        return switch (item.getItemCase()) {
            case TRANSACTION -> "Tx";
            case BLOCK -> "Block";
            case WTX -> "WTx";
            case WITNESS_TRANSACTION -> "WitnessTx";
            case WITNESS_BLOCK -> "WitnessBlock";
            case COMPACT_BLOCK -> "CompactBlock";
            case UNKNOWN -> "Unknown";
            case ERROR -> "Error";
            default -> "None";
        };
    }

    private void connection(ConnectionEvent c, String n, long seconds) {
        switch (c.getEventCase()) {
            case INBOUND -> {
                Connection conn = c.getInbound().getConn();
                String host = HostPort.host(conn.getAddr());
                connInbound.inc(n);
                connInboundNetwork.inc(n, Integer.toUnsignedString(conn.getNetwork()));
                countIf(connInboundBanlistMonero, n, lists.moneroBan().contains(host));
                countIf(connInboundBanlistGmax, n, lists.gmaxBan().contains(host));
                countIf(connInboundListLinkingLion, n, Addresses.isLinkingLion(host));
                countIf(connInboundTorExit, n, lists.torExits().contains(host));
                connInboundCurrent.set(n, unsigned(c.getInbound().getExistingConnections()));
            }
            case OUTBOUND -> {
                connOutbound.inc(n);
                connOutboundNetwork.inc(n, Integer.toUnsignedString(c.getOutbound().getConn().getNetwork()));
                connOutboundCurrent.set(n, unsigned(c.getOutbound().getExistingConnections()));
            }
            case CLOSED -> {
                connClosed.inc(n);
                // a counter never goes down: an establishment time after the event (clock skew) adds nothing
                long established = c.getClosed().getTimeEstablished();
                connClosedAge.add(n, Long.compareUnsigned(established, seconds) > 0 ? 0 : unsigned(seconds - established));
                connClosedNetwork.inc(n, Integer.toUnsignedString(c.getClosed().getConn().getNetwork()));
            }
            case INBOUND_EVICTED -> connEvictedInbound.inc(n);
            case MISBEHAVING -> {
                String message = c.getMisbehaving().getMessage();
                connMisbehaving.inc(n, Long.toUnsignedString(c.getMisbehaving().getId()), message);
                connMisbehavingReason.inc(n, message);
            }
            default -> { }
        }
    }

    private static void countIf(Metric m, String n, boolean condition) {
        if (condition) {
            m.inc(n);
        }
    }

    private void addrman(AddrmanEvent a, String n) {
        switch (a.getEventCase()) {
            case NEW -> addrmanNewInsert.inc(n, Boolean.toString(a.getNew().getInserted()));
            case TRIED -> addrmanTriedInsert.inc(n);
            default -> { }
        }
    }

    private void mempool(MempoolEvent m, String n) {
        switch (m.getEventCase()) {
            case ADDED -> {
                mempoolAdded.inc(n);
                mempoolAddedVbytes.add(n, m.getAdded().getVsize());
            }
            case REPLACED -> {
                mempoolReplaced.inc(n);
                mempoolReplacedVbytes.add(n, m.getReplaced().getReplacedVsize());
            }
            case REJECTED -> mempoolRejected.inc(n, m.getRejected().getReason());
            case REMOVED -> mempoolRemoved.inc(n, m.getRemoved().getReason());
            default -> { }
        }
    }

    private void validation(BlockConnected b, String n) {
        long micros = Long.divideUnsigned(b.getConnectionTime(), 1000);
        blockLatestHeight.set(n, b.getHeight());
        blockLatestConnectionTime.set(n, micros);
        blockConnectionTime.add(n, micros);
        blockLatestSigops.set(n, b.getSigops());
        blockLatestInputs.set(n, b.getInputs());
        blockLatestTransactions.set(n, b.getTransactions());
    }

    private void rpc(rpc e, String n) {
        switch (e.getRpcEventCase()) {
            case PEER_INFOS -> peerInfo.record(e.getPeerInfos().getInfosList(), n);
            case MEMPOOL_INFO -> mempoolInfo.forEach((m, f) -> m.set(n, f.applyAsDouble(e.getMempoolInfo())));
            case UPTIME -> uptime.set(n, Integer.toUnsignedLong(e.getUptime()));
            case NET_TOTALS -> {
                netBytesReceived.set(n, unsigned(e.getNetTotals().getTotalBytesReceived()));
                netBytesSent.set(n, unsigned(e.getNetTotals().getTotalBytesSent()));
            }
            case MEMORY_INFO -> memoryInfo.forEach((m, f) -> m.set(n, f.applyAsDouble(e.getMemoryInfo())));
            case ADDRMAN_INFO -> e.getAddrmanInfo().getNetworksMap().forEach((network, info) -> {
                addrmanInfo.set(n, unsigned(info.getNew()), network, "new");
                addrmanInfo.set(n, unsigned(info.getTried()), network, "tried");
                addrmanInfo.set(n, unsigned(info.getTotal()), network, "total");
            });
            default -> { }
        }
    }

    private void p2p(p2p e, String n) {
        switch (e.getP2PEventCase()) {
            case PING_DURATION -> pingDuration.set(n, unsigned(e.getPingDuration().getDuration()));
            case ADDRESS_ANNOUNCEMENT -> {
                List<Address> entries = e.getAddressAnnouncement().getAddressesList();
                addrv2relayMessages.inc(n);
                countIf(addrv2relaySmall, n, entries.size() <= 10);
                addrv2relaySize.set(n, entries.size());
                Map<String, Integer> perNetwork = new TreeMap<>();
                entries.forEach(a -> perNetwork.merge(Addresses.network(a), 1, Integer::sum));
                perNetwork.forEach((network, count) -> addrv2relayAddresses.add(n, count, network));
            }
            case INVENTORY_ANNOUNCEMENT -> {
                List<InventoryItem> items = e.getInventoryAnnouncement().getInventoryList();
                invsMessages.inc(n);
                invsSize.set(n, items.size());
                countTypes(items).forEach((type, count) -> invsItems.add(n, count, type));
            }
            case FEEFILTER_ANNOUNCEMENT -> {
                feefilterMessages.inc(n);
                feefilterLast.set(n, e.getFeefilterAnnouncement());
            }
            default -> { }
        }
    }

    private void log(log e, String n) {
        logEvents.inc(n, e.hasCategory() ? e.getCategory().name().toLowerCase(Locale.ROOT) : "unknown");
        switch (e.getLogEventCase()) {
            case BLOCK_CONNECTED_LOG -> logBlockConnected.inc(n);
            case BLOCK_CHECKED_LOG -> {
                logBlockChecked.inc(n);
                String state = e.getBlockCheckedLog().getState();
                if (MUTATED_BLOCK_STATES.contains(state)) {
                    logMutatedBlocks.inc(n, state);
                }
            }
            default -> { }
        }
    }

    static double unsigned(long v) {
        return v >= 0 ? v : Math.scalb((double) (v >>> 1), 1);
    }

    private static double[] concat(double[] a, double... b) {
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The four families upstream has for each of addr and addrv2. */
    private final class AddrFamilies {
        final Metric addresses;
        final Metric timestampOffset;
        final Metric servicesBits;
        final Metric services;

        AddrFamilies(String prefix) {
            String what = prefix.substring("p2p_".length());
            addresses = r.histogram(prefix + "_addresses", "Entries per " + what + " message", ADDR_COUNT, "direction");
            timestampOffset = r.histogram(prefix + "_timestamp_offset_seconds",
                    "Distance of " + what + " entry timestamps from the event time in seconds", TIMESTAMP_OFFSET,
                    "direction", "timestamp_offset");
            servicesBits = r.histogram(prefix + "_services_bits", "Service bits set in " + what + " entries",
                    SERVICE_BITS, "direction");
            services = r.counter(prefix + "_services", what + " entries by service flags", "direction", "services");
        }
    }
}
