package org.peerobserver.event;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.Inv;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.testing.SampleEvents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTextTest {
    private final SampleEvents events = new SampleEvents(1, 1_700_000_000_000L);

    @Test
    void pingReadsAsOneLineWithUnsignedNonce() {
        Event e = events.message(3, "1.2.3.4:8333", "ping", false, 8, b -> b.setPing(Ping.newBuilder().setValue(-1L)));
        assertEquals("message.ping node=alice at=2023-11-14T22:13:20Z meta={peer_id=3 addr=1.2.3.4:8333 "
                + "conn_type=OutboundFullRelay command=ping inbound=false size=8} ping={value=18446744073709551615}",
                EventText.line(e, "message.ping", "alice"));
    }

    @Test
    void hashesInDisplayOrderAndLongListsCut() {
        byte[] hash = new byte[32];
        hash[0] = 0x01;  // internal order: first byte shows last
        Inv.Builder inv = Inv.newBuilder();
        for (int i = 0; i < 20; i++) {
            inv.addItems(InventoryItem.newBuilder().setWtx(ByteString.copyFrom(hash)));
        }
        String line = EventText.line(events.message(1, "x:1", "inv", true, 721, b -> b.setInv(inv)), "message.inv", "n");
        assertTrue(line.contains("{wtx=" + "00".repeat(31) + "01}"), line);
        assertTrue(line.contains("… +12 more]"), line);
    }
}
