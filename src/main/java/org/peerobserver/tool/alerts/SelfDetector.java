package org.peerobserver.tool.alerts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Handler;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.support.HostName;

/**
 * This process watching itself, on the route's timer: {@code events_dropped} when a {@code peerobserver_*_dropped}
 * counter of the management port grew (an eBPF ring buffer full, the bus losing events), {@code probe_detached} when
 * fewer eBPF probes are attached than before, and {@code health_down} when a health check goes DOWN. It sees only
 * what runs in its own process: for the others, the Prometheus rules (docs/alerting.md) watch their metrics.
 */
public class SelfDetector implements CamelContextAware {
    private CamelContext camelContext;
    private String node = "";

    private final Map<String, Double> lastCounts = new HashMap<>();
    private double attachedProbes;
    private final Map<String, HealthCheck.State> lastHealth = new HashMap<>();

    @Handler
    public synchronized List<ReceivedEvent> tick() {
        List<ReceivedEvent> alerts = new ArrayList<>();
        long now = System.currentTimeMillis();
        String n = node.isEmpty() ? HostName.local() : node;
        MeterRegistry meters = camelContext.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (meters != null) {
            for (Meter m : meters.getMeters()) {
                String name = m.getId().getName();
                if (m instanceof FunctionCounter c && name.startsWith("peerobserver_") && name.endsWith("_dropped")) {
                    dropped(m, c.count(), n, now, alerts);
                } else if (m instanceof Gauge g && name.equals("peerobserver_ebpf_attached_probes")) {
                    probes(g.value(), n, now, alerts);
                }
            }
        }
        for (HealthCheck.Result r : HealthCheckHelper.invoke(camelContext)) {
            HealthCheck.State was = lastHealth.put(r.getCheck().getId(), r.getState());
            if (r.getState() == HealthCheck.State.DOWN && was != HealthCheck.State.DOWN) {
                String why = r.getMessage().orElse("no reason given");
                alerts.add(Alerts.event(Alerts.alert("health_down", "critical", n, r.getCheck().getId(),
                        "health check " + r.getCheck().getId() + " is DOWN: " + why), now));
            }
        }
        return alerts;
    }

    private void dropped(Meter m, double count, String n, long now, List<ReceivedEvent> alerts) {
        String tags = m.getId().getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","));
        String key = m.getId().getName() + (tags.isEmpty() ? "" : "{" + tags + "}");
        Double before = lastCounts.put(key, count);
        if (count > (before == null ? 0 : before)) {
            double more = count - (before == null ? 0 : before);
            alerts.add(Alerts.event(Alerts.alert("events_dropped", "warning", n, key,
                    String.format(Locale.ROOT, "%.0f more counted in %s", more, key)).setValue(more).setThreshold(0), now));
        }
    }

    private void probes(double attached, String n, long now, List<ReceivedEvent> alerts) {
        if (attached < attachedProbes) {
            alerts.add(Alerts.event(Alerts.alert("probe_detached", "critical", n, "ebpf",
                    String.format(Locale.ROOT, "eBPF probes attached fell from %.0f to %.0f", attachedProbes, attached))
                    .setValue(attached).setThreshold(attachedProbes), now));
        }
        attachedProbes = attached;
    }

    /** Name of this process's node (NODE_NAME); empty: the host name. */
    public void setNode(String node) {
        this.node = node;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
