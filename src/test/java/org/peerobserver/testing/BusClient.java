package org.peerobserver.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;

/**
 * A plain jnats client on every subject of a nats-server, as another project's extractor or tool would be:
 * it publishes events the way our extractors do (subject from the event, node in the header) and keeps every
 * event it receives, its own included.
 */
public final class BusClient implements AutoCloseable {

    /** One event as it came off NATS. */
    public record Received(String subject, String kind, String node, Event event) {
    }

    private final Connection connection;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public BusClient(String url) throws Exception {
        connection = Nats.connect(new Options.Builder().server(url).build());
        connection.createDispatcher(m -> {
            try {
                Event e = Event.parseFrom(m.getData());
                String node = m.getHeaders() == null ? null : m.getHeaders().getFirst(EventHeaders.NODE);
                received.add(new Received(m.getSubject(), EventKind.of(e).kind(), node, e));
            } catch (Exception notAnEvent) {
                // only events are kept
            }
        }).subscribe(">");
        connection.flush(Duration.ofSeconds(5));
    }

    public void publish(Event event, String node) throws Exception {
        connection.publish(NatsMessage.builder().subject(EventKind.of(event).subject())
                .headers(new Headers().put(EventHeaders.NODE, node)).data(event.toByteArray()).build());
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
