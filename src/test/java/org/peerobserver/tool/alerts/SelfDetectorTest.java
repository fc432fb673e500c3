package org.peerobserver.tool.alerts;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.ReceivedEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peerobserver.tool.alerts.Events.alert;

/** The process watching itself: a drop counter that grows, fewer probes attached, a health check going DOWN; each once. */
class SelfDetectorTest {

    @Test
    void dropsDetachedProbesAndHealthDownFireOnceEach() throws Exception {
        AtomicLong dropped = new AtomicLong();
        AtomicLong probes = new AtomicLong(6);
        AtomicReference<HealthCheck.State> health = new AtomicReference<>(HealthCheck.State.UP);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FunctionCounter.builder("peerobserver_bus_dropped", dropped, AtomicLong::doubleValue).tag("reason", "full").register(meters);
        // a counter not named *_dropped is not a loss
        FunctionCounter.builder("peerobserver_events_received", dropped, AtomicLong::doubleValue).register(meters);
        Gauge.builder("peerobserver_ebpf_attached_probes", probes, AtomicLong::doubleValue).register(meters);
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("metricsRegistry", meters);
            context.start();
            HealthCheckRegistry.get(context).register(new AbstractHealthCheck("test-probe") {
                @Override
                protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                    builder.state(health.get()).message("ring buffer closed");
                }
            });
            SelfDetector self = new SelfDetector();
            self.setCamelContext(context);
            self.setNode("alice");

            assertEquals(List.of(), names(self.tick()), "all well");
            dropped.addAndGet(40);
            List<ReceivedEvent> first = self.tick();
            assertEquals(List.of("events_dropped"), names(first));
            assertEquals(40.0, alert(first.get(0)).getValue());
            assertEquals("peerobserver_bus_dropped{reason=full}", alert(first.get(0)).getKey());
            assertEquals(List.of(), names(self.tick()), "no new drops");

            probes.set(4);
            health.set(HealthCheck.State.DOWN);
            List<ReceivedEvent> second = self.tick();
            assertEquals(List.of("probe_detached", "health_down"), names(second));
            assertEquals("alice", alert(second.get(1)).getNode());
            assertEquals(List.of(), names(self.tick()), "still down, still 4 probes: said once");
        }
    }

    private static List<String> names(List<ReceivedEvent> alerts) {
        return alerts.stream().map(e -> alert(e).getName()).toList();
    }
}
