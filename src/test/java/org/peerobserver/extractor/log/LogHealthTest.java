package org.peerobserver.extractor.log;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.ObservedHealth;

/**
 * /observe/health of the log extractor: DOWN with the reason while debug.log is missing or cannot be read
 * (here: a directory where the file should be; as root no permission is denied), UP while it is read.
 */
class LogHealthTest extends AppTestSupport {
    @TempDir
    static Path dir;
    private static int managementPort;

    @Override
    protected Properties settings() {
        try {
            managementPort = NatsServer.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props("extractors", "log", "log.file", dir.resolve("debug.log").toString(),
                "camel.management.enabled", "true", "camel.management.port", Integer.toString(managementPort));
    }

    @Test
    void downWhileTheLogCannotBeReadUpWhenItCan() throws Exception {
        Path log = dir.resolve("debug.log");
        awaitHealth(h -> h.down(log + " does not exist (yet)"));

        Files.writeString(log, "2025-11-20T10:00:00Z a line\n");
        awaitHealth(ObservedHealth::up);

        // the path now names a directory: the old file is read to its end, the new "file" cannot be read
        Files.delete(log);
        Files.createDirectory(log);
        awaitHealth(h -> h.down("cannot read " + log + ": " + log + " is a directory, not a log file"));

        Files.delete(log);
        Files.writeString(log, "2025-11-20T10:00:01Z another line\n");
        awaitHealth(ObservedHealth::up);
    }

    private static void awaitHealth(java.util.function.Predicate<ObservedHealth> expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ObservedHealth.of(managementPort, "consumer:extractor-log"), expected);
    }
}
