package org.peerobserver.bus;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User and password reach the NATS server; wrong ones leave the bus DOWN with the server's reason. */
class NatsAuthIT extends AppTestSupport {
    static NatsServer nats;

    @BeforeAll
    static void start() throws Exception {
        nats = new NatsServer("--user", "peer", "--pass", "right");
    }

    @AfterAll
    static void stop() throws Exception {
        nats.close();
    }

    @Override
    protected Properties settings() {
        return props("camel.component.bus.configuration.type", "nats", "camel.component.bus.configuration.servers", nats.url(),
                "camel.component.bus.configuration.user", "peer", "camel.component.bus.configuration.password", "right",
                "camel.component.bus.configuration.startup-wait", "0");
    }

    @Test
    void rightPasswordConnects() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> busHealth(context) == HealthCheck.State.UP);
    }

    @Test
    void wrongPasswordIsDownWithTheServersReason() throws Exception {
        BusComponent bus = new BusComponent();
        bus.setCamelContext(context);
        bus.getConfiguration().setType("nats");
        bus.getConfiguration().setServers(nats.url());
        bus.getConfiguration().setUser("peer");
        bus.getConfiguration().setPassword("wrong");
        bus.getConfiguration().setStartupWait(Duration.ofSeconds(3));
        bus.start();
        try {
            String reason = bus.bus().unavailableReason();
            assertTrue(reason != null && reason.toLowerCase().contains("authorization"), reason);
        } finally {
            bus.stop();
        }
    }
}
