package org.peerobserver.bus;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.NatsAppTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nats-server killed for two seconds while an extractor publishes 5,000 events a second on core NATS:
 * publishing and delivery resume by themselves, and every event is accounted for: delivered, counted
 * as lost by the receiver (numbered messages with a gap), or counted as failed by the publisher.
 */
class NatsOutageIT extends NatsAppTestSupport {

    @Override
    protected Properties extraSettings() {
        return props("extractors", "none", "tools", "none");
    }

    @Test
    void everyEventIsDeliveredOrCountedAsLost() throws Exception {
        context.start();
        try (CapturedLog log = new CapturedLog(NatsBus.class); OutageRun run = new OutageRun(nats, null)) {
            run.publish(template, nats, 5000, 8, 2, 2);
            BusStatistics extractor = context.getComponent("bus", BusComponent.class).getStatistics();
            BusStatistics tool = run.tool.getStatistics();
            // untilAsserted: a run that never balances says by how much, and on which side
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(run.sent,
                    tool.received() + tool.lost() + extractor.publishFailed(), () -> "received " + tool.received() + ", lost "
                            + tool.lost() + ", publish failed " + extractor.publishFailed()));

            System.out.printf("NATS outage (core NATS, 2 s at %.0f events/s): sent %d, publish failed %d, delivered %d,"
                    + " lost and counted %d, first delivery %d ms after nats-server listened again%n", run.achievedRate,
                    run.sent, extractor.publishFailed(), tool.received(), tool.lost(), run.recoveryMillis());
            assertEquals(run.sent, run.deliveries.get() + tool.lost() + extractor.publishFailed());
            assertEquals(run.deliveries.get(), run.seen.size(), "no event twice");
            assertTrue(run.seen.contains(run.sent - 1), "the last events, sent after the restart, arrived");
            if (tool.lost() > 0) {
                assertTrue(log.lines("WARN").stream().anyMatch(l -> l.contains("never arrived")), log.lines()::toString);
            }
        }
    }
}
