package org.peerobserver.app;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.testing.AppProcess;
import org.peerobserver.testing.Commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route files edited while the packaged jar runs with ROUTES_RELOAD: a file that does not build (unknown
 * bean method, unknown component), that reuses another file's route id, or that does not parse is refused
 * with its file, line and cause; the running route goes on logging events; health is DOWN until the file
 * loads, and a good version of it replaces the running route.
 */
class RouteReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;


    @Test
    void brokenFilesAreRefusedWithFileLineAndCauseAndTheRunningRouteStays() throws Exception {
        Commands.copyBundledRoutes(dir);
        Path logger = dir.resolve("tools/logger.camel.yaml");
        String good = Files.readString(logger);
        try (AppProcess app = new AppProcess(Map.of("ROUTES_DIR", dir.toString(), "ROUTES_RELOAD", "true",
                "REPLAY_LOOP", "true", "REPLAY_SPEED", "20"))) {
            app.awaitLine(l -> l.contains("tool-logger - "), WAIT);
            assertEquals(200, app.get("/observe/health").statusCode());

            // a valid YAML file whose route cannot be built: an unknown bean method, then an unknown component
            Files.writeString(logger, good.replace("method: log\n", "method: logx\n"));
            String refused = app.awaitLine(l -> l.contains("Route file tools/logger.camel.yaml not loaded"), WAIT);
            assertTrue(refused.contains("its running routes are kept: line " + lineOf(good, "- bean:")
                    + ": Method with name: logx not found on bean"), refused);
            stillLogging(app, "tool-logger - ");
            healthDownNaming(app, "tools/logger.camel.yaml");

            Files.writeString(logger, good.replace("uri: bus:subscribe", "uri: nosuch:subscribe"));
            refused = app.awaitLine(l -> l.contains("not loaded") && l.contains("nosuch://subscribe"), WAIT);
            assertTrue(refused.contains("line " + lineOf(good, "uri: bus:subscribe") + ": No endpoint could be found for:"
                    + " nosuch://subscribe"), refused);
            stillLogging(app, "tool-logger - ");

            // fixed (and renamed): it replaces the running route, and health is UP again
            Files.writeString(logger, good.replace("logName: tool-logger", "logName: edited-logger"));
            app.awaitLine(l -> l.contains("Route file tools/logger.camel.yaml reloaded: tool-logger"), WAIT);
            app.awaitLine(l -> l.contains("edited-logger - "), WAIT);
            healthUp(app);

            // a second file with the same route id does not replace the running route
            Path second = dir.resolve("tools/second.camel.yaml");
            Files.writeString(second, good.replace("logName: tool-logger", "logName: second-logger"));
            refused = app.awaitLine(l -> l.contains("Route file tools/second.camel.yaml not loaded"), WAIT);
            assertTrue(refused.contains("route id tool-logger is already used by tools/logger.camel.yaml"), refused);
            stillLogging(app, "edited-logger - ");
            healthDownNaming(app, "tools/second.camel.yaml");
            assertEquals(0, app.count(l -> l.contains("second-logger - ")));
            Files.delete(second);
            healthUp(app);

            // a capture that is not there: refused before the running replay is touched
            Path replay = dir.resolve("extractors/replay.camel.yaml");
            String replayRoute = Files.readString(replay);
            Files.writeString(replay, replayRoute.replace("replay:{{replay.file}}", "replay:/nonexistent/old.capture"));
            refused = app.awaitLine(l -> l.contains("Route file extractors/replay.camel.yaml not loaded"), WAIT);
            assertTrue(refused.contains("line " + lineOf(replayRoute, "uri: \"replay:") + ": the capture /nonexistent/old.capture"
                    + " cannot be read"), refused);
            healthDownNaming(app, "extractors/replay.camel.yaml");
            Files.writeString(replay, replayRoute);
            app.awaitLine(l -> l.contains("Route file extractors/replay.camel.yaml reloaded: extractor-replay"), WAIT);
            healthUp(app);

            // routes that build but one cannot start (its port is taken): the file's previous version starts again
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                String extra = "- route:\n    id: tool-logger-extra\n    from:\n      uri: bitcoin-p2p:listen\n      parameters:\n"
                        + "        host: 127.0.0.1\n        port: " + taken.getLocalPort() + "\n      steps:\n        - to: bus:publish\n";
                String edited = good.replace("logName: tool-logger", "logName: extra-logger");
                Files.writeString(logger, edited + extra);
                refused = app.awaitLine(l -> l.contains("Route file tools/logger.camel.yaml not loaded")
                        && l.contains("Cannot listen for Bitcoin nodes"), WAIT);
                assertTrue(refused.contains("line " + lineOf(edited + extra, "uri: bitcoin-p2p:listen") + ": "), refused);
                stillLogging(app, "edited-logger - ");
                healthDownNaming(app, "tools/logger.camel.yaml");
            }
            Files.writeString(logger, good.replace("logName: tool-logger", "logName: edited-logger"));
            healthUp(app);

            // YAML that does not parse: line, column and the parser's words
            Files.writeString(dir.resolve("tools/broken.camel.yaml"), "- route:\n    id: broken\n   from: [\n");
            refused = app.awaitLine(l -> l.contains("Route file tools/broken.camel.yaml not loaded"), WAIT);
            assertTrue(refused.contains("line 3, column 4: expected <block end>, but found '<block mapping start>'"), refused);
            healthDownNaming(app, "tools/broken.camel.yaml");
            stillLogging(app, "edited-logger - ");
            assertTrue(app.isAlive());
            assertEquals(0, app.count(l -> l.startsWith("\tat ")), "no stack trace");
        }
    }

    private static int lineOf(String text, String what) {
        String before = text.substring(0, text.indexOf(what));
        return (int) before.chars().filter(c -> c == '\n').count() + 1;
    }

    /** The running route goes on: new lines from it after the refusal. */
    private static void stillLogging(AppProcess app, String prefix) throws InterruptedException {
        long seen = app.count(l -> l.contains(prefix));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (app.count(l -> l.contains(prefix)) < seen + 5) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no more '" + prefix + "' lines; output:\n" + String.join("\n", app.lines()));
            }
            Thread.sleep(100);
        }
    }

    /** DOWN with the file named (its last part: JSON escapes the slash). */
    private static void healthDownNaming(AppProcess app, String file) throws Exception {
        String name = file.substring(file.lastIndexOf('/') + 1);
        awaitHealth(app, h -> h.statusCode() == 503 && h.body().contains("\"route-files\",\"status\":\"DOWN\"")
                && h.body().contains(name));
    }

    private static void healthUp(AppProcess app) throws Exception {
        awaitHealth(app, h -> h.statusCode() == 200);
    }

    private static void awaitHealth(AppProcess app, Predicate<HttpResponse<String>> expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> health;
        while (!expected.test(health = app.get("/observe/health"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("health: " + health.statusCode() + " " + health.body());
            }
            Thread.sleep(200);
        }
    }
}
