package org.peerobserver.bus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedBusTest {

    @Test
    void aStuckSubscriberLosesCountedEventsAndHoldsNobodyBack() throws Exception {
        BusStatistics stats = new BusStatistics();
        List<Event> events = SampleCapture.events().subList(0, 50);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger stuckGot = new AtomicInteger();
        AtomicInteger fastGot = new AtomicInteger();
        try (EmbeddedBus bus = new EmbeddedBus(stats, 4, Long.MAX_VALUE, 5)) {
            bus.subscribe("test", List.of(">"), batch -> {
                release.await();
                stuckGot.addAndGet(batch.size());
            });
            bus.subscribe("test", List.of("*", "ext.*"), batch -> fastGot.addAndGet(batch.size()));
            for (Event e : events) {
                bus.publish(e, EventKind.of(e), "n");
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> fastGot.get() == events.size());
            // the stuck one holds what it took in hand and 4 queued; the rest were dropped and counted
            long dropped = stats.subscriberOverflow();
            assertTrue(dropped > 0 && dropped <= events.size() - 5, "dropped " + dropped);
            release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> stuckGot.get() == events.size() - dropped);
            assertEquals(events.size(), stats.published());
            assertEquals(2L * events.size() - dropped, stats.received());
        }
    }

    @Test
    void aQueueIsBoundedByPayloadBytesAsWellAsByCount() throws Exception {
        BusStatistics stats = new BusStatistics();
        List<Event> events = SampleCapture.events().subList(0, 50);
        long largest = events.stream().mapToLong(Event::getSerializedSize).max().orElseThrow();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger got = new AtomicInteger();
        // room for few events by bytes, many by count
        try (EmbeddedBus bus = new EmbeddedBus(stats, 1000, 2 * largest, 5)) {
            subscribeHeld(bus, release, got);
            for (Event e : events) {
                bus.publish(e, EventKind.of(e), "n");
            }
            long dropped = stats.subscriberOverflow();
            assertTrue(dropped > 0 && dropped < events.size() - 2, "dropped " + dropped);
            release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.get() == events.size() - dropped);
        }
    }

    @Test
    void aBatchKeepsItsOrderAndWhatFindsNoRoomIsDroppedAndCounted() throws Exception {
        BusStatistics stats = new BusStatistics();
        List<ReceivedEvent> batch = SampleCapture.events().subList(0, 40).stream()
                .map(e -> new ReceivedEvent(e, EventKind.of(e), "n")).toList();
        CountDownLatch release = new CountDownLatch(1);
        List<ReceivedEvent> stuckGot = new CopyOnWriteArrayList<>();
        List<ReceivedEvent> fastGot = new CopyOnWriteArrayList<>();
        try (EmbeddedBus bus = new EmbeddedBus(stats, 8, Long.MAX_VALUE, 20)) {
            bus.subscribe("stuck", List.of(">", "ext.>"), events -> {
                release.await();
                stuckGot.addAll(events);
            });
            bus.subscribe("fast", List.of(">", "ext.>"), fastGot::addAll);
            bus.publishAll(batch);
            await().atMost(5, TimeUnit.SECONDS).until(() -> fastGot.size() == batch.size());
            assertEquals(batch, fastGot);
            long dropped = stats.subscriberOverflow();
            assertTrue(dropped > 0 && dropped <= batch.size() - 8, "dropped " + dropped);
            release.countDown();
            await().atMost(5, TimeUnit.SECONDS).until(() -> stuckGot.size() == batch.size() - dropped);
            // what the stuck subscriber got is the batch's beginning, in order
            assertEquals(batch.subList(0, stuckGot.size()), stuckGot);
            assertEquals(batch.size(), stats.published());
        }
    }

    @Test
    void aSourcesWeightCountsInsteadOfTheSerializedSize() throws Exception {
        List<Event> events = SampleCapture.events().subList(0, 20);
        long largest = events.stream().mapToLong(Event::getSerializedSize).max().orElseThrow();
        // by serialized size all 20 fit; by their weight (each as big as the bound) one is held and one queued
        for (int weight : new int[] {-1, (int) (20 * largest)}) {
            BusStatistics stats = new BusStatistics();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger got = new AtomicInteger();
            try (EmbeddedBus bus = new EmbeddedBus(stats, 1000, 20 * largest, 5)) {
                subscribeHeld(bus, release, got);
                for (Event e : events) {
                    bus.publishAll(List.of(new ReceivedEvent(e, EventKind.of(e), "n", weight)));
                }
                long dropped = stats.subscriberOverflow();
                release.countDown();
                await().atMost(5, TimeUnit.SECONDS).until(() -> got.get() == events.size() - dropped);
                if (weight < 0) {
                    assertEquals(0, dropped);
                } else {
                    assertTrue(dropped >= events.size() - 2, "dropped " + dropped);
                }
            }
        }
    }

    @Test
    void anEventBiggerThanTheByteBoundStillPassesAnEmptyQueue() throws Exception {
        AtomicInteger got = new AtomicInteger();
        Event event = SampleCapture.events().get(0);
        BusStatistics stats = new BusStatistics();
        try (EmbeddedBus bus = new EmbeddedBus(stats, 1000, 1, 5)) {
            bus.subscribe("test", List.of(">", "ext.>"), batch -> got.addAndGet(batch.size()));
            bus.publish(event, EventKind.of(event), "n");
            await().atMost(5, TimeUnit.SECONDS).until(() -> got.get() == 1);
            assertEquals(0, stats.subscriberOverflow());
        }
    }

    @Test
    void subscriptionsSeeOnlyTheirSubjects() throws Exception {
        AtomicInteger rpcOnly = new AtomicInteger();
        List<Event> events = SampleCapture.events();
        long rpcEvents = events.stream().filter(Event::hasRpcExtractor).count();
        try (EmbeddedBus bus = new EmbeddedBus(new BusStatistics(), 1000, Long.MAX_VALUE, 1000)) {
            bus.subscribe("test", List.of("rpc"), batch -> batch.forEach(e -> {
                assertEquals("rpc", e.subject());
                rpcOnly.incrementAndGet();
            }));
            events.forEach(e -> bus.publish(e, EventKind.of(e), "n"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> rpcOnly.get() == rpcEvents);
        }
    }

    /** A subscriber to every subject that holds each batch until {@code release}, then counts it in {@code got}. */
    private static void subscribeHeld(EmbeddedBus bus, CountDownLatch release, AtomicInteger got) {
        bus.subscribe("test", List.of(">", "ext.>"), batch -> {
            release.await();
            got.addAndGet(batch.size());
        });
    }
}
