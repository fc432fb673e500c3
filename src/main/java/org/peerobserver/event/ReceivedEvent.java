package org.peerobserver.event;

import org.peerobserver.proto.event.Event;

/**
 * One event as a subscriber gets it: with its kind and the node it came from. A {@code bus:subscribe}
 * route with {@code batchSize} above 1 gets a {@code List<ReceivedEvent>} body instead of one event and headers.
 * {@code weight} is what it counts for against a subscriber queue's byte bound when its source knows that
 * cheaply (an eBPF record's length, of the order of its serialized size), else -1: measuring the serialized
 * size walks every string, a quarter of the eBPF extractor's CPU per event.
 */
public record ReceivedEvent(Event event, EventKind kind, String node, int weight) {

    public ReceivedEvent(Event event, EventKind kind, String node) {
        this(event, kind, node, -1);
    }

    /** A source's event, its node still to be stamped by {@code bus:publish}. */
    public static ReceivedEvent fromSource(Event event, int weight) {
        return new ReceivedEvent(event, EventKind.of(event), null, weight);
    }

    public String subject() {
        return kind.subject();
    }

    /** The bytes it counts for in a subscriber queue: its weight when known, else its serialized size. */
    public int bytes() {
        return weight >= 0 ? weight : event.getSerializedSize();
    }
}
