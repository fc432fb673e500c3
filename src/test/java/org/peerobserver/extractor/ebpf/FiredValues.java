package org.peerobserver.extractor.ebpf;


import com.google.protobuf.ByteString;
import org.peerobserver.proto.ebpf.addrman.AddrmanEvent;
import org.peerobserver.proto.ebpf.addrman.InsertNew;
import org.peerobserver.proto.ebpf.addrman.InsertTried;
import org.peerobserver.proto.ebpf.connection.ClosedConnection;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.connection.EvictedInboundConnection;
import org.peerobserver.proto.ebpf.connection.InboundConnection;
import org.peerobserver.proto.ebpf.connection.MisbehavingConnection;
import org.peerobserver.proto.ebpf.connection.OutboundConnection;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.mempool.Added;
import org.peerobserver.proto.ebpf.mempool.MempoolEvent;
import org.peerobserver.proto.ebpf.mempool.Rejected;
import org.peerobserver.proto.ebpf.mempool.Removed;
import org.peerobserver.proto.ebpf.mempool.Replaced;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.ebpf.validation.ValidationEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.Fibre;
import org.peerobserver.proto.ext.UdpBlockRaceTime;
import org.peerobserver.proto.ext.UdpBlockRaceWinner;
import org.peerobserver.proto.ext.UdpBlockReconstructed;
import org.peerobserver.proto.ext.UdpBlockReconstructionDetail;
import org.peerobserver.proto.ext.UdpBlockSendStart;
import org.peerobserver.proto.ext.UtxoCacheFlush;
import org.peerobserver.proto.primitives.ConnType;

/**
 * What the USDT test target fires as event {@code i} of each tracepoint (the formulas of
 * native-probe/testtarget/usdt-target.c), as the event the extractor must publish for it, with
 * upstream's truncations applied and timestamp 0.
 */
final class FiredValues {
    private static final String[] CONN_TYPES = {"inbound", "outbound-full-relay", "block-relay-only", "feeler", "manual", "addr-fetch"};
    /** Upstream's mapping of CONN_TYPES, feeler bug included. */
    private static final ConnType[] MAPPED = {ConnType.Inbound, ConnType.OutboundFullRelay, ConnType.BlockRelayOnly,
        ConnType.OutboundFullRelay, ConnType.Unknown, ConnType.Unknown};
    /** As fired: "getcfcheckpt" has 12 characters and arrives with 11. */
    private static final String[] COMMANDS = {"ping", "inv", "getcfcheckp", "sendtxrcncl"};
    private static final int[] MSG_SIZES = {8, 300, 5000, 70000};
    /** As fired: "sizelimit" arrives as "sizelimi". */
    private static final String[] REMOVAL_REASONS = {"sizelimi", "expiry", "reorg", "block", "conflict", "replaced"};
    private static final String[] MECHANISMS = {"FIBRE/UDP", "BIP152/CMPCTBLOCK"};

    private FiredValues() {
    }

