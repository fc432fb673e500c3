package org.peerobserver.tool.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.peerobserver.support.http.BasicAuth;
import org.peerobserver.testing.AppTestSupport;

/** The metrics tool's route with METRICS_AUTH_USERNAME/_PASSWORD set: Prometheus needs the credentials. */
class MetricsAuthTest extends AppTestSupport {

    @Override
    protected Properties settings() {
        return props("tools", "metrics", "metrics.address", "127.0.0.1:0",
                "metrics.basic-auth-username", "prometheus", "metrics.basic-auth-password", "s3cret:x");
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
        assertNull(BasicAuth.optional("", "", "Metrics", "METRICS_AUTH_USERNAME", "METRICS_AUTH_PASSWORD"));
        assertEquals("Set both METRICS_AUTH_USERNAME and METRICS_AUTH_PASSWORD, or neither",
                assertThrows(IllegalArgumentException.class, () -> BasicAuth.optional("prometheus", "", "Metrics", "METRICS_AUTH_USERNAME", "METRICS_AUTH_PASSWORD"))
                        .getMessage());
    }
}
