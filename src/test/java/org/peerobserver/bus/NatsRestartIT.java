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
import org.peerobserver.testing.SampleEvents;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nats-server killed and started again mid-stream: publishing resumes without restarting the application. */
class NatsRestartIT extends NatsAppTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("extractors", "replay", "camel.component.replay.configuration.speed", "4", "camel.component.replay.configuration.loop", "true",
                "replay.file", SampleCapture.tempFile(new SampleEvents(5, 1_700_000_000_000L).session(20)));  // ~7 events/s
    }

    @Test
    void publishingResumesWhenNatsComesBack() throws Exception {
        Connection c = client();
        List<Message> seen = collect(c, ">");
        context.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() > 20);

        nats.stop();
        await().atMost(10, TimeUnit.SECONDS).until(() -> busHealth(context) == HealthCheck.State.DOWN);
        Thread.sleep(1000);
        nats.start();
        await().atMost(20, TimeUnit.SECONDS).until(() -> busHealth(context) == HealthCheck.State.UP);
        // a fresh subscriber: what is tested is the application's reconnect, not this client's
        List<Message> afterRestart = collect(client(), ">");
        BusStatistics stats = context.getComponent("bus", BusComponent.class).getStatistics();
        await().atMost(20, TimeUnit.SECONDS).alias("events after the restart; bus published " + stats.published()
                + ", failed " + stats.publishFailed()).until(() -> afterRestart.size() > 20);
        assertTrue(context.getRouteController().getRouteStatus("extractor-replay").isStarted());
    }
}
