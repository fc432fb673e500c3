package org.peerobserver.extractor.ebpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.google.protobuf.ByteString;
import org.peerobserver.bitcoin.ConnTypes;
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

/**
 * Decodes the records of native-probe/include/records.h into events. Offsets and sizes mirror that
 * header (pinned there by static asserts); a record shorter than its layout is rejected, never read past.
 */
final class Records {
    static final int ADDR_LEN = 68;
    static final int CONN_TYPE_LEN = 20;
    static final int MSG_TYPE_LEN = 12;
    static final int MISBEHAVING_LEN = 128;
    static final int REMOVAL_REASON_LEN = 9;
    static final int REJECTION_REASON_LEN = 113;
    static final int HASH_LEN = 32;
    static final int FIBRE_MECHANISM_LEN = 32;
    static final int FIBRE_HASH_STR_LEN = 80;
    static final int MSG_PAYLOAD_OFFSET = 128;

    /** Ring buffer map names, in the order of {@code enum ring} (the drop counter slots). */
    static final String[] RINGS = {"rb_msg_small", "rb_msg_medium", "rb_msg_large", "rb_msg_huge", "rb_connection",
        "rb_mempool", "rb_validation", "rb_addrman", "rb_utxocache", "rb_fibre"};
    /** The extra drop slot after the rings: messages over 4 MiB, never captured. */
    static final String OVERSIZED = "oversized_messages";

    private Records() {
    }

    /** A record that does not match its layout. */
    static final class BadRecordException extends RuntimeException {
        BadRecordException(String message) {
            super(message, null, false, false);
        }
    }

    /** The tracepoint that wrote {@code record} (its first field), or null for an unknown kind. */
    static Tracepoint tracepoint(ByteBuffer record) {
        if (record.remaining() < 4) {
            throw new BadRecordException("record of " + record.remaining() + " bytes");
        }
        int kind = record.getInt(0);
        return kind >= 1 && kind <= TRACEPOINTS.length ? TRACEPOINTS[kind - 1] : null;
    }

    /** Made once: {@code values()} copies the array on every call, for every record. */
    private static final Tracepoint[] TRACEPOINTS = Tracepoint.values();

