package org.peerobserver.extractor.p2p;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The consumer's figures in the application's metrics registry (Prometheus at /observe/metrics), read at
 * scrape time and tagged with the route: open connections, connected nodes,
 * handshakes by transport, drops by reason and evictions.
 * Removed again when the consumer stops, so a restarted route never reports through a stopped one.
 */
final class P2pMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    P2pMetrics(MeterRegistry registry, BitcoinP2pConsumer consumer, String route) {
        this.registry = registry;
        meters.add(Gauge.builder("peerobserver_p2p_connections", consumer, c -> c.getOpenConnections())
                .description("open P2P connections, handshaking or not").tag("route", route).register(registry));
        meters.add(Gauge.builder("peerobserver_p2p_peers", consumer, c -> c.getConnectedPeers())
                .description("nodes connected over P2P (handshake done)").tag("route", route).register(registry));
        for (DropReason reason : DropReason.values()) {
            meters.add(FunctionCounter.builder("peerobserver_p2p_dropped", consumer, c -> c.drops(reason))
                    .description("P2P connections closed on the peer, by reason").tags("route", route, "reason", reason.label())
                    .register(registry));
        }
        for (String transport : List.of("v1", "v2")) {
            meters.add(FunctionCounter.builder("peerobserver_p2p_handshakes", consumer, c -> c.handshakes(transport))
                    .description("P2P version handshakes done, by transport (v2: BIP324)").tags("route", route, "transport", transport)
                    .register(registry));
        }
        meters.add(FunctionCounter.builder("peerobserver_p2p_evicted", consumer, c -> c.getEvictions())
                .description("P2P connections closed to make room for a newer one (also counted in dropped)")
                .tag("route", route).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
