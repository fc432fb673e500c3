package org.peerobserver.bus;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** DOWN while the bus cannot take events (NATS not connected), with the reason. */
final class BusHealthCheck extends AbstractHealthCheck {
    private final BusComponent component;

    BusHealthCheck(BusComponent component) {
        super("peer-observer", "bus");
        this.component = component;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Bus bus = component.bus();
        String reason = bus == null ? "bus not started" : bus.unavailableReason();
        builder.detail("bus.type", component.getConfiguration().getType());
        if (reason == null) {
            builder.up();
        } else {
            builder.message(reason).down();
        }
    }
}
