package org.peerobserver.extractor.ebpf;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Metadata;
import org.peerobserver.proto.primitives.ConnType;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Captured payloads go through the P2P codec; what it refuses is still published, raw. */
class P2pPayloadsTest {

    private static MessageEvent.Builder event(String command, int size) {
        return MessageEvent.newBuilder().setMeta(Metadata.newBuilder().setPeerId(1).setAddr("1.2.3.4:8333")
                .setConnType(ConnType.Inbound).setCommand(command).setInbound(true).setSize(size));
    }

    @Test
    void decodedWhereTheCodecCanAndRawWhereItCannot() {
        byte[] nonce = { 1, 2, 3, 4, 5, 6, 7, 8 };
        MessageEvent ping = P2pPayloads.decode(event("ping", 8), "ping", nonce);
        assertEquals(0x0807060504030201L, ping.getPing().getValue());

        byte[] truncatedInv = { 2, 1, 0, 0, 0 };  // two items announced, one byte of them
        MessageEvent inv = P2pPayloads.decode(event("inv", 5), "inv", truncatedInv.clone());
        assertEquals("inv", inv.getUnknown().getCommand());
        assertEquals(ByteString.copyFrom(truncatedInv), inv.getUnknown().getPayload());
    }
}
