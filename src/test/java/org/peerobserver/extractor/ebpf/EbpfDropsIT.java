package org.peerobserver.extractor.ebpf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.Properties;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Tiny ring buffers flooded at full speed: what is not received is exactly what the drop counter says,
 * and the Prometheus registry (/observe/metrics) says the same.
 */
class EbpfDropsIT extends EbpfTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("camel.component.bitcoin-ebpf.configuration.ring-buffer-size", "4096", "camel.component.bus.configuration.queue-size", "100000",
                "camel.metrics.enabled", "true");
    }

    @Test
    void dropsEqualFiredMinusReceived() throws Exception {
        long fired;
        try (UsdtTarget target = UsdtTarget.start("mempool:added", 20_000, 0)) {
            Files.writeString(PID_FILE, target.pid() + "\n");
            fired = target.awaitFired();
        }
        assertEquals(20_000, fired);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertEquals(fired, RECEIVED.size() + ebpfConsumer().drops().get("rb_mempool")));
        long dropped = ebpfConsumer().drops().get("rb_mempool");
        assertTrue(dropped > 0, "a 4 KiB ring buffer kept up with 20,000 events fired at full speed");
        assertEquals(dropped, ebpfConsumer().getDropsTotal());
        Thread.sleep(300);   // and nothing more arrives
        assertEquals(fired, RECEIVED.size() + dropped);

        String metrics = scrape();
        assertEquals(List.of("peerobserver_ebpf_dropped_total{ring=\"rb_mempool\"} " + (double) dropped,
                "peerobserver_ebpf_dropped_total{ring=\"rb_msg_small\"} 0.0",
                "peerobserver_ebpf_dropped_total{ring=\"oversized_messages\"} 0.0",
                "peerobserver_ebpf_events_total{group=\"mempool\"} " + (double) RECEIVED.size(),
                "peerobserver_ebpf_events_total{group=\"messages\"} 0.0",
                "peerobserver_ebpf_malformed_records_total 0.0"),
                Stream.of("peerobserver_ebpf_dropped_total{ring=\"rb_mempool\"}",
                        "peerobserver_ebpf_dropped_total{ring=\"rb_msg_small\"}",
                        "peerobserver_ebpf_dropped_total{ring=\"oversized_messages\"}",
                        "peerobserver_ebpf_events_total{group=\"mempool\"}",
                        "peerobserver_ebpf_events_total{group=\"messages\"}", "peerobserver_ebpf_malformed_records_total ")
                        .map(name -> metrics.lines().filter(l -> l.startsWith(name)).findFirst().orElse(name + " missing"))
                        .toList());
        // the default groups' 13 tracepoints while a target runs (this one for about 3 s)
        try (UsdtTarget target = UsdtTarget.start("mempool:added", 3, 1)) {
            Files.writeString(PID_FILE, target.pid() + "\n");
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> scrape().lines().anyMatch(l -> l.equals("peerobserver_ebpf_attached_probes 13.0")));
            target.awaitFired();
        }
    }

    private String scrape() {
        return context.getRegistry().lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class).scrape();
    }
}