    static String text(long seed, int len) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < len; k++) {
            s.append((char) ('a' + (seed + k) % 26));
        }
        return s.toString();
    }

    /** text() after the copy into a buffer of {@code buffer} bytes. */
    static String kept(String s, int buffer) {
        return s.length() < buffer ? s : s.substring(0, buffer - 1);
    }

    static ByteString hash(long seed) {
        byte[] h = new byte[32];
        for (int k = 0; k < 32; k++) {
            h[k] = (byte) (seed * 31 + k);
        }
        return ByteString.copyFrom(h);
    }

    private static String addr(long i) {
        return kept(text(i, i % 2 == 1 ? 70 : 21), Records.ADDR_LEN);
    }

    static Event expected(Tracepoint t, int i) {
        Event.Builder e = Event.newBuilder().setTimestamp(0);
        Connection conn = Connection.newBuilder().setPeerId(1000 + i).setAddr(addr(i)).setConnType(MAPPED[i % 6])
                .setNetwork(i % 7).build();
        long value = 1_700_000_000L + i;
        switch (t) {
            case NET_INBOUND_MESSAGE, NET_OUTBOUND_MESSAGE -> {
                int size = MSG_SIZES[i % 4];
                byte[] payload = new byte[size];
                for (int k = 0; k < size; k++) {
                    payload[k] = (byte) (i * 7 + k);
                }
                // the payload bytes are a pattern: the codec decodes some (ping), the rest arrive raw
                e.setEbpfExtractor(ebpf.newBuilder().setMessage(P2pPayloads.decode(MessageEvent.newBuilder()
                        .setMeta(Metadata.newBuilder().setPeerId(1000 + i).setAddr(addr(i)).setConnType(MAPPED[i % 6])
                                .setCommand(COMMANDS[i % 4]).setInbound(t == Tracepoint.NET_INBOUND_MESSAGE).setSize(size)),
                        COMMANDS[i % 4], payload)));
            }
            case NET_INBOUND_CONNECTION -> connection(e, ConnectionEvent.newBuilder().setInbound(
                    InboundConnection.newBuilder().setConn(conn).setExistingConnections(value)));
            case NET_OUTBOUND_CONNECTION -> connection(e, ConnectionEvent.newBuilder().setOutbound(
                    OutboundConnection.newBuilder().setConn(conn).setExistingConnections(value)));
            case NET_CLOSED_CONNECTION -> connection(e, ConnectionEvent.newBuilder().setClosed(
                    ClosedConnection.newBuilder().setConn(conn).setTimeEstablished(value)));
            case NET_EVICTED_INBOUND_CONNECTION -> connection(e, ConnectionEvent.newBuilder().setInboundEvicted(
                    EvictedInboundConnection.newBuilder().setConn(conn).setTimeEstablished(value)));
            case NET_MISBEHAVING_CONNECTION -> connection(e, ConnectionEvent.newBuilder().setMisbehaving(
                    MisbehavingConnection.newBuilder().setId(1000 + i)
                            .setMessage(kept(text(i + 1, i % 2 == 1 ? 140 : 30), Records.MISBEHAVING_LEN))));
            case VALIDATION_BLOCK_CONNECTED -> e.setEbpfExtractor(ebpf.newBuilder().setValidation(ValidationEvent.newBuilder()
                    .setBlockConnected(BlockConnected.newBuilder().setHash(hash(i)).setHeight(800_000 + i)
                            .setTransactions(2000 + i).setInputs(5000 + i).setSigops((1L << 40) + i)
                            .setConnectionTime(123_456_789L + i))));
            case MEMPOOL_ADDED -> mempool(e, MempoolEvent.newBuilder().setAdded(Added.newBuilder()
                    .setTxid(hash(i + 1)).setVsize(100 + i).setFee(1000L * i - 5)));
            case MEMPOOL_REMOVED -> mempool(e, MempoolEvent.newBuilder().setRemoved(Removed.newBuilder()
                    .setTxid(hash(i + 2)).setReason(REMOVAL_REASONS[i % 6]).setVsize(100 + i).setFee(1000L * i - 5)
                    .setEntryTime(value)));
            case MEMPOOL_REPLACED -> mempool(e, MempoolEvent.newBuilder().setReplaced(Replaced.newBuilder()
                    .setReplacedTxid(hash(i + 3)).setReplacedVsize(100 + i).setReplacedFee(1000L * i - 5)
                    .setReplacedEntryTime(value).setReplacementId(hash(i + 4)).setReplacementVsize(200 + i)
                    .setReplacementFee(2000L * i + 7).setReplacedByTransaction(i % 2 == 1)));
            case MEMPOOL_REJECTED -> mempool(e, MempoolEvent.newBuilder().setRejected(Rejected.newBuilder()
                    .setTxid(hash(i + 5)).setReason(kept(text(i + 2, i % 2 == 1 ? 120 : 40), Records.REJECTION_REASON_LEN))));
            case ADDRMAN_ATTEMPT_ADD -> e.setEbpfExtractor(ebpf.newBuilder().setAddrman(AddrmanEvent.newBuilder().setNew(
                    InsertNew.newBuilder().setInserted(i % 2 == 1).setBucket(i).setBucketPos(63 - i % 64).setAddr(addr(i))
                            .setAddrAS(64512 + i).setSource(text(i + 3, 25)).setSourceAS((int) (4_200_000_000L + i)))));
            case ADDRMAN_MOVE_TO_GOOD -> e.setEbpfExtractor(ebpf.newBuilder().setAddrman(AddrmanEvent.newBuilder().setTried(
                    InsertTried.newBuilder().setBucket(i).setBucketPos(63 - i % 64).setAddr(addr(i))
                            .setAddrAS(64512 + i).setSource(text(i + 3, 25)).setSourceAS((int) (4_200_000_000L + i)))));
            case UTXOCACHE_FLUSH -> e.setExtension(Extension.newBuilder().setUtxocacheFlush(UtxoCacheFlush.newBuilder()
                    .setDurationUs(500 + i).setMode(i % 4).setCoins(1_000_000_000L + i).setMemory((1L << 33) + i)
                    .setForPrune(i % 2 == 1)));
            case UDP_BLOCK_RACE_WINNER -> fibre(e, Fibre.newBuilder().setBlockRaceWinner(UdpBlockRaceWinner.newBuilder()
                    .setHash(hash(i + 6)).setHeight(800_000 + i).setMechanism(MECHANISMS[i % 2])
                    .setPeer(i % 3 != 0 ? addr(i) : "n/a")));
            case UDP_BLOCK_RACE_TIME -> fibre(e, Fibre.newBuilder().setBlockRaceTime(UdpBlockRaceTime.newBuilder()
                    .setHash(hash(i + 7)).setHeight(800_000 + i).setUdpNs(i % 2 == 1 ? -1 : 1_000_000 + i)
                    .setUdpPeer(text(i + 1, 20)).setCmpctNs(i % 2 == 1 ? 2_000_000 + i : -1)
                    .setCmpctPeer(kept(text(i + 2, i % 2 == 1 ? 70 : 21), Records.ADDR_LEN))));
            case UDP_BLOCK_RECONSTRUCTED -> fibre(e, Fibre.newBuilder().setBlockReconstructed(UdpBlockReconstructed.newBuilder()
                    .setHash(text(i, 64)).setSource(text(i + 3, 20)).setChunksUsed(10 + i).setChunksReceived(20 + i)
                    .setPeers(1 + i % 5).setDurationUs(3000 + i).setHeight(800_000 + i)));
            case UDP_BLOCK_RECONSTRUCTION_DETAIL -> fibre(e, Fibre.newBuilder().setBlockReconstructionDetail(
                    UdpBlockReconstructionDetail.newBuilder().setHash(text(i + 1, 64)).setHeight(800_000 + i)
                            .setMissingTxCount(i).setMissingTxBytes((1L << 32) + i).setMempoolTxCount(100 + i)
                            .setTotalTxCount(200 + i).setAllTxFromMempool(i % 2 == 1)));
            case UDP_BLOCK_SEND_START -> fibre(e, Fibre.newBuilder().setBlockSendStart(UdpBlockSendStart.getDefaultInstance()));
        }
        return e.build();
    }

    private static void connection(Event.Builder e, ConnectionEvent.Builder c) {
        e.setEbpfExtractor(ebpf.newBuilder().setConnection(c));
    }

    private static void mempool(Event.Builder e, MempoolEvent.Builder m) {
        e.setEbpfExtractor(ebpf.newBuilder().setMempool(m));
    }

    private static void fibre(Event.Builder e, Fibre.Builder f) {
        e.setExtension(Extension.newBuilder().setFibre(f));
    }
}
