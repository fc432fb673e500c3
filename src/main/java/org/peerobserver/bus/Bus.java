package org.peerobserver.bus;

import java.util.List;

import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;

/** Publish/subscribe for events: NATS or in-JVM, chosen by {@code bus.type}. */
interface Bus extends AutoCloseable {

    /** Receives events of one subscription, in order: as many at a time as were waiting. */
    interface Sink {
        void accept(List<ReceivedEvent> events) throws Exception;

        /** Whether the subscriber wants this event of its subjects (e.g. by kind); asked before it is queued. */
        default boolean wants(ReceivedEvent event) {
            return true;
        }

        /** Told of each event of its own the bus dropped (a full queue). */
        default void dropped() {
        }
    }

    /** Sends the event; a failure is counted and logged by the bus, never thrown. */
    void publish(Event event, EventKind kind, String node);

    /** Sends the events in order, as {@link #publish} each. */
    default void publishAll(List<ReceivedEvent> events) {
        for (ReceivedEvent e : events) {
            publish(e.event(), e.kind(), e.node());
        }
    }

    /**
     * Starts delivering events whose subject matches any of {@code subjects} (NATS wildcards).
     * {@code name} (the route id) names the subscription where the bus keeps its place (JetStream).
     */
    AutoCloseable subscribe(String name, List<String> subjects, Sink sink) throws Exception;

    /** Null when the bus can take events; otherwise why not, in a few words. */
    String unavailableReason();

    @Override
    void close();
}
