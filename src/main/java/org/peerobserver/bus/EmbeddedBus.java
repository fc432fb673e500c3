package org.peerobserver.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;

/**
 * The in-JVM bus: events are passed as objects, never serialized. Each subscription has a bounded
 * queue and its own thread ({@link SubscriberQueue}); a publisher waits for room up to
 * {@code publishTimeout} and then drops the event for that subscriber, counted.
 */
final class EmbeddedBus implements Bus {
    private final List<SubscriberQueue> subscriptions = new CopyOnWriteArrayList<>();
    private final BusStatistics statistics;
    private final int queueSize;
    private final long queueBytes;
    private final long publishTimeoutMillis;

    EmbeddedBus(BusStatistics statistics, int queueSize, long queueBytes, long publishTimeoutMillis) {
        this.statistics = statistics;
        this.queueSize = queueSize;
        this.queueBytes = queueBytes;
        this.publishTimeoutMillis = publishTimeoutMillis;
    }

    @Override
    public void publish(Event event, EventKind kind, String node) {
        publishAll(List.of(new ReceivedEvent(event, kind, node)));
    }

    /** A batch takes each subscriber's lock once, not once per event. */
    @Override
    public void publishAll(List<ReceivedEvent> events) {
        statistics.published.add(events.size());
        for (SubscriberQueue s : subscriptions) {
            List<ReceivedEvent> wanted = new ArrayList<>(events.size());
            for (ReceivedEvent e : events) {
                if (s.wants(e)) {
                    wanted.add(e);
                }
            }
            if (!wanted.isEmpty()) {
                s.offer(wanted, publishTimeoutMillis);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(String name, List<String> subjects, Sink sink) {
        SubscriberQueue s = new SubscriberQueue(name, subjects, sink, statistics, queueSize, queueBytes);
        subscriptions.add(s);
        return () -> {
            subscriptions.remove(s);
            s.stop();
        };
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public void close() {
        subscriptions.forEach(SubscriberQueue::stop);
        subscriptions.clear();
    }
}
