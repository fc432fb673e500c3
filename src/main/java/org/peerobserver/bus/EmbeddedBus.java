package org.peerobserver.bus;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-JVM bus: events are passed as objects, never serialized. Each subscription has a bounded
 * queue and its own thread, so a slow tool never holds back the others; a publisher waits for room
 * up to {@code publishTimeout} and then drops the event for that subscriber, counted.
 */
final class EmbeddedBus implements Bus {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBus.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final BusStatistics statistics;
    private final int queueSize;
    private final long publishTimeoutMillis;
    private final RateLimitedLog overflowLog = new RateLimitedLog(LOG);

    EmbeddedBus(BusStatistics statistics, int queueSize, long publishTimeoutMillis) {
        this.statistics = statistics;
        this.queueSize = queueSize;
        this.publishTimeoutMillis = publishTimeoutMillis;
    }

    @Override
    public void publish(Event event, EventKind kind, String node) {
        statistics.published.increment();
        for (Subscription s : subscriptions) {
            if (s.filter.matches(kind.subject()) && !s.offer(new Delivery(event, kind, node))) {
                statistics.subscriberOverflow.increment();
                overflowLog.warn("A subscriber of the in-JVM bus fell " + queueSize
                        + " events behind; events for it are dropped (metric peerobserver_bus_dropped{reason=\"subscriber_overflow\"})");
            }
        }
    }

    @Override
    public AutoCloseable subscribe(String name, List<String> subjects, Sink sink) {
        Subscription s = new Subscription(new SubjectFilter(subjects), sink);
        subscriptions.add(s);
        s.thread.start();
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
        subscriptions.forEach(Subscription::stop);
        subscriptions.clear();
    }

    private record Delivery(Event event, EventKind kind, String node) {
    }

    private final class Subscription {
        final SubjectFilter filter;
        final Sink sink;
        final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(queueSize);
        final Thread thread;
        volatile boolean running = true;

        Subscription(SubjectFilter filter, Sink sink) {
            this.filter = filter;
            this.sink = sink;
            this.thread = new Thread(this::deliver, "bus-subscriber-" + THREADS.incrementAndGet());
            this.thread.setDaemon(true);
        }

        boolean offer(Delivery d) {
            try {
                return queue.offer(d, publishTimeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Delivers until stopped, then what is still queued, so a clean shutdown loses nothing. */
        void deliver() {
            while (running || !queue.isEmpty()) {
                try {
                    Delivery d = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (d != null) {
                        statistics.received.increment();
                        sink.accept(d.event, d.kind, d.node);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the sink is a Camel consumer that handles its own errors; this is a last resort
                    LOG.warn("Subscriber failed on an event: {}", e.toString());
                }
            }
        }

        void stop() {
            running = false;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                thread.interrupt();
                LOG.warn("A bus subscriber did not finish within 10 s; {} queued events not delivered", queue.size());
            }
        }
    }
}
