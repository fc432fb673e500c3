package org.peerobserver.bus;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EmbeddedBusTest {

    @Test
    void aStuckSubscriberLosesCountedEventsAndHoldsNobodyBack() throws Exception {
        BusStatistics stats = new BusStatistics();
        List<Event> events = SampleCapture.events().subList(0, 50);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stuckGot = new AtomicInteger();
        AtomicInteger fastGot = new AtomicInteger();
        try (EmbeddedBus bus = new EmbeddedBus(stats, 4, 5)) {
            bus.subscribe("test", List.of(">"), (e, k, n) -> {
                release.await();
                stuckGot.incrementAndGet();
            });
            bus.subscribe("test", List.of("*", "ext.*"), (e, k, n) -> fastGot.incrementAndGet());
            for (Event e : events) {
                bus.publish(e, EventKind.of(e), "n");
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> fastGot.get() == events.size());
            // the stuck one holds one event in hand and 4 queued; the rest were dropped and counted
            assertEquals(events.size() - 5, stats.subscriberOverflow());
            release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> stuckGot.get() == 5);
            assertEquals(events.size(), stats.published());
            assertEquals(events.size() + 5, stats.received());
        }
    }

    @Test
    void subscriptionsSeeOnlyTheirSubjects() throws Exception {
        AtomicInteger rpcOnly = new AtomicInteger();
        List<Event> events = SampleCapture.events();
        long rpcEvents = events.stream().filter(Event::hasRpcExtractor).count();
        try (EmbeddedBus bus = new EmbeddedBus(new BusStatistics(), 1000, 1000)) {
            bus.subscribe("test", List.of("rpc"), (e, k, n) -> {
                assertEquals("rpc", k.subject());
                rpcOnly.incrementAndGet();
            });
            events.forEach(e -> bus.publish(e, EventKind.of(e), "n"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> rpcOnly.get() == rpcEvents);
        }
    }
}
