package org.peerobserver.event;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventKindTest {

    @Test
    void everySampleEventHasUpstreamSubjectsOrATwoTokenExtSubject() {
        Map<String, String> kindToSubject = new TreeMap<>();
        for (Event e : SampleCapture.events()) {
            EventKind k = EventKind.of(e);
            kindToSubject.put(k.kind(), k.subject());
        }
        assertEquals("netmsg", kindToSubject.get("message.inv"));
        assertEquals("netmsg", kindToSubject.get("message.verack"));
        assertEquals("netconn", kindToSubject.get("connection.closed"));
        assertEquals("netconn", kindToSubject.get("connection.misbehaving"));
        assertEquals("addrman", kindToSubject.get("addrman.tried"));
        assertEquals("mempool", kindToSubject.get("mempool.replaced"));
        assertEquals("validation", kindToSubject.get("validation.block_connected"));
        assertEquals("rpc", kindToSubject.get("rpc.peer_infos"));
        assertEquals("p2p-extractor", kindToSubject.get("p2p.inventory_announcement"));
        assertEquals("log-extractor", kindToSubject.get("log.unknown_log_message"));
        assertEquals("ext.rpc_result", kindToSubject.get("ext.rpc_result"));
        for (String subject : kindToSubject.values()) {
            boolean upstream = List.of("netmsg", "netconn", "addrman", "mempool", "validation", "rpc",
                    "p2p-extractor", "log-extractor").contains(subject);
            assertTrue(upstream || subject.matches("ext\\.[a-z_]+"), subject);
        }
    }

    @Test
    void eventsWithAnEmptyOneofHaveNoSubject() {
        assertThrows(EventKind.InvalidEventException.class, () -> EventKind.of(Event.newBuilder().setTimestamp(1).build()));
        assertThrows(EventKind.InvalidEventException.class, () -> EventKind.of(Event.newBuilder().setTimestamp(1)
                .setEbpfExtractor(ebpf.newBuilder()).build()));
        assertThrows(EventKind.InvalidEventException.class, () -> EventKind.of(Event.newBuilder().setTimestamp(1)
                .setExtension(Extension.newBuilder()).buildPartial()));
    }
}
