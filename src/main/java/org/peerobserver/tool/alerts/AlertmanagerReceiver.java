package org.peerobserver.tool.alerts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.support.HostPort;
import org.peerobserver.support.RateLimitedLog;
import org.peerobserver.support.http.HttpPort;
import org.peerobserver.support.http.ServingRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager's webhook receiver: each firing alert of a POST (Alertmanager's webhook JSON) becomes an ext.alert
 * event, handed to the route ({@code direct:alertmanager}, which publishes it), so the Prometheus rules' alerts take
 * the same notification routes as the detectors'. A request needs {@code Authorization: Bearer <ALERT_RECEIVER_TOKEN>};
 * bodies are capped; the port is open exactly while the route runs (this is its route policy).
 */
public class AlertmanagerReceiver extends ServingRoutePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Alertmanager sends at most max_alerts per request (50 in our config): far below this. */
    static final int MAX_BODY = 1 << 20;

    private String address = "127.0.0.1:9097";
    private byte[] token = new byte[0];
    private final RateLimitedLog refusedLog = new RateLimitedLog(LOG);
    private HttpPort server;
    private ProducerTemplate producer;

    @Override
    public void onStart(Route route) {
        producer = route.getCamelContext().createProducerTemplate();
        try {
            server = serve(route, "alert-receiver", HostPort.parse(address, "ALERT_RECEIVER_ADDRESS"), null,
                    this::handle);
            LOG.info("Alertmanager receiver on port {} (ALERT_RECEIVER_ADDRESS {}), POST with the bearer token", server.port(), address);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot listen on " + address + " (ALERT_RECEIVER_ADDRESS): " + e.getMessage(), e);
        }
    }

    private void handle(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).end();
            return;
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), token)) {
            refusedLog.warn("Alertmanager receiver refused a request without the right bearer token");
            request.response().setStatusCode(401).end();
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                request.response().setStatusCode(413).end();
                request.connection().close();
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            if (request.response().ended()) {
                return;
            }
            try {
                List<ReceivedEvent> alerts = alerts(body.toString(StandardCharsets.UTF_8), System.currentTimeMillis());
                producer.sendBody("direct:alertmanager", alerts);
                request.response().setStatusCode(200).end();
            } catch (IOException | RuntimeException e) {
                refusedLog.warn("Alertmanager receiver could not take a request: " + e.getClass().getSimpleName());
                request.response().setStatusCode(400).end();
            }
        });
    }

    /** The firing alerts of an Alertmanager webhook body, as ext.alert events. */
    static List<ReceivedEvent> alerts(String body, long now) throws IOException {
        JsonNode root = JSON.readTree(body);
        List<ReceivedEvent> out = new ArrayList<>();
        for (JsonNode a : root.path("alerts")) {
            if (!"firing".equals(a.path("status").asText("firing"))) {
                continue;
            }
            JsonNode labels = a.path("labels");
            String severity = labels.path("severity").asText("warning");
            String node = labels.path("node").asText(labels.path("instance").asText(""));
            String name = labels.path("alertname").asText("prometheus");
            String summary = a.path("annotations").path("summary").asText(name);
            out.add(Alerts.event(Alerts.alert(name, Severity.ALL.contains(severity) ? severity : "warning", node,
                    labels.path("instance").asText(""), summary), now));
        }
        return out;
    }

    /** The port listened on (tests use port 0). */
    public int port() {
        return server.port();
    }

    public void setAddress(String address) {
        HostPort.parse(address, "ALERT_RECEIVER_ADDRESS");
        this.address = address;
    }

    public void setToken(String token) {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }
}
