package org.peerobserver.bus;

import java.util.List;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.EventFilter;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.event.RouteEvents;

/**
 * Hands the events of the subscribed subjects and kinds to the route: with {@code batchSize} above 1, the
 * events waiting as one exchange, body {@code List<ReceivedEvent>}; with 1, each as body {@code Event}, with
 * the event headers.
 */
public class BusConsumer extends DefaultConsumer implements Bus.Sink {
    private AutoCloseable subscription;
    private EventFilter kinds;
    private RouteEvents counts;

    BusConsumer(BusEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public BusEndpoint getEndpoint() {
        return (BusEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        kinds = getEndpoint().kindFilter();
        counts = RouteEvents.of(getEndpoint().getCamelContext(), getRouteId());
        subscription = getEndpoint().getComponent().bus().subscribe(getRouteId(), getEndpoint().subjectList(), this);
    }

    @Override
    public boolean wants(ReceivedEvent event) {
        return kinds.wantsKind(event.kind().kind());
    }

    @Override
    public void dropped() {
        counts.dropped(1);
    }

    @Override
    public void accept(List<ReceivedEvent> events) {
        int batch = getEndpoint().getBatchSize();
        if (batch <= 1) {
            events.forEach(e -> EventExchanges.emit(this, e.event(), e.kind(), e.node()));
            return;
        }
        for (int from = 0; from < events.size(); from += batch) {
            EventExchanges.emitBatch(this, events.subList(from, Math.min(events.size(), from + batch)));
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        super.doStop();
    }
}