    /** The event for one record of {@code tracepoint}, with {@code timestamp} in ms. */
    static Event decode(Tracepoint tracepoint, ByteBuffer r, long timestamp) {
        r.order(ByteOrder.LITTLE_ENDIAN);
        Event.Builder event = Event.newBuilder().setTimestamp(timestamp);
        switch (tracepoint) {
            case NET_INBOUND_MESSAGE, NET_OUTBOUND_MESSAGE -> event.setEbpfExtractor(ebpf.newBuilder().setMessage(message(tracepoint, r)));
            case NET_INBOUND_CONNECTION -> connection(event, ConnectionEvent.newBuilder().setInbound(
                    InboundConnection.newBuilder().setConn(conn(r, 112)).setExistingConnections(r.getLong(16))));
            case NET_OUTBOUND_CONNECTION -> connection(event, ConnectionEvent.newBuilder().setOutbound(
                    OutboundConnection.newBuilder().setConn(conn(r, 112)).setExistingConnections(r.getLong(16))));
            case NET_CLOSED_CONNECTION -> connection(event, ConnectionEvent.newBuilder().setClosed(
                    ClosedConnection.newBuilder().setConn(conn(r, 112)).setTimeEstablished(r.getLong(16))));
            case NET_EVICTED_INBOUND_CONNECTION -> connection(event, ConnectionEvent.newBuilder().setInboundEvicted(
                    EvictedInboundConnection.newBuilder().setConn(conn(r, 112)).setTimeEstablished(r.getLong(16))));
            case NET_MISBEHAVING_CONNECTION -> {
                need(r, 144);
                connection(event, ConnectionEvent.newBuilder().setMisbehaving(MisbehavingConnection.newBuilder()
                        .setId(r.getLong(8)).setMessage(str(r, 16, MISBEHAVING_LEN))));
            }
            case VALIDATION_BLOCK_CONNECTED -> {
                need(r, 72);
                event.setEbpfExtractor(ebpf.newBuilder().setValidation(ValidationEvent.newBuilder().setBlockConnected(
                        BlockConnected.newBuilder().setHash(bytes(r, 40, HASH_LEN)).setHeight(r.getInt(4))
                                .setTransactions(r.getLong(8)).setInputs(r.getInt(16)).setSigops(r.getLong(24))
                                .setConnectionTime(r.getLong(32)))));
            }
            case MEMPOOL_ADDED -> {
                need(r, 48);
                mempool(event, MempoolEvent.newBuilder().setAdded(Added.newBuilder()
                        .setTxid(bytes(r, 16, HASH_LEN)).setVsize(r.getInt(4)).setFee(r.getLong(8))));
            }
            case MEMPOOL_REMOVED -> {
                need(r, 72);
                mempool(event, MempoolEvent.newBuilder().setRemoved(Removed.newBuilder()
                        .setTxid(bytes(r, 24, HASH_LEN)).setReason(str(r, 56, REMOVAL_REASON_LEN))
                        .setVsize(r.getInt(4)).setFee(r.getLong(8)).setEntryTime(r.getLong(16))));
            }
            case MEMPOOL_REPLACED -> {
                need(r, 104);
                mempool(event, MempoolEvent.newBuilder().setReplaced(Replaced.newBuilder()
                        .setReplacedTxid(bytes(r, 40, HASH_LEN)).setReplacedVsize(r.getInt(4))
                        .setReplacedFee(r.getLong(8)).setReplacedEntryTime(r.getLong(16))
                        .setReplacementId(bytes(r, 72, HASH_LEN)).setReplacementVsize(r.getInt(24))
                        .setReplacementFee(r.getLong(32)).setReplacedByTransaction(r.getInt(28) != 0)));
            }
            case MEMPOOL_REJECTED -> {
                need(r, 152);
                mempool(event, MempoolEvent.newBuilder().setRejected(Rejected.newBuilder()
                        .setTxid(bytes(r, 4, HASH_LEN)).setReason(str(r, 36, REJECTION_REASON_LEN))));
            }
            case ADDRMAN_ATTEMPT_ADD -> {
                need(r, 160);
                addrman(event, AddrmanEvent.newBuilder().setNew(InsertNew.newBuilder().setInserted(r.getInt(4) != 0)
                        .setBucket(r.getInt(8)).setBucketPos(r.getInt(12)).setAddr(str(r, 24, ADDR_LEN))
                        .setAddrAS(r.getInt(16)).setSource(str(r, 92, ADDR_LEN)).setSourceAS(r.getInt(20))));
            }
            case ADDRMAN_MOVE_TO_GOOD -> {
                need(r, 160);
                addrman(event, AddrmanEvent.newBuilder().setTried(InsertTried.newBuilder()
                        .setBucket(r.getInt(8)).setBucketPos(r.getInt(12)).setAddr(str(r, 24, ADDR_LEN))
                        .setAddrAS(r.getInt(16)).setSource(str(r, 92, ADDR_LEN)).setSourceAS(r.getInt(20))));
            }
            case UTXOCACHE_FLUSH -> {
                need(r, 40);
                event.setExtension(Extension.newBuilder().setUtxocacheFlush(UtxoCacheFlush.newBuilder()
                        .setDurationUs(r.getLong(8)).setMode(r.getInt(4)).setCoins(r.getLong(16))
                        .setMemory(r.getLong(24)).setForPrune(r.getInt(32) != 0)));
            }
            case UDP_BLOCK_RACE_WINNER -> {
                need(r, 140);
                fibre(event, Fibre.newBuilder().setBlockRaceWinner(UdpBlockRaceWinner.newBuilder()
                        .setHash(bytes(r, 8, HASH_LEN)).setHeight(r.getInt(4))
                        .setMechanism(str(r, 40, FIBRE_MECHANISM_LEN)).setPeer(str(r, 72, ADDR_LEN))));
            }
            case UDP_BLOCK_RACE_TIME -> {
                need(r, 192);
                fibre(event, Fibre.newBuilder().setBlockRaceTime(UdpBlockRaceTime.newBuilder()
                        .setHash(bytes(r, 24, HASH_LEN)).setHeight(r.getInt(4)).setUdpNs(r.getLong(8))
                        .setUdpPeer(str(r, 56, ADDR_LEN)).setCmpctNs(r.getLong(16)).setCmpctPeer(str(r, 124, ADDR_LEN))));
            }
            case UDP_BLOCK_RECONSTRUCTED -> {
                need(r, 176);
                fibre(event, Fibre.newBuilder().setBlockReconstructed(UdpBlockReconstructed.newBuilder()
                        .setHash(str(r, 28, FIBRE_HASH_STR_LEN)).setSource(str(r, 108, ADDR_LEN))
                        .setChunksUsed(r.getInt(4)).setChunksReceived(r.getInt(8)).setPeers(r.getInt(12))
                        .setDurationUs(r.getLong(16)).setHeight(r.getInt(24))));
            }
            case UDP_BLOCK_RECONSTRUCTION_DETAIL -> {
                need(r, 112);
                fibre(event, Fibre.newBuilder().setBlockReconstructionDetail(UdpBlockReconstructionDetail.newBuilder()
                        .setHash(str(r, 32, FIBRE_HASH_STR_LEN)).setHeight(r.getInt(4)).setMissingTxCount(r.getInt(8))
                        .setMissingTxBytes(r.getLong(16)).setMempoolTxCount(r.getInt(12))
                        .setTotalTxCount(r.getInt(24)).setAllTxFromMempool(r.getInt(28) != 0)));
            }
            case UDP_BLOCK_SEND_START -> fibre(event, Fibre.newBuilder().setBlockSendStart(UdpBlockSendStart.getDefaultInstance()));
        }
        return event.build();
    }

