package org.peerobserver.event;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.proto.event.Event;

/** How every event source hands one event to its route. */
public final class EventExchanges {
    private EventExchanges() {
    }

    /**
     * Processes {@code event} (of {@code kind}) as a new exchange of {@code consumer}, with the event headers set
     * ({@code node} only when known). Failures go to the consumer's exception handler.
     */
    public static void emit(DefaultConsumer consumer, Event event, EventKind kind, String node) {
        emit(consumer, event, kind, node, Map.of());
    }

    /** The same, with more headers (a source's own, e.g. the peer's address); true when the route took it. */
    public static boolean emit(DefaultConsumer consumer, Event event, EventKind kind, String node, Map<String, Object> headers) {
        Exchange exchange = consumer.createExchange(false);
        exchange.getIn().setBody(event);
        exchange.getIn().setHeader(EventHeaders.SUBJECT, kind.subject());
        exchange.getIn().setHeader(EventHeaders.KIND, kind.kind());
        if (node != null) {
            exchange.getIn().setHeader(EventHeaders.NODE, node);
        }
        headers.forEach(exchange.getIn()::setHeader);
        return process(consumer, exchange, 1);
    }

    /**
     * Processes {@code events} as one exchange, body the list and no subject or kind header (they differ
     * per event): for sources and tools whose rate makes an exchange per event the bottleneck. A source
     * sends {@link ReceivedEvent}s without a node ({@code bus:publish} stamps it and publishes each on its own
     * subject, in order); a {@code bus:subscribe} route gets them with their node.
     */
    public static boolean emitBatch(DefaultConsumer consumer, List<?> events) {
        Exchange exchange = consumer.createExchange(false);
        exchange.getIn().setBody(events);
        return process(consumer, exchange, events.size());
    }

    /**
     * A source's events: one exchange per event with the event headers when {@code batchSize} is 1,
     * otherwise the list as one exchange ({@link #emitBatch}).
     */
    public static void emitFromSource(DefaultConsumer consumer, List<ReceivedEvent> events, int batchSize) {
        if (batchSize == 1) {
            events.forEach(e -> emit(consumer, e.event(), e.kind(), null));
        } else {
            emitBatch(consumer, events);
        }
    }

    /** Processes an exchange of {@code events} events, and counts them for the route ({@link RouteEvents}). */
    private static boolean process(DefaultConsumer consumer, Exchange exchange, int events) {
        RouteEvents counts = RouteEvents.of(consumer.getEndpoint().getCamelContext(), consumer.getRouteId());
        counts.in(events);
        try {
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                counts.dropped(events);
                consumer.getExceptionHandler().handleException("Error processing an event", exchange, exchange.getException());
                return false;
            }
            counts.out(events);
            return true;
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }
}
