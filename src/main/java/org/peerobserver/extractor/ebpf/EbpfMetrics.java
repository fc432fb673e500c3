package org.peerobserver.extractor.ebpf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The consumer's figures in the application's metrics registry (Prometheus at /observe/metrics), read
 * at scrape time: attached probes, events per tracepoint group, drops per ring buffer. Removed again
 * when the consumer stops, so a restarted route never reports through a stopped one.
 */
final class EbpfMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    EbpfMetrics(MeterRegistry registry, BitcoinEbpfConsumer consumer) {
        this.registry = registry;
        meters.add(Gauge.builder("peerobserver_ebpf_attached_probes", consumer, c -> c.getAttachedProbes())
                .description("tracepoints attached to bitcoind (0 while it does not run)").register(registry));
        for (Tracepoint.Group group : Tracepoint.Group.values()) {
            counter("peerobserver_ebpf_events", "events decoded and handed on, by tracepoint group", consumer,
                    c -> c.events(group), "group", group.name().toLowerCase());
        }
        for (int slot = 0; slot <= Records.RINGS.length; slot++) {
            int s = slot;
            counter("peerobserver_ebpf_dropped", "records lost: ring buffer full (by ring buffer), or message over 4 MiB",
                    consumer, c -> c.drops(s), "ring", slot < Records.RINGS.length ? Records.RINGS[slot] : Records.OVERSIZED);
        }
        counter("peerobserver_ebpf_malformed_records", "records that did not match their layout, skipped", consumer,
                c -> c.getMalformedRecords());
    }

    private void counter(String name, String help, BitcoinEbpfConsumer consumer, ToDoubleFunction<BitcoinEbpfConsumer> value,
            String... tags) {
        meters.add(FunctionCounter.builder(name, consumer, value).description(help).tags(tags).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
