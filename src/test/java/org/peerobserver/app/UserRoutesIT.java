package org.peerobserver.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.Commands;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What docs/routes.md and docs/events.md show: copy the routes, edit one, run with ROUTES_DIR, and reload it while running. */
class UserRoutesIT {
    @TempDir
    Path dir;


    private void editLogger(String logName) throws IOException {
        Path logger = dir.resolve("tools/logger.camel.yaml");
        Files.writeString(logger, Files.readString(logger).replaceAll("logName: \\S+", "logName: " + logName));
    }

    /** docs/events.md's example: the logger route, in batches, of the addr and addrv2 kinds only. */
    @Test
    void kindsFilterExampleLogsOnlyAddrMessages() throws Exception {
        Commands.copyBundledRoutes(dir);
        String steps = EventsDocIT.example("a logger that prints only `addr` and `addrv2` messages");
        Path logger = dir.resolve("tools/logger.camel.yaml");
        String route = Files.readString(logger);
        Files.writeString(logger, route.substring(0, route.indexOf("      parameters:")) + steps);
        try (AppProcess app = new AppProcess(Map.of("ROUTES_DIR", dir.toString(), "REPLAY_SPEED", "0"))) {
            app.awaitLine(l -> l.contains("Replay of ") && l.contains(" finished"), Duration.ofSeconds(30));
            Thread.sleep(500);
            List<String> lines = app.lines().stream().filter(l -> l.contains("tool-logger - ")).toList();
            assertTrue(lines.size() >= 2 && lines.stream().allMatch(l -> l.contains("tool-logger - message.addr")), lines.toString());
        }
    }

    @Test
    void editedRouteFileRunsAndReloads() throws Exception {
        Commands.copyBundledRoutes(dir);
        editLogger("my-logger");
        try (AppProcess app = new AppProcess(Map.of("ROUTES_DIR", dir.toString(), "ROUTES_RELOAD", "true",
                "REPLAY_LOOP", "true", "REPLAY_SPEED", "20"))) {
            app.awaitLine(l -> l.contains("my-logger - "), Duration.ofSeconds(20));
            editLogger("edited-again");
            app.awaitLine(l -> l.contains("edited-again - "), Duration.ofSeconds(30));
            assertTrue(app.isAlive());
        }
    }
}
