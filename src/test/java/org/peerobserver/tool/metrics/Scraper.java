package org.peerobserver.tool.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.camel.CamelContext;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scrapes the metrics tool of a running context over HTTP, as Prometheus does. */
final class Scraper {
    private final HttpClient http = HttpClient.newHttpClient();
    private final CamelContext context;

    Scraper(CamelContext context) {
        this.context = context;
    }

    URI uri(String path) {
        MetricsTool tool = context.getRegistry().lookupByNameAndType("metricsTool", MetricsTool.class);
        return URI.create("http://127.0.0.1:" + tool.port() + path);
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return r.body();
    }

    int status(HttpRequest.Builder request, String path) throws Exception {
        return http.send(request.uri(uri(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Whether the exposition has exactly this line. */
    boolean has(String line) throws Exception {
        return get("/metrics").lines().anyMatch(line::equals);
    }
}
