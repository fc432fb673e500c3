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
        return process(consumer, exchange);
    }

    /**
     * Processes {@code events} as one exchange, body the list and no subject or kind header (they differ
     * per event): for sources whose rate makes an exchange per event the bottleneck. {@code bus:publish}
     * publishes each event on its own subject, in order.
     */
    public static boolean emitBatch(DefaultConsumer consumer, List<Event> events) {
        Exchange exchange = consumer.createExchange(false);
        exchange.getIn().setBody(events);
        return process(consumer, exchange);
    }

    private static boolean process(DefaultConsumer consumer, Exchange exchange) {
        try {
            try {
                consumer.getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                consumer.getExceptionHandler().handleException("Error processing an event", exchange, exchange.getException());
                return false;
            }
            return true;
        } finally {
            consumer.releaseExchange(exchange, false);
        }
    }
}
