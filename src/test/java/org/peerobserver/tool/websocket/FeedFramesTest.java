package org.peerobserver.tool.websocket;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventJson;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.SampleEvents;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The frames exactly as docs/websocket.md shows them. */
class FeedFramesTest {

    @Test
    void eventFrameAsDocumented() {
        Event verack = new SampleEvents(1, 1_763_769_600_000L).message(0, "203.0.113.7:8333", "verack", true, 0, b -> b.setVerack(true));
        assertEquals("{\"subject\":\"netmsg\",\"kind\":\"message.verack\",\"node\":\"node-a\",\"timestamp\":1763769600000,"
                + "\"event\":{\"ebpf_extractor\":{\"message\":{\"meta\":{\"peer_id\":\"0\",\"addr\":\"203.0.113.7:8333\","
                + "\"conn_type\":\"OutboundFullRelay\",\"command\":\"verack\",\"inbound\":true,\"size\":\"0\"},\"verack\":true}},"
                + "\"timestamp\":\"1763769600000\"}}",
                EventJson.of(verack, "netmsg", "message.verack", "node-a"));
    }

    @Test
    void upstreamFrameAsDocumented() {
        Event verack = new SampleEvents(1, 1_763_769_600_000L).message(0, "203.0.113.7:8333", "verack", true, 0, b -> b.setVerack(true));
        assertEquals("{\"EbpfExtractor\":{\"ebpf_event\":{\"Message\":{\"meta\":{\"peer_id\":0,\"addr\":\"203.0.113.7:8333\","
                + "\"conn_type\":2,\"command\":\"verack\",\"inbound\":true,\"size\":0},\"msg\":{\"Verack\":true}}}}}",
                UpstreamJson.of(verack));
    }

    @Test
    void missedNoticeAsDocumented() {
        assertEquals("{\"missed\":12,\"missed_total\":40}", FeedFrames.missed(12, 40));
    }
}
