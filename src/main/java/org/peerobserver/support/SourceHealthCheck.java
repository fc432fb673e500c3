package org.peerobserver.support;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.URISupport;

/**
 * The health of a consumer that reads a source on its own thread (probes, a file): DOWN with the reason
 * its source gives while it cannot read (no process, probes not attached, file missing or unreadable),
 * UP while it can. Camel's consumer check shows it under {@code consumer:<route id>} on /observe/health.
 */
public final class SourceHealthCheck extends AbstractHealthCheck {
    private final Supplier<String> problem;

    private SourceHealthCheck(String id, Supplier<String> problem) {
        super("camel", id);
        this.problem = problem;
    }

    /**
     * Gives {@code consumer} this check, when its component has consumer health checks on (as Camel's own
     * polling consumers do). {@code problem} says why the source cannot be read now, or null when it can.
     */
    public static void install(DefaultConsumer consumer, Supplier<String> problem) {
        if (consumer.getEndpoint().getComponent() instanceof HealthCheckComponent c && c.isHealthCheckConsumerEnabled()) {
            String uri = URISupport.sanitizeUri(consumer.getEndpoint().getEndpointUri());
            consumer.setHealthCheck(new SourceHealthCheck("source:" + uri, problem));
        }
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String why = problem.get();
        if (why == null) {
            builder.up();
        } else {
            builder.message(why).down();
        }
    }
}
