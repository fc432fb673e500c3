package org.peerobserver.tool.metrics;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.connection.EvictedInboundConnection;
import org.peerobserver.proto.ebpf.message.Ping;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.ConnType;
import org.peerobserver.testing.SampleEvents;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

/** A batch as the route hands it over: counted by subject, and one failing event spoils nothing else. */
class MetricsToolTest {
    private final SampleEvents events = new SampleEvents(1, System.currentTimeMillis());

    private ReceivedEvent received(Event e) {
        return new ReceivedEvent(e, EventKind.of(e), "n1");
    }

    private ReceivedEvent ping() {
        return received(events.message(0, "203.0.113.7:8333", "ping", true, 8, b -> b.setPing(Ping.newBuilder().setValue(1))));
    }

    private static void assertLines(String exposition, String... lines) {
        List<String> all = Arrays.asList(exposition.split("\n"));
        for (String line : lines) {
            assertTrue(all.contains(line), () -> "missing: " + line + "\n" + exposition);
        }
    }

    @Test
    void everyEventOfABatchHasItsAge() {
        MetricsTool tool = new MetricsTool();
        tool.setUp();
        long now = System.currentTimeMillis();
        Event old = new SampleEvents(1, now - 5_000).message(0, "1.2.3.4:1", "verack", true, 0, b -> b.setVerack(true));
        Event recent = new SampleEvents(1, now - 500).message(0, "1.2.3.4:1", "verack", true, 0, b -> b.setVerack(true));
        tool.recordAll(List.of(received(recent), received(old), received(recent)));
        String out = tool.scrape();
        assertLines(out,
                "peerobserver_event_age_seconds_bucket{le=\"0.1\"} 0",
                "peerobserver_event_age_seconds_bucket{le=\"1.0\"} 2",
                "peerobserver_event_age_seconds_bucket{le=\"10.0\"} 3",
                "peerobserver_event_age_seconds_count 3");
        double max = Double.parseDouble(out.replaceAll("(?s).*\npeerobserver_event_age_seconds_max (\\S+)\n.*", "$1"));
        assertTrue(max >= 5 && max < 10, "max " + max);
    }

    @Test
    void aBatchIsCountedByRunsOfSubjectAndAFailingEventOnlyCountsAsFailed() {
        MetricsTool tool = new MetricsTool();
        tool.setUp();
        ReceivedEvent evicted = received(events.connection(ConnectionEvent.newBuilder()
                .setInboundEvicted(EvictedInboundConnection.newBuilder().setTimeEstablished(1).setConn(Connection.newBuilder()
                        .setPeerId(1).setAddr("1.2.3.4:1").setConnType(ConnType.Inbound).setNetwork(1))).build()));
        // an event the upstream families cannot take: its oneof case is null, so their switch throws
        ReceivedEvent broken = new ReceivedEvent(mock(Event.class), ping().kind(), "n1");
        tool.recordAll(List.of(ping(), broken, ping(), evicted, ping()));
        tool.recordAll(List.of(evicted, ping()));
        assertLines(tool.scrape(),
                "peerobserver_p2p_message_count{connection_type=\"2\",direction=\"inbound\",message=\"ping\",node=\"n1\"} 4",
                "peerobserver_conn_evicted_inbound{node=\"n1\"} 2",
                "peerobserver_events_received_total{subject=\"netmsg\"} 5.0",
                "peerobserver_events_received_total{subject=\"netconn\"} 2.0",
                "peerobserver_events_dropped_total{reason=\"metrics_failed\"} 1.0",
                "peerobserver_event_age_seconds_count 7");
    }
}
