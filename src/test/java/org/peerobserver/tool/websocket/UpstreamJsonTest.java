package org.peerobserver.tool.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.connection.InboundConnection;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.AddrV2;
import org.peerobserver.proto.ebpf.message.Inv;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Tx;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.BlockRace;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.proto.primitives.Transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames as upstream's pages read them (upstream tools/websocket/www/js/lib.js and the pages' handlers). */
class UpstreamJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Metadata.Builder meta(String command, boolean inbound) {
        return Metadata.newBuilder().setPeerId(-1L).setAddr("162.218.65.9:8333").setConnType(ConnType.Inbound)
                .setCommand(command).setInbound(inbound).setSize(61);
    }

    private static JsonNode frame(ebpf.Builder ebpf) throws Exception {
        Event event = Event.newBuilder().setTimestamp(1).setEbpfExtractor(ebpf).build();
        assertTrue(UpstreamJson.has(event));
        return JSON.readTree(UpstreamJson.of(event));
    }

    @Test
    void aMessageIsTheOneofMemberByItsRustName() throws Exception {
        JsonNode frame = frame(ebpf.newBuilder().setMessage(MessageEvent.newBuilder().setMeta(meta("addrv2", true))
                .setAddrv2(AddrV2.newBuilder().addAddresses(Address.newBuilder().setTimestamp(7).setTorv3("abc").setServices(9).setPort(8333)))));
        assertEquals(1, frame.size(), frame.toString());
        JsonNode message = frame.at("/EbpfExtractor/ebpf_event/Message");
        JsonNode meta = message.get("meta");
        // 64-bit integers are numbers (here the largest u64), enums their numbers
        assertEquals("18446744073709551615", meta.get("peer_id").asText());
        assertTrue(meta.get("peer_id").isBigInteger() || meta.get("peer_id").isIntegralNumber());
        assertEquals(ConnType.Inbound.getNumber(), meta.get("conn_type").asInt());
        assertTrue(meta.get("conn_type").isInt());
        assertTrue(meta.get("inbound").asBoolean());
        JsonNode address = message.at("/msg/Addrv2/addresses/0");
        assertEquals("abc", address.at("/address/Torv3").asText());
        assertEquals(8333, address.get("port").asInt());
        assertEquals(1, address.get("address").size());
    }

    @Test
    void bytesAreArraysOfNumbers() throws Exception {
        JsonNode frame = frame(ebpf.newBuilder().setMessage(MessageEvent.newBuilder().setMeta(meta("inv", false))
                .setInv(Inv.newBuilder().addItems(InventoryItem.newBuilder().setWtx(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff}))))));
        JsonNode wtx = frame.at("/EbpfExtractor/ebpf_event/Message/msg/Inv/items/0/item/Wtx");
        assertTrue(wtx.isArray(), frame.toString());
        assertEquals("[0,1,255]", wtx.toString());
    }

    @Test
    void aConnectionIsItsEventOneof() throws Exception {
        JsonNode frame = frame(ebpf.newBuilder().setConnection(ConnectionEvent.newBuilder().setInbound(InboundConnection.newBuilder()
                .setConn(Connection.newBuilder().setPeerId(3).setAddr("[2001:db8::7]:8333").setConnType(ConnType.Inbound).setNetwork(2))
                .setExistingConnections(11))));
        JsonNode inbound = frame.at("/EbpfExtractor/ebpf_event/Connection/event/Inbound");
        assertEquals(3, inbound.at("/conn/peer_id").asInt(), frame.toString());
        assertEquals("[2001:db8::7]:8333", inbound.at("/conn/addr").asText());
        assertEquals(11, inbound.get("existing_connections").asInt());
    }

    @Test
    void unsetOptionalFieldsAndOneofsAreNull() throws Exception {
        JsonNode frame = frame(ebpf.newBuilder().setMessage(MessageEvent.newBuilder().setMeta(meta("verack", true))));
        JsonNode message = frame.at("/EbpfExtractor/ebpf_event/Message");
        assertTrue(message.has("msg") && message.get("msg").isNull(), frame.toString());

        JsonNode tx = frame(ebpf.newBuilder().setMessage(MessageEvent.newBuilder().setMeta(meta("tx", true))
                .setTx(Tx.newBuilder().setTx(Transaction.newBuilder().setTxid(ByteString.copyFrom(new byte[] {5}))
                        .setWtxid(ByteString.copyFrom(new byte[] {6}))))))
                .at("/EbpfExtractor/ebpf_event/Message/msg/Tx/tx");
        assertEquals("[5]", tx.get("txid").toString());
        assertTrue(tx.has("raw") && tx.get("raw").isNull(), tx.toString());
    }

    @Test
    void ourOwnEventsAreNotUpstreams() {
        Event race = Event.newBuilder().setTimestamp(1).setExtension(Extension.newBuilder()
                .setRace(BlockRace.newBuilder().setBlockHash("00").setWinner("cmpctblock").setTie(false).setFirstSeen(1))).build();
        assertFalse(UpstreamJson.has(race));
        assertFalse(UpstreamJson.has(Event.newBuilder().setTimestamp(1).build()));
    }

    @Test
    void oneofMembersAreNamedAsProstNamesThem() {
        assertEquals("EbpfExtractor", UpstreamJson.upperCamel("ebpf_extractor"));
        assertEquals("PeerInfos", UpstreamJson.upperCamel("peer_infos"));
        assertEquals("Addrv2", UpstreamJson.upperCamel("addrv2"));
        assertEquals("Getdata", UpstreamJson.upperCamel("getdata"));
    }
}
