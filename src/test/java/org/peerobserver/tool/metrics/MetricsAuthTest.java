package org.peerobserver.tool.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.AppTestSupport;

/** The metrics tool's route with METRICS_AUTH_USERNAME/_PASSWORD set: Prometheus needs the credentials. */
class MetricsAuthTest extends AppTestSupport {

    @Override
    protected Properties settings() {
        return props("tools", "metrics", "metrics.address", "127.0.0.1:0",
                "metrics.auth-username", "prometheus", "metrics.auth-password", "s3cret:x");
    }

    private static HttpRequest.Builder as(String credentials) {
        return HttpRequest.newBuilder().header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void onlyTheConfiguredCredentialsGetTheMetrics() throws Exception {
        Scraper scraper = new Scraper(context);
        assertEquals(401, scraper.status(HttpRequest.newBuilder(), "/metrics"));
        assertEquals(401, scraper.status(as("prometheus:s3cret"), "/metrics"));
        assertEquals(200, scraper.status(as("prometheus:s3cret:x"), "/metrics"));
    }

    @Test
    void bothSettingsOrNeither() {
        assertNull(BasicAuth.fromSettings("", "", "Metrics", "METRICS_AUTH"));
        assertEquals("Set both METRICS_AUTH_USERNAME and METRICS_AUTH_PASSWORD, or neither",
                assertThrows(IllegalArgumentException.class, () -> BasicAuth.fromSettings("prometheus", "", "Metrics", "METRICS_AUTH"))
                        .getMessage());
    }
}
