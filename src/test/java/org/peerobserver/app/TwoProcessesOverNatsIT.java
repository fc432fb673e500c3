package org.peerobserver.app;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.SampleCapture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/bus.md's distributed example: one process publishes the sample to NATS, another logs it. */
class TwoProcessesOverNatsIT {

    @Test
    void loggerProcessPrintsWhatTheExtractorProcessPublishes() throws Exception {
        try (NatsServer nats = new NatsServer();
             AppProcess logger = new AppProcess(Map.of("BUS", "nats", "NATS_ADDRESS", nats.url(),
                     "EXTRACTOR_TYPE", "none", "TOOLS", "logger"))) {
            logger.awaitLine(l -> l.contains("Connected to NATS"), Duration.ofSeconds(20));
            logger.awaitLine(l -> l.contains("Started tool-logger"), Duration.ofSeconds(20));
            try (AppProcess extractor = new AppProcess(Map.of("BUS", "nats", "NATS_ADDRESS", nats.url(),
                    "EXTRACTOR_TYPE", "replay", "TOOLS", "none", "REPLAY_SPEED", "0", "NODE_NAME", "alpha"))) {
                int expected = SampleCapture.events().size();
                await().atMost(30, TimeUnit.SECONDS).until(() -> logger.count(l -> l.contains("tool-logger - ")) >= expected);
                Thread.sleep(300);
                assertEquals(expected, logger.count(l -> l.contains("tool-logger - ")));
                assertEquals(expected, logger.count(l -> l.contains(" node=alpha ")));
                assertTrue(logger.lines().stream().anyMatch(l -> l.contains("tool-logger - ext.rpc_result node=alpha")));
                assertTrue(extractor.isAlive());
            }
        }
    }
}
