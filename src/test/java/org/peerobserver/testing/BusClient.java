package org.peerobserver.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.peerobserver.bus.NatsPayload;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;

/**
 * A plain jnats client on every subject of a nats-server, as another project's extractor or tool would be:
 * it publishes events the way our extractors do (subject from the event, node and number in the stamp) and keeps every
 * event it receives, its own included.
 */
public final class BusClient implements AutoCloseable {

    /** One event as it came off NATS. */
    public record Received(String subject, String kind, String node, Event event) {
    }

    private final Connection connection;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private long published;

    public BusClient(String url) throws Exception {
        connection = Nats.connect(new Options.Builder().server(url).build());
        connection.createDispatcher(m -> {
            try {
                NatsPayload.Decoded d = NatsPayload.decode(m.getData());
                received.add(new Received(m.getSubject(), EventKind.of(d.event()).kind(), d.node(), d.event()));
            } catch (Exception notAnEvent) {
                // only events are kept
            }
        }).subscribe(">");
        connection.flush(Duration.ofSeconds(5));
    }

    public void publish(Event event, String node) throws Exception {
        connection.publish(EventKind.of(event).subject(), NatsPayload.encode(event, node, 1, ++published));
        connection.flush(Duration.ofSeconds(5));
    }

    public List<Received> received(Predicate<Received> p) {
        return received.stream().filter(p).toList();
    }

    /** The events of one node and kind, in the order they arrived. */
    public List<Event> received(String node, String kind) {
        return received(r -> node.equals(r.node()) && kind.equals(r.kind())).stream().map(Received::event).toList();
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
