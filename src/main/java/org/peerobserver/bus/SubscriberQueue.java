package org.peerobserver.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.event.SubjectFilter;
import org.peerobserver.support.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscribing route's events on their way in: a queue bounded by count and by payload bytes, and
 * a thread of its own that hands them to the route, so a slow tool never holds back the others. The
 * in-JVM bus queues events here as they are published; the NATS bus after decoding each message
 * once for the whole process. The thread takes everything waiting at once (up to {@value #MAX_TAKE}):
 * a route that keeps up gets events one by one, a busy one in batches.
 */
final class SubscriberQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberQueue.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final int MAX_TAKE = 1000;

    private final String name;
    private final SubjectFilter filter;
    private final Bus.Sink sink;
    private final BusStatistics statistics;
    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Thread thread;
    private long bytes;
    private volatile boolean running = true;
    private final RateLimitedLog overflowLog = new RateLimitedLog(LOG);

    /** An event and its payload size, which the byte bound counts. */
    private record Entry(ReceivedEvent event, int size) {
    }

    /** {@code name}: the subscribing route, as the overflow warning names it. */
    SubscriberQueue(String name, List<String> subjects, Bus.Sink sink, BusStatistics statistics, int maxEvents, long maxBytes) {
        this.name = name;
        this.filter = new SubjectFilter(subjects);
        this.sink = sink;
        this.statistics = statistics;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.thread = new Thread(this::deliver, "bus-subscriber-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    boolean wants(ReceivedEvent event) {
        return filter.matches(event.subject()) && sink.wants(event);
    }

    /**
     * Queues the event, waiting up to {@code waitMillis} for room; when there is none, the event is dropped,
     * counted and warned of (once a minute). An event bigger than the byte bound still goes into an empty queue.
     */
    void offer(ReceivedEvent event, int size, long waitMillis) {
        offer(List.of(event), new int[] {size}, waitMillis);
    }

    /**
     * Queues the events in order, each weighing {@link ReceivedEvent#bytes} (about what a NATS bus would carry),
     * waiting up to {@code waitMillis} in all for room: one lock for the batch, not one per event.
     */
    void offer(List<ReceivedEvent> events, long waitMillis) {
        int[] sizes = new int[events.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = events.get(i).bytes();
        }
        offer(events, sizes, waitMillis);
    }

    private void offer(List<ReceivedEvent> events, int[] sizes, long waitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        int i = 0;
        lock.lock();
        try {
            for (; i < sizes.length; i++) {
                while (full(sizes[i])) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !running) {
                        break;
                    }
                    // the subscriber may be waiting for the first of these
                    notEmpty.signal();
                    notFull.awaitNanos(left);
                }
                if (full(sizes[i])) {
                    dropped();
                    continue;
                }
                queue.add(new Entry(events.get(i), sizes[i]));
                bytes += sizes[i];
            }
            notEmpty.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (; i < sizes.length; i++) {
                dropped();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: no room for an event of {@code size} (an empty queue always takes one). */
    private boolean full(int size) {
        return !queue.isEmpty() && (queue.size() >= maxEvents || bytes + size > maxBytes);
    }

    private void dropped() {
        statistics.subscriberOverflow.increment();
        sink.dropped();
        overflowLog.warn("Route " + name + " fell " + maxEvents + " events or " + maxBytes + " bytes behind;"
                + " events for it are dropped (counted in peerobserver_bus_dropped{reason=\"subscriber_overflow\"})");
    }

    /** Delivers until stopped, then what is still queued, so a clean shutdown loses nothing. */
    private void deliver() {
        while (true) {
            List<ReceivedEvent> taken;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    if (!running) {
                        return;
                    }
                    notEmpty.await(100, TimeUnit.MILLISECONDS);
                }
                taken = new ArrayList<>(Math.min(queue.size(), MAX_TAKE));
                while (!queue.isEmpty() && taken.size() < MAX_TAKE) {
                    Entry e = queue.poll();
                    taken.add(e.event);
                    bytes -= e.size;
                }
                notFull.signalAll();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            statistics.received.add(taken.size());
            try {
                sink.accept(taken);
            } catch (Exception e) {
                // the sink is a Camel consumer that handles its own errors; this is a last resort
                LOG.warn("Subscriber failed on {} events: {}", taken.size(), e.toString());
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
