package org.peerobserver.bus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the bus passed on and what it could not: nothing is dropped without being counted here. */
public final class BusStatistics {
    final LongAdder published = new LongAdder();
    final LongAdder publishFailed = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder subscriberOverflow = new LongAdder();
    /** Events a publisher numbered that never reached this process (core NATS across an outage). */
    final LongAdder lost = new LongAdder();
    /** Drops counted elsewhere, e.g. by jnats for a slow NATS subscriber. */
    private final List<LongSupplier> overflowSources = new CopyOnWriteArrayList<>();

    public long published() {
        return published.sum();
    }

    public long publishFailed() {
        return publishFailed.sum();
    }

    public long received() {
        return received.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long lost() {
        return lost.sum();
    }

    public long subscriberOverflow() {
        return subscriberOverflow.sum() + overflowSources.stream().mapToLong(LongSupplier::getAsLong).sum();
    }

    void addOverflowSource(LongSupplier source) {
        overflowSources.add(source);
    }

    /** The bus's meters, as the management port shows them. */
    public void bindTo(MeterRegistry registry) {
        counter(registry, "peerobserver_bus_published", "events handed to the bus", published);
        counter(registry, "peerobserver_bus_received", "events the bus delivered to subscribers", received);
        dropped(registry, "publish_failed", this, BusStatistics::publishFailed);
        dropped(registry, "malformed", this, BusStatistics::malformed);
        dropped(registry, "subscriber_overflow", this, BusStatistics::subscriberOverflow);
        dropped(registry, "lost", this, BusStatistics::lost);
    }

    private static void dropped(MeterRegistry registry, String reason, BusStatistics s,
            ToLongFunction<BusStatistics> value) {
        FunctionCounter.builder("peerobserver_bus_dropped", s, x -> value.applyAsLong(x))
                .description("events the bus lost, by reason").tag("reason", reason).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String help, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::doubleValue).description(help).register(registry);
    }
}
