package org.peerobserver.app;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's quick start (plus CAMEL_ROUTE_METRICS): in-JVM bus, replay of the bundled sample, logger.
 * Also the management server: health, metrics and Jolokia with every route visible as an MBean.
 */
class EmbeddedDefaultIT {

    @Test
    void replaysTheSampleIntoTheLoggerAndIsObservable() throws Exception {
        // Camel's per-route metrics are off by default (their cost: bench/README.md); the setting brings them back
        try (AppProcess app = new AppProcess(Map.of("CAMEL_ROUTE_METRICS", "true"))) {
            String first = app.awaitLine(l -> l.contains("tool-logger - "), Duration.ofSeconds(20));
            assertTrue(first.endsWith("tool-logger - rpc.uptime node=" + first.replaceAll(".* node=(\\S+) .*", "$1")
                    + " at=2025-11-22T00:00:00Z uptime=86400"), first);

            HttpResponse<String> health = app.get("/observe/health");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"name\":\"bus\",\"status\":\"UP\""), health.body());

            String metrics = app.get("/observe/metrics").body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("peerobserver_bus_published_total ")), metrics);
            assertTrue(metrics.contains("peerobserver_bus_dropped_total{reason=\"subscriber_overflow\"} 0.0"), metrics);
            assertTrue(metrics.contains("routeId=\"tool-logger\""), "route metrics");

            String routes = app.get("/observe/jolokia/search/org.apache.camel:type=routes,*").body();
            assertTrue(routes.contains("name=\\\"extractor-replay\\\"") && routes.contains("name=\\\"tool-logger\\\""), routes);
            String completed = app.get("/observe/jolokia/read/org.apache.camel:context=peer-observer,type=routes,"
                    + "name=%22tool-logger%22/ExchangesCompleted").body();
            assertTrue(completed.matches(".*\"value\":[1-9][0-9]*.*"), completed);
        }
    }

    @Test
    void aBadSettingStopsTheProcessWithTheSettingNamed() throws Exception {
        try (AppProcess app = new AppProcess(Map.of("BUS", "kafka"))) {
            assertEquals(2, app.waitFor(Duration.ofSeconds(30)));
            assertTrue(app.lines().contains("peer-observer: cannot start: BUS is 'kafka', but it takes one of embedded, nats"),
                    String.join("\n", app.lines()));
            assertTrue(app.count(l -> l.startsWith("\tat ")) <= 1, "no stack trace dump, at most the first frame");
        }
    }
}