    private static MessageEvent message(Tracepoint tracepoint, ByteBuffer r) {
        need(r, MSG_PAYLOAD_OFFSET);
        long size = r.getLong(16);
        if (size < 0 || size > r.remaining() - MSG_PAYLOAD_OFFSET) {
            throw new BadRecordException("message record of " + r.remaining() + " bytes for a payload of " + size);
        }
        String command = str(r, 112, MSG_TYPE_LEN);
        Metadata meta = Metadata.newBuilder().setPeerId(r.getLong(8)).setAddr(str(r, 24, ADDR_LEN))
                .setConnType(ConnTypes.of(str(r, 92, CONN_TYPE_LEN))).setCommand(command)
                .setInbound(tracepoint == Tracepoint.NET_INBOUND_MESSAGE).setSize(size).build();
        byte[] payload = new byte[(int) size];
        r.get(MSG_PAYLOAD_OFFSET, payload);
        return P2pPayloads.decode(MessageEvent.newBuilder().setMeta(meta), command, payload);
    }

    private static Connection conn(ByteBuffer r, int recordSize) {
        need(r, recordSize);
        return Connection.newBuilder().setPeerId(r.getLong(8)).setAddr(str(r, 24, ADDR_LEN))
                .setConnType(ConnTypes.of(str(r, 92, CONN_TYPE_LEN))).setNetwork(r.getInt(4)).build();
    }

    private static void connection(Event.Builder event, ConnectionEvent.Builder c) {
        event.setEbpfExtractor(ebpf.newBuilder().setConnection(c));
    }

    private static void mempool(Event.Builder event, MempoolEvent.Builder m) {
        event.setEbpfExtractor(ebpf.newBuilder().setMempool(m));
    }

    private static void addrman(Event.Builder event, AddrmanEvent.Builder a) {
        event.setEbpfExtractor(ebpf.newBuilder().setAddrman(a));
    }

    private static void fibre(Event.Builder event, Fibre.Builder f) {
        event.setExtension(Extension.newBuilder().setFibre(f));
    }

    private static void need(ByteBuffer r, int size) {
        if (r.remaining() < size) {
            throw new BadRecordException("record kind " + r.getInt(0) + " of " + r.remaining() + " bytes, expected " + size);
        }
    }

    /**
     * The NUL-terminated string in {@code r[offset, offset + capacity)}. Addresses, connection types
     * and commands repeat from record to record, so recent strings are kept by content: a bounded table
     * of two-string sets, the one used less recently replaced on a miss, so two strings that land in the
     * same set do not push each other out on every record (each miss made a new string, whose hash the
     * next switch or map then computed again). A lost race between threads only costs a miss.
     */
    private static String str(ByteBuffer r, int offset, int capacity) {
        // read 8 bytes at a time (the record is little-endian: a word's first byte is its lowest), each word
        // masked after the NUL; nothing is copied out unless the string is new: copying every string out of the
        // direct buffer first was a fifth of the poll thread's CPU in a FIBRE flood
        int end = Math.min(offset + capacity, r.limit());
        long[] words = new long[(end - offset + 7) >>> 3];
        int length = end - offset;
        int hash = capacity;
        for (int i = 0, p = offset; p < end; i++, p += 8) {
            long w = p + 8 <= end ? r.getLong(p) : tail(r, p, end);
            long zeros = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (zeros != 0) {
                int n = Long.numberOfTrailingZeros(zeros) >>> 3;
                w &= (1L << 8 * n) - 1;
                length = p - offset + n;
            }
            words[i] = w;
            hash = 31 * hash + Long.hashCode(w);
            if (zeros != 0) {
                break;
            }
        }
        int count = Math.min((length + 8) >>> 3, words.length);   // through the word with the NUL, if any
        int set = (hash ^ hash >>> 16) & (STRING_SETS - 1);
        for (int way = 0; way < 2; way++) {
            Interned known = STRINGS[2 * set + way];
            if (known != null && Arrays.equals(known.words, 0, known.words.length, words, 0, count)) {
                RECENT_WAY[set] = (byte) way;
                return known.string;
            }
        }
        byte[] b = new byte[length];
        r.get(offset, b);
        String string = new String(b, StandardCharsets.UTF_8);
        int way = 1 - RECENT_WAY[set];
        STRINGS[2 * set + way] = new Interned(Arrays.copyOf(words, count), string);
        RECENT_WAY[set] = (byte) way;
        return string;
    }

    /** The last bytes of a field shorter than a word, as the low bytes of one. */
    private static long tail(ByteBuffer r, int from, int end) {
        long w = 0;
        for (int p = end - 1; p >= from; p--) {
            w = w << 8 | (r.get(p) & 0xffL);
        }
        return w;
    }

    private static final int STRING_SETS = 512;
    private static final Interned[] STRINGS = new Interned[2 * STRING_SETS];
    private static final byte[] RECENT_WAY = new byte[STRING_SETS];

    /** A string and its bytes up to its NUL, as the masked words {@link #str} compares. */
    private record Interned(long[] words, String string) {
    }

    private static ByteString bytes(ByteBuffer r, int offset, int length) {
        return ByteString.copyFrom(r.slice(offset, length));
    }
}
