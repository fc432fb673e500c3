package org.peerobserver.event;

import java.util.HexFormat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.addrman.InsertNew;
import org.peerobserver.proto.ebpf.connection.InboundConnection;
import org.peerobserver.proto.ebpf.mempool.Added;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.validation.BlockConnected;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.log.LogDebugCategory;
import org.peerobserver.proto.log.log;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.rpc.NetTotals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte vectors built by hand from peer-observer's schema (field numbers, wire types, zigzag, fixed64),
 * one per extractor kind: they decode to the expected values and encode back to the same bytes,
 * in the field order prost writes. Every vector ends with Event.timestamp (field 10) = 1700000000000:
 * {@code 50 80d095ffbc31}. Hashes below are the bytes 00..1f.
 */
class WireVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String TIMESTAMP = "5080d095ffbc31";
    private static final ByteString HASH = ByteString.copyFrom(HEX.parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

    private static Event roundTrip(String hex) throws Exception {
        byte[] bytes = HEX.parseHex(hex);
        Event event = EventCodec.decode(bytes);
        assertEquals(1_700_000_000_000L, event.getTimestamp());
        assertArrayEquals(bytes, event.toByteArray(), "re-encoding must give the same bytes");
        return event;
    }

    @Test
    void ebpfMessagePing() throws Exception {
        // Event.1{ ebpf.1{ MessageEvent{ meta.1{peer_id=7 addr="1.2.3.4:8333" conn_type=1 command="ping"
        // inbound=true size=8} ping.2{ value fixed64 0x0102030405060708 } } } }
        Event e = roundTrip("0a2b" + "0a29" + "0a1c" + "0807" + "120c312e322e332e343a38333333" + "1801" + "220470696e67"
                + "2801" + "3008" + "1209" + "090807060504030201" + TIMESTAMP);
        MessageEvent m = e.getEbpfExtractor().getMessage();
        assertEquals(7, m.getMeta().getPeerId());
        assertEquals("1.2.3.4:8333", m.getMeta().getAddr());
        assertEquals(ConnType.Inbound, m.getMeta().getConnType());
        assertEquals("ping", m.getMeta().getCommand());
        assertTrue(m.getMeta().getInbound());
        assertEquals(8, m.getMeta().getSize());
        assertEquals(0x0102030405060708L, m.getPing().getValue());
        assertEquals(new EventKind("netmsg", "message.ping"), EventKind.of(e));
    }

    @Test
    void ebpfConnectionInbound() throws Exception {
        // ebpf.2 connection { inbound.3 { conn.1{peer_id=9 addr="[2001:db8::1]:8333" conn_type=1 network=2}
        // existing_connections=11 } }
        Event e = roundTrip("0a22" + "1220" + "1a1e" + "0a1a" + "0809" + "12125b323030313a6462383a3a315d3a38333333"
                + "1801" + "2002" + "100b" + TIMESTAMP);
        InboundConnection c = e.getEbpfExtractor().getConnection().getInbound();
        assertEquals(9, c.getConn().getPeerId());
        assertEquals("[2001:db8::1]:8333", c.getConn().getAddr());
        assertEquals(ConnType.Inbound, c.getConn().getConnType());
        assertEquals(2, c.getConn().getNetwork());
        assertEquals(11, c.getExistingConnections());
        assertEquals(new EventKind("netconn", "connection.inbound"), EventKind.of(e));
    }

    @Test
    void ebpfMempoolAdded() throws Exception {
        // ebpf.4 mempool { added.1 { txid=00..1f vsize=141 fee=2820 } }
        Event e = roundTrip("0a2c" + "222a" + "0a28" + "0a20" + HEX.formatHex(HASH.toByteArray()) + "108d01" + "188416"
                + TIMESTAMP);
        Added a = e.getEbpfExtractor().getMempool().getAdded();
        assertEquals(HASH, a.getTxid());
        assertEquals(141, a.getVsize());
        assertEquals(2820, a.getFee());
        assertEquals(new EventKind("mempool", "mempool.added"), EventKind.of(e));
    }

    @Test
    void ebpfValidationBlockConnected() throws Exception {
        // ebpf.5 validation { block_connected.1 { hash height=870000 transactions=3012 inputs=7555
        // sigops=12000 connection_time=180000000 ns } }
        Event e = roundTrip("0a38" + "2a36" + "0a34" + "0a20" + HEX.formatHex(HASH.toByteArray()) + "10f08c35" + "18c417"
                + "20833b" + "28e05d" + "3080aaea55" + TIMESTAMP);
        BlockConnected b = e.getEbpfExtractor().getValidation().getBlockConnected();
        assertEquals(HASH, b.getHash());
        assertEquals(870_000, b.getHeight());
        assertEquals(3012, b.getTransactions());
        assertEquals(7555, b.getInputs());
        assertEquals(12_000, b.getSigops());
        assertEquals(180_000_000L, b.getConnectionTime());
        assertEquals(new EventKind("validation", "validation.block_connected"), EventKind.of(e));
    }

    @Test
    void ebpfAddrmanNew() throws Exception {
        // ebpf.3 addrman { new.1 { inserted=true bucket=512 bucket_pos=17 addr addr_AS=64496 source source_AS=64497 } }
        Event e = roundTrip("0a38" + "1a36" + "0a34" + "0801" + "108004" + "1811" + "22113139382e35312e3130302e393a38333333" + "28f0f703" + "3210" + "3230332e302e3131332e373a38333333" + "38f1f703" + TIMESTAMP);
        InsertNew n = e.getEbpfExtractor().getAddrman().getNew();
        assertTrue(n.getInserted());
        assertEquals(512, n.getBucket());
        assertEquals(17, n.getBucketPos());
        assertEquals("198.51.100.9:8333", n.getAddr());
        assertEquals(64_496, n.getAddrAS());
        assertEquals("203.0.113.7:8333", n.getSource());
        assertEquals(64_497, n.getSourceAS());
        assertEquals(new EventKind("addrman", "addrman.new"), EventKind.of(e));
    }

    @Test
    void rpcNetTotalsAndUptime() throws Exception {
        // rpc.2 { net_totals.4 { received=123456789 sent=987654321 time_millis=1700000000123
        // upload_target.4{timeframe=0 target=500000000 reached=false historical=true left=0 time_left=0} } }
        Event e = roundTrip("1226" + "2224" + "08959aef3a" + "10b1d1f9d603" + "18fbd095ffbc31" + "2210" + "0800"
                + "1080cab5ee01" + "1800" + "2001" + "2800" + "3000" + TIMESTAMP);
        NetTotals t = e.getRpcExtractor().getNetTotals();
        assertEquals(123_456_789L, t.getTotalBytesReceived());
        assertEquals(987_654_321L, t.getTotalBytesSent());
        assertEquals(1_700_000_000_123L, t.getTimeMillis());
        assertEquals(500_000_000L, t.getUploadTarget().getTarget());
        assertTrue(t.getUploadTarget().getServeHistoricalBlocks());
        assertEquals(new EventKind("rpc", "rpc.net_totals"), EventKind.of(e));

        Event uptime = roundTrip("1204" + "1880a305" + TIMESTAMP);  // rpc.2 { uptime.3 = 86400 }
        assertEquals(86_400, uptime.getRpcExtractor().getUptime());
        assertEquals(new EventKind("rpc", "rpc.uptime"), EventKind.of(uptime));
    }

    @Test
    void p2pExtractor() throws Exception {
        // p2p.3 { feefilter_announcement.4 = sint64 1000 (zigzag 2000) }
        Event fee = roundTrip("1a03" + "20d00f" + TIMESTAMP);
        assertEquals(1000, fee.getP2PExtractor().getFeefilterAnnouncement());
        assertEquals(new EventKind("p2p-extractor", "p2p.feefilter_announcement"), EventKind.of(fee));
        // p2p.3 { ping_duration.1 { duration = 1500000 ns } }
        Event ping = roundTrip("1a06" + "0a04" + "08e0c65b" + TIMESTAMP);
        assertEquals(1_500_000, ping.getP2PExtractor().getPingDuration().getDuration());
    }

    @Test
    void logExtractorBlockConnected() throws Exception {
        // log.4 { log_timestamp=1700000000123456 us, category=26 VALIDATION,
        // block_connected_log.4 { block_hash="0000...e6f7" (display order hex) block_height=870000 } }
        String hash = "00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
        Event e = roundTrip("2253" + "08c0c480c1c1c48203" + "101a" + "2246" + "0a40"
                + HEX.formatHex(hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + "10f08c35" + TIMESTAMP);
        log l = e.getLogExtractor();
        assertEquals(1_700_000_000_123_456L, l.getLogTimestamp());
        assertEquals(LogDebugCategory.VALIDATION, l.getCategory());
        assertEquals(hash, l.getBlockConnectedLog().getBlockHash());
        assertEquals(870_000, l.getBlockConnectedLog().getBlockHeight());
        assertEquals(new EventKind("log-extractor", "log.block_connected_log"), EventKind.of(e));
    }

    @Test
    void unknownEnumNumbersDecodeAsUpstreamSendsThem() throws Exception {
        // upstream's own tests send conn_type = 5, which our closed enum lacks: still an event
        Event e = EventCodec.decode(HEX.parseHex("0a2b0a290a1c0807120c312e322e332e343a38333333" + "1805"
                + "220470696e67280130081209090807060504030201" + TIMESTAMP));
        assertEquals("ping", e.getEbpfExtractor().getMessage().getMeta().getCommand());
        assertEquals(ConnType.Unknown, e.getEbpfExtractor().getMessage().getMeta().getConnType());
    }
}
