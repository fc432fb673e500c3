package org.peerobserver.tool.fibre;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import org.apache.camel.CamelContext;

/** Talks to a running FIBRE exporter over HTTP(S), as Prometheus and a health probe do. */
public final class FibreScraper {
    private final CamelContext context;
    private final HttpClient http;
    private final String scheme;

    public FibreScraper(CamelContext context) {
        this(context, HttpClient.newHttpClient(), "http");
    }

    FibreScraper(CamelContext context, HttpClient http, String scheme) {
        this.context = context;
        this.http = http;
        this.scheme = scheme;
    }

    private FibreExporter exporter() {
        return context.getRegistry().lookupByNameAndType("fibreExporter", FibreExporter.class);
    }

    /** The metrics port's answer; {@code user} null: no Authorization header. */
    HttpResponse<String> metrics(String user, String password) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + exporter().metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes()));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The exposition of an open exporter. */
    public String metrics() throws Exception {
        HttpResponse<String> r = metrics(null, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("metrics answered " + r.statusCode());
        }
        return r.body();
    }

    HttpResponse<String> health(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + exporter().healthPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
