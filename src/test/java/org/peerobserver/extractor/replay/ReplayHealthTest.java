package org.peerobserver.extractor.replay;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.ObservedHealth;
import org.peerobserver.testing.SampleCapture;

/** /observe/health of the replay extractor: DOWN with the reason once the capture turns out damaged. */
class ReplayHealthTest extends AppTestSupport {
    @TempDir
    static Path dir;
    private static int managementPort;

    @Override
    protected Properties settings() {
        List<Event> events = SampleCapture.events();
        // ten events, then a record whose length holds but whose bytes are no event
        byte[] garbage = new byte[21];
        garbage[0] = 20;
        Arrays.fill(garbage, 1, 21, (byte) 0xff);
        try {
            managementPort = NatsServer.freePort();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SampleCapture.write(events.subList(0, 10), out);
            out.write(garbage);
            Files.write(dir.resolve("damaged.capture"), out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props("extractors", "replay", "replay.file", dir.resolve("damaged.capture").toString(),
                "camel.component.replay.configuration.speed", "0",
                "camel.management.enabled", "true", "camel.management.port", Integer.toString(managementPort));
    }

    @Test
    void downOnceTheCaptureIsFoundDamaged() {
        await().atMost(Duration.ofSeconds(10)).until(() -> ObservedHealth.of(managementPort, "consumer:extractor-replay"),
                h -> h.down("the capture " + dir.resolve("damaged.capture") + " is damaged at byte ")
                        && h.message().contains(": record 11 is not an event: ")
                        && h.message().endsWith("; replay stopped after 10 events"));
    }
}
