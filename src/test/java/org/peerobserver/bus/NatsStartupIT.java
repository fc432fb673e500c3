package org.peerobserver.bus;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.peerobserver.testing.NatsAppTestSupport;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application starts while NATS is down, reports DOWN, counts what it cannot send, and connects later. */
class NatsStartupIT extends NatsAppTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("camel.component.bus.configuration.startup-wait", "0");
    }

    @Test
    void startsWithoutNatsAndConnectsWhenItComes() throws Exception {
        nats.stop();
        context.start();
        assertTrue(context.isStarted(), "the application starts without NATS");
        assertEquals(HealthCheck.State.DOWN, busHealth(context));
        template.sendBody("bus:publish", SampleCapture.events().get(0));
        BusStatistics stats = context.getComponent("bus", BusComponent.class).getStatistics();
        assertEquals(1, stats.publishFailed(), "an event that cannot reach NATS is counted, not lost silently");

        nats.start();
        await().atMost(20, TimeUnit.SECONDS).until(() -> busHealth(context) == HealthCheck.State.UP);
        Connection c = client();
        List<Message> seen = collect(c, "*");
        template.sendBody("bus:publish", SampleCapture.events().get(0));
        await().atMost(5, TimeUnit.SECONDS).until(() -> seen.size() == 1);
    }
}
