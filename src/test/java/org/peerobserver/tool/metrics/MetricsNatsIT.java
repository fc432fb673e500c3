package org.peerobserver.tool.metrics;

import java.time.Duration;
import java.util.Properties;

import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.peerobserver.bus.BusComponent;
import org.peerobserver.bus.BusStatistics;
import org.peerobserver.bus.NatsPayload;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.rpc;
import org.peerobserver.testing.NatsAppTestSupport;
import org.peerobserver.testing.SampleEvents;

import static org.awaitility.Awaitility.await;

/**
 * On a real nats-server, as behind upstream's extractors: one series per node, and payloads that
 * are not events counted while the tool keeps going (upstream's tool exits on them).
 */
class MetricsNatsIT extends NatsAppTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("tools", "metrics", "metrics.address", "127.0.0.1:0");
    }

    @Test
    void nodesAreLabelledAndMalformedPayloadsCounted() throws Exception {
        context.start();
        SampleEvents s = new SampleEvents(3, 1_700_000_000_000L);
        Connection c = client();
        c.publish("rpc", s.rpc(rpc.newBuilder().setUptime(42).build()).toByteArray());  // upstream: no stamp, so no node
        c.publish("rpc", new byte[] {1, 2, 3});
        c.publish("rpc", Event.newBuilder().setTimestamp(5).build().toByteArray());  // no extractor event set
        c.publish("rpc", NatsPayload.encode(s.rpc(rpc.newBuilder().setUptime(7).build()), "beta", 1, 1));
        c.flush(Duration.ofSeconds(2));

        Scraper scraper = new Scraper(context);
        // the bad payloads are the bus's to count (peerobserver_bus_dropped_total{reason="malformed"} on the management port)
        BusStatistics bus = context.getComponent("bus", BusComponent.class).getStatistics();
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.has("peerobserver_rpc_uptime{node=\"beta\"} 7"));
        await().atMost(Duration.ofSeconds(10)).until(() -> scraper.has("peerobserver_rpc_uptime{node=\"unknown\"} 42")
                && bus.malformed() == 2
                && scraper.has("peerobserver_events_received_total{subject=\"rpc\"} 2.0"));
    }
}
