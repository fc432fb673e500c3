package org.peerobserver.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One check of /observe/health on a management port, as an operator's probe reads it. */
public record ObservedHealth(int httpStatus, String status, String message) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The check named {@code name} (e.g. {@code consumer:extractor-log}); status "absent" when there is none. */
    public static ObservedHealth of(int managementPort, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/observe/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : new ObjectMapper().readTree(r.body()).path("checks")) {
            if (name.equals(check.path("name").asText())) {
                // Camel's health endpoint escapes '/' twice: a path reads \/ once decoded
                String message = check.path("message").asText("").replace("\\/", "/");
                return new ObservedHealth(r.statusCode(), check.path("status").asText(), message);
            }
        }
        return new ObservedHealth(r.statusCode(), "absent", r.body());
    }

    public boolean up() {
        return httpStatus == 200 && "UP".equals(status);
    }

    public boolean down(String reasonPart) {
        return httpStatus == 503 && "DOWN".equals(status) && message.contains(reasonPart);
    }
}
