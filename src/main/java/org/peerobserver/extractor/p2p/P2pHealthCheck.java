package org.peerobserver.extractor.p2p;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The consumer's health: {@code listen} is UP while it listens, {@code connect} while the node is connected;
 * otherwise DOWN with the reason (the port taken, the node unreachable).
 */
final class P2pHealthCheck extends AbstractHealthCheck {
    private final BitcoinP2pConsumer consumer;

    P2pHealthCheck(BitcoinP2pConsumer consumer) {
        super("camel", "consumer:" + consumer.getRouteId());
        this.consumer = consumer;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("p2p.connected.peers", consumer.getConnectedPeers());
        builder.detail("p2p.open.connections", consumer.getOpenConnections());
        String problem = consumer.problem();
        if (problem == null) {
            builder.up();
        } else {
            builder.down().message(problem);
        }
    }
}
