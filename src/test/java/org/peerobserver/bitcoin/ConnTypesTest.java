package org.peerobserver.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.primitives.ConnType;

class ConnTypesTest {

    @Test
    void upstreamsMappingFeelerBugIncluded() {
        assertEquals(ConnType.Inbound, ConnTypes.of("inbound"));
        assertEquals(ConnType.OutboundFullRelay, ConnTypes.of("outbound-full-relay"));
        assertEquals(ConnType.BlockRelayOnly, ConnTypes.of("block-relay-only"));
        assertEquals(ConnType.OutboundFullRelay, ConnTypes.of("feeler"));
        assertEquals(ConnType.Unknown, ConnTypes.of("manual"));
        assertEquals(ConnType.Unknown, ConnTypes.of("addr-fetch"));
        assertEquals(ConnType.Unknown, ConnTypes.of(""));
        assertEquals(ConnType.Unknown, ConnTypes.of(null));
    }

    @Test
    void whatTheEbpfExtractorWillDo() throws Exception {
        byte[] payload = Vectors.bytes(Vectors.SEGWIT_TX);
        MessageEvent e = PayloadDecoder.messageEvent(ConnTypes.metadata(12, "[2001:db8::1]:8333", "block-relay-only", "tx", false,
                payload.length), "tx", payload);
        assertEquals(ConnType.BlockRelayOnly, e.getMeta().getConnType());
        assertEquals(payload.length, e.getMeta().getSize());
        assertEquals(Vectors.SEGWIT_WTXID, Hashes.displayHex(e.getTx().getTx().getWtxid().toByteArray()));
    }
}
