package org.peerobserver.tool.fibre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.CompactBlock;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.ebpf.message.Unknown;
import org.peerobserver.proto.primitives.BlockHeader;
import org.peerobserver.proto.primitives.ConnType;

/** Block hashes from decoded and from raw payloads, checked against the genesis block. */
class BlockSightingsTest {
    /** Bitcoin's genesis block header and its hash (display order). */
    static final String GENESIS_HEADER = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd"
            + "7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
    static final String GENESIS_HASH = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
    private static final HexFormat HEX = HexFormat.of();

    static MessageEvent raw(String command, String payloadHex) {
        byte[] payload = HEX.parseHex(payloadHex);
        return MessageEvent.newBuilder().setMeta(Metadata.newBuilder().setPeerId(1).setAddr("10.0.0.1:8333")
                .setConnType(ConnType.OutboundFullRelay).setCommand(command).setInbound(true).setSize(payload.length))
                .setUnknown(Unknown.newBuilder().setCommand(command).setPayload(ByteString.copyFrom(payload))).build();
    }

    static String internal(String displayHash) {
        byte[] b = HEX.parseHex(displayHash);
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return HEX.formatHex(r);
    }

    private static List<String> hashes(MessageEvent m) {
        return BlockSightings.hashes(m, BlockSightings.mechanism(m.getMeta().getCommand()));
    }

    @Test
    void rawCmpctblockAndBlockAreHashedFromTheirHeader() {
        // a cmpctblock goes on after the header (nonce, short ids); only the first 80 bytes count
        assertEquals(List.of(GENESIS_HASH), hashes(raw("cmpctblock", GENESIS_HEADER + "0102030405060708" + "00" + "00")));
        assertEquals(List.of(GENESIS_HASH), hashes(raw("block", GENESIS_HEADER + "00")));
    }

    @Test
    void rawHeadersAnnouncementButNotAChainDownload() {
        assertEquals(List.of(GENESIS_HASH, GENESIS_HASH), hashes(raw("headers", "02" + GENESIS_HEADER + "00" + GENESIS_HEADER + "00")));
        assertEquals(List.of(), hashes(raw("headers", "09" + (GENESIS_HEADER + "00").repeat(9))));
    }

    @Test
    void rawInvKeepsOnlyBlockEntries() {
        String tx = "01000000" + "11".repeat(32);
        String block = "02000000" + internal(GENESIS_HASH);
        String witnessBlock = "02000040" + "22".repeat(32);
        assertEquals(List.of(GENESIS_HASH, "22".repeat(32)), hashes(raw("inv", "03" + tx + block + witnessBlock)));
    }

    @Test
    void decodedPayloadsUseTheirHeaderHash() {
        BlockHeader header = BlockHeader.newBuilder().setVersion(1).setPrevBlockhash(ByteString.copyFrom(new byte[32]))
                .setMerkleRoot(ByteString.copyFrom(new byte[32])).setTime(0).setBits(0).setNonce(0)
                .setHash(ByteString.copyFrom(HEX.parseHex(internal(GENESIS_HASH)))).build();
        MessageEvent m = raw("cmpctblock", "").toBuilder()
                .setCompactblock(CompactBlock.newBuilder().setHeader(header).setNonce(7)).build();
        assertEquals(List.of(GENESIS_HASH), hashes(m));
    }

    @Test
    void truncatedPayloadIsRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hashes(raw("cmpctblock", GENESIS_HEADER.substring(0, 100))));
        assertEquals("cmpctblock payload ends early", e.getMessage());
    }
}
