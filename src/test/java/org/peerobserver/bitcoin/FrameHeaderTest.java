package org.peerobserver.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.peerobserver.bitcoin.Vectors.bytes;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.proto.primitives.UnknownAddress;

class FrameHeaderTest {

    @Test
    void magicsAndPorts() {
        assertEquals("f9beb4d9", String.format("%08x", BitcoinNetwork.MAINNET.magic()));
        assertEquals("0b110907", String.format("%08x", BitcoinNetwork.TESTNET.magic()));
        assertEquals("1c163f28", String.format("%08x", BitcoinNetwork.TESTNET4.magic()));
        assertEquals("0a03cf40", String.format("%08x", BitcoinNetwork.SIGNET.magic()));
        assertEquals("fabfb5da", String.format("%08x", BitcoinNetwork.REGTEST.magic()));
        assertEquals(18444, BitcoinNetwork.of("regtest").p2pPort());
        assertEquals(BitcoinNetwork.TESTNET, BitcoinNetwork.of("test"));
        assertEquals(BitcoinNetwork.MAINNET, BitcoinNetwork.of("main"));
        assertEquals(BitcoinNetwork.SIGNET, BitcoinNetwork.ofMagic(0x0a03cf40));
        assertThrows(IllegalArgumentException.class, () -> BitcoinNetwork.of("litecoin"));
    }

    @Test
    void aMainnetVerack() throws Exception {
        byte[] frame = bytes(Vectors.MAINNET_VERACK_FRAME);
        FrameHeader h = FrameHeader.parse(frame, 0, PayloadDecoder.MAX_PAYLOAD);
        assertEquals(BitcoinNetwork.MAINNET.magic(), h.magic());
        assertEquals("verack", h.command());
        assertEquals(0, h.length());
        h.verify(new byte[0], 0, 0);
        assertArrayEquals(frame, FrameHeader.frame(BitcoinNetwork.MAINNET, "verack", new byte[0]));
    }

    @Test
    void theGenesisBlockFramed() throws Exception {
        byte[] payload = bytes(Vectors.GENESIS_BLOCK);
        byte[] frame = FrameHeader.frame(BitcoinNetwork.MAINNET, "block", payload);
        FrameHeader h = FrameHeader.parse(frame, 0, PayloadDecoder.MAX_PAYLOAD);
        assertEquals(285, h.length());
        h.verify(frame, FrameHeader.SIZE, h.length());
        frame[FrameHeader.SIZE + 100] ^= 1;
        P2pCodecException e = assertThrows(P2pCodecException.class, () -> h.verify(frame, FrameHeader.SIZE, h.length()));
        assertEquals(P2pCodecException.Kind.BAD_CHECKSUM, e.kind());
    }

    @Test
    void oversizeIsRefusedFromTheHeaderAlone() {
        byte[] header = bytes("fabfb5da" + "626c6f636b0000000000000000" .substring(0, 24) + "01093d00" + "00000000");
        P2pCodecException e = assertThrows(P2pCodecException.class, () -> FrameHeader.parse(header, 0, PayloadDecoder.MAX_PAYLOAD));
        assertEquals(P2pCodecException.Kind.OVERSIZE, e.kind());
        byte[] max = bytes("fabfb5da" + "626c6f636b00000000000000" + "00093d00" + "00000000");
        assertThrows(P2pCodecException.class, () -> FrameHeader.parse(max, 0, 1000));
        byte[] huge = bytes("fabfb5da" + "626c6f636b00000000000000" + "ffffffff" + "00000000");
        assertEquals(P2pCodecException.Kind.OVERSIZE,
                assertThrows(P2pCodecException.class, () -> FrameHeader.parse(huge, 0, PayloadDecoder.MAX_PAYLOAD)).kind());
    }

    @Test
    void commandsMustBePrintableAndNulPadded() {
        for (String command : List.of("76657200616b000000000000", "0076657261636b0000000000", "76657261636b0a0000000000",
                "000000000000000000000000")) {
            byte[] header = bytes("fabfb5da" + command + "00000000" + "5df6e0e2");
            assertEquals(P2pCodecException.Kind.BAD_COMMAND,
                    assertThrows(P2pCodecException.class, () -> FrameHeader.parse(header, 0, PayloadDecoder.MAX_PAYLOAD)).kind());
        }
    }

    @Test
    void encodersRoundTrip() throws Exception {
        Address none = Address.newBuilder().setTimestamp(0).setServices(0).setIpv4("0.0.0.0").setPort(0).build();
        Version v = Version.newBuilder().setVersion(70016).setServices(9).setTimestamp(1_700_000_000L)
                .setReceiver(none.toBuilder().setIpv4("127.0.0.1").setPort(18444)).setSender(none).setNonce(-5)
                .setUserAgent("/peer-observer-camel:0.1.0/").setStartHeight(0).setRelay(true).build();
        assertEquals(v, PayloadDecoder.version(PayloadEncoder.version(v)));

        List<Address> addresses = List.of(
                Address.newBuilder().setTimestamp(1).setServices(1033).setIpv4("10.1.2.3").setPort(8333).build(),
                Address.newBuilder().setTimestamp(2).setServices(0).setIpv6("2001:db8::7").setPort(8333).build(),
                Address.newBuilder().setTimestamp(3).setServices(0).setTorv3("aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq.onion").setPort(8333).build(),
                Address.newBuilder().setTimestamp(4).setServices(0).setI2P("mrswmz3infvgw3dnnzxxa4lson2hk5txpb4xu634pv7h7aebqkbq.b32.i2p").setPort(0).build(),
                Address.newBuilder().setTimestamp(5).setServices(0).setCjdns("fc00::9").setPort(8333).build(),
                Address.newBuilder().setTimestamp(6).setServices(0).setTorv2("mtzcz5knzjmuclnx.onion").setPort(8333).build(),
                Address.newBuilder().setTimestamp(7).setServices(0).setUnknown(UnknownAddress.newBuilder().setId(99)
                        .setAddress(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2}))).setPort(1).build());
        assertEquals(addresses, PayloadDecoder.addrV2(PayloadEncoder.addrV2(addresses)));

        MessageEvent.Builder addr = MessageEvent.newBuilder();
        PayloadDecoder.decode("addr", PayloadEncoder.addr(addresses.subList(0, 2)), addr);
        assertEquals(addresses.subList(0, 2), addr.getAddr().getAddressesList());

        byte[] hash = new byte[32];
        hash[0] = 7;
        List<InventoryItem> inv = List.of(InventoryItem.newBuilder().setWtx(com.google.protobuf.ByteString.copyFrom(hash)).build(),
                InventoryItem.newBuilder().setBlock(com.google.protobuf.ByteString.copyFrom(hash)).build());
        assertEquals(inv, PayloadDecoder.inventory(PayloadEncoder.inventory(inv)));
        assertEquals(-3, PayloadDecoder.nonce(PayloadEncoder.nonce(-3)));
        assertEquals(1000, PayloadDecoder.feeFilter(PayloadEncoder.feeFilter(1000)));
    }
}
