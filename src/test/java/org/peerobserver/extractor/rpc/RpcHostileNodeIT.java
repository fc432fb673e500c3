package org.peerobserver.extractor.rpc;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The attack on the packaged jar, at the launcher's 256 MiB heap: the node answers getpeerinfo with 16 MB of
 * {@code [{},{},...]} (under the 16 MiB size cap), whose tree would need about 480 MB. Polling must go on,
 * health must say DOWN with the reason, and both must recover once the node answers properly. (With the
 * token budget raised out of the way, the JVM ran out of heap not only in the poll thread, which goes on,
 * but in whatever else allocated at the time, such as the bus's subscriber thread: the budget is the fix.)
 */
class RpcHostileNodeIT {
    private static final String EMPTY_OBJECTS = FakeBitcoind.emptyObjects(16_000_000);

    private static Map<String, String> settings(FakeBitcoind node) {
        Map<String, String> env = new HashMap<>(Map.of("EXTRACTOR_TYPE", "rpc", "TOOLS", "logger", "LOGGER_FILTER", "rpc",
                "RPC_PORT", Integer.toString(node.port()), "RPC_USER", "alice", "RPC_PASSWORD", "pw",
                "RPC_QUERY_INTERVAL", "1", "RPC_MAX_BACKOFF", "1", "RPC_TIMEOUT", "10", "RPC_FAILURES_BEFORE_DOWN", "2"));
        // what bin/peer-observer gives the JVM
        env.put("JAVA_TOOL_OPTIONS", "-Xms32m -Xmx256m");
        return env;
    }

    @Test
    void theTokenBudgetRefusesTheAnswerBeforeItFillsTheHeap() throws Exception {
        try (FakeBitcoind node = new FakeBitcoind("alice:pw").withCoreFixtures(30)) {
            node.result("getpeerinfo", EMPTY_OBJECTS);
            try (AppProcess app = new AppProcess(settings(node))) {
                String health = awaitHealth(app, 503, "getpeerinfo: answer has more than 500000 JSON values", Duration.ofSeconds(60));
                assertTrue(health.contains("consumer:extractor-rpc"), health);
                pollingGoesOn(node);
                String metrics = app.get("/observe/metrics").body();
                assertTrue(metrics.contains("peerobserver_rpc_refused_answers_total{method=\"getpeerinfo\",reason=\"too_complex\"}"),
                        metrics);
                recovers(app, node);
                assertEquals(0, app.count(l -> l.contains("OutOfMemoryError")), String.join("\n", app.lines()));
            }
        }
    }

    private static void pollingGoesOn(FakeBitcoind node) throws InterruptedException {
        long asked = node.methodsCalled().stream().filter("getpeerinfo"::equals).count();
        Waiting.until(30_000, () -> node.methodsCalled().stream().filter("getpeerinfo"::equals).count() >= asked + 2,
                () -> "getpeerinfo asked again");
    }

    private static void recovers(AppProcess app, FakeBitcoind node) throws Exception {
        node.result("getpeerinfo", FakeBitcoind.fixture("getpeerinfo-v30.json"));
        awaitHealth(app, 200, "\"UP\"", Duration.ofSeconds(30));
        app.awaitLine(l -> l.contains("tool-logger - rpc.peer_infos"), Duration.ofSeconds(30));
        assertTrue(app.isAlive());
    }

    private static String awaitHealth(AppProcess app, int status, String containing, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> health = app.get("/observe/health");
                last = health.statusCode() + " " + health.body();
                if (health.statusCode() == status && health.body().contains(containing)) {
                    return health.body();
                }
            } catch (java.io.IOException e) {
                last = e.toString();  // not listening yet
            }
            if (!app.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        fail("health never " + status + " with " + containing + "; last: " + last + "\noutput:\n" + String.join("\n", app.lines()));
        return null;
    }
}
