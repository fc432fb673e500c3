package org.peerobserver.extractor.replay;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.bus.NatsPayload;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive reader on a real JetStream stream: the sample stored twice (as alice, then as bob, with a
 * pause between), read back by time window, node and subject, and the reader ends at the newest event.
 */
class ArchiveReaderIT {
    @TempDir
    static Path store;
    static NatsServer nats;
    static Connection client;
    static final List<Event> SAMPLE = SampleCapture.events();
    static Instant between;

    @BeforeAll
    static void archive() throws Exception {
        nats = new NatsServer("-js", "-sd", store.toString());
        client = Nats.connect(nats.url());
        client.jetStreamManagement().addStream(StreamConfiguration.builder().name("EVENTS").subjects("*", "ext.*").build());
        store("alice");
        Thread.sleep(50);
        between = Instant.now();
        Thread.sleep(50);
        store("bob");
    }

    private static void store(String node) throws Exception {
        long n = 0;
        for (Event e : SAMPLE) {
            client.jetStream().publish(EventKind.of(e).subject(), NatsPayload.encode(e, node, node.hashCode(), ++n));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        nats.close();
    }

    private static List<ReceivedEvent> read(Instant from, Instant to, List<String> subjects, Set<String> nodes) throws Exception {
        return read(from, to, subjects, List.of(), nodes);
    }

    private static List<ReceivedEvent> read(Instant from, Instant to, List<String> subjects, List<String> kinds, Set<String> nodes)
            throws Exception {
        List<ReceivedEvent> events = new ArrayList<>();
        try (ArchiveReader reader = new ArchiveReader(new Options.Builder().server(nats.url()).build(), "EVENTS", from, to, subjects,
                kinds, nodes)) {
            for (ReceivedEvent e; (e = reader.next()) != null; ) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void theWholeArchiveInOrderWithItsNodes() throws Exception {
        List<ReceivedEvent> all = read(null, null, List.of(), Set.of());
        assertEquals(2 * SAMPLE.size(), all.size());
        assertEquals(SAMPLE, all.subList(0, SAMPLE.size()).stream().map(ReceivedEvent::event).toList());
        assertTrue(all.subList(0, SAMPLE.size()).stream().allMatch(e -> e.node().equals("alice")));
        assertTrue(all.subList(SAMPLE.size(), all.size()).stream().allMatch(e -> e.node().equals("bob")));
    }

    @Test
    void aTimeWindow() throws Exception {
        assertEquals(List.of("alice"), read(null, between, List.of(), Set.of()).stream().map(ReceivedEvent::node).distinct().toList());
        assertEquals(List.of("bob"), read(between, null, List.of(), Set.of()).stream().map(ReceivedEvent::node).distinct().toList());
        assertEquals(List.of(), read(Instant.now().plusSeconds(60), null, List.of(), Set.of()));
    }

    @Test
    void nodesAndSubjects() throws Exception {
        List<ReceivedEvent> bobs = read(null, null, List.of(), Set.of("bob"));
        assertEquals(SAMPLE, bobs.stream().map(ReceivedEvent::event).toList());
        List<Event> messages = SAMPLE.stream().filter(e -> EventKind.of(e).subject().equals("netmsg")).toList();
        List<ReceivedEvent> alicesMessages = read(null, null, List.of("netmsg"), Set.of("alice"));
        assertTrue(!messages.isEmpty());
        assertEquals(messages, alicesMessages.stream().map(ReceivedEvent::event).toList());
    }

    @Test
    void kindsAndGroupsOfThem() throws Exception {
        String oneKind = EventKind.of(SAMPLE.stream().filter(e -> EventKind.of(e).subject().equals("netmsg")).findFirst().orElseThrow()).kind();
        List<Event> ofThatKind = SAMPLE.stream().filter(e -> EventKind.of(e).kind().equals(oneKind)).toList();
        assertEquals(ofThatKind, read(null, null, List.of(), List.of(oneKind), Set.of("alice")).stream().map(ReceivedEvent::event).toList());
        // a group: every message.* kind, and with a subject filter the two together
        List<Event> messages = SAMPLE.stream().filter(e -> EventKind.of(e).kind().startsWith("message.")).toList();
        assertTrue(messages.size() > ofThatKind.size(), "the sample has more than one kind of message");
        assertEquals(messages, read(null, null, List.of(), List.of("message"), Set.of("bob")).stream().map(ReceivedEvent::event).toList());
        assertEquals(List.of(), read(null, null, List.of("rpc"), List.of("message"), Set.of()));
    }
}
