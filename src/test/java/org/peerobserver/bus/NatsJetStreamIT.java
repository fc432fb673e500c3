package org.peerobserver.bus;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * BUS_NATS_JETSTREAM: the same outage as {@link NatsOutageIT}, on a JetStream stream whose store
 * directory survives the restart. Publishers wait for the stream, tools read with a durable consumer:
 * every event arrives.
 */
class NatsJetStreamIT extends AppTestSupport {
    @TempDir
    static Path store;
    static NatsServer nats;

    @BeforeAll
    static void start() throws Exception {
        nats = new NatsServer("-js", "-sd", store.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        nats.close();
    }

    @Override
    protected Properties settings() {
        return props("camel.component.bus.configuration.type", "nats", "camel.component.bus.configuration.servers", nats.url(),
                "camel.component.bus.configuration.jet-stream", "EVENTS", "camel.component.bus.configuration.node", "alpha");
    }

    @Test
    void nothingIsLostAcrossARestart() throws Exception {
        try (OutageRun run = new OutageRun(nats, "EVENTS")) {
            run.publish(template, nats, 5000, 6, 2, 2);
            await().atMost(60, TimeUnit.SECONDS).alias("distinct events at the tool")
                    .until(() -> run.seen.size() == run.sent);
            BusStatistics extractor = context.getComponent("bus", BusComponent.class).getStatistics();
            System.out.printf("NATS outage (JetStream, 2 s, asked %d events/s, got %.0f): sent %d, stored %d, delivered"
                    + " %d distinct (%d deliveries), first delivery %d ms after nats-server listened again%n", 5000,
                    run.achievedRate, run.sent, extractor.published(), run.seen.size(), run.deliveries.get(),
                    run.recoveryMillis());
            assertEquals(run.sent, extractor.published());
            assertEquals(0, extractor.publishFailed());
            assertEquals(LongStream.range(0, run.sent).boxed().toList(), run.seen.stream().sorted().toList());
        }
    }
}
