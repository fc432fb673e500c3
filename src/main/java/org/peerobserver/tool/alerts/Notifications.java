package org.peerobserver.tool.alerts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Handler;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.peerobserver.support.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bodies the notification routes send (generic JSON, Slack's and Matrix's message shapes), and the count and
 * log line of a notification that failed: the line names the channel and the status or error, never the URL,
 * which for Slack is itself the secret.
 */
public class Notifications implements CamelContextAware {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RateLimitedLog failureLog = new RateLimitedLog(LOG);
    private final AtomicLong transactions = new AtomicLong(System.currentTimeMillis());
    private CamelContext camelContext;

    /** The notification as a JSON object (the generic webhook's body). */
    @Handler
    public String json(Map<String, Object> notification) throws JsonProcessingException {
        return JSON.writeValueAsString(notification);
    }

    /** A Slack-compatible incoming-webhook body: {@code {"text": ...}}. */
    public String slack(Map<String, Object> notification) throws JsonProcessingException {
        return JSON.writeValueAsString(Map.of("text", notification.get("text")));
    }

    /** A Matrix m.room.message body. */
    public String matrix(Map<String, Object> notification) throws JsonProcessingException {
        return JSON.writeValueAsString(Map.of("msgtype", "m.text", "body", notification.get("text")));
    }

    /** The Matrix client-server API path that sends a message to {@code room}, with a new transaction id. */
    public String matrixPath(String room) {
        return "/_matrix/client/v3/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20")
                + "/send/m.room.message/peerobserver-" + transactions.incrementAndGet();
    }

    /** An e-mail body: the line, then each field of the notification on a line of its own. */
    public String mail(Map<String, Object> notification) {
        StringBuilder body = new StringBuilder().append(notification.get("text")).append("\n\n");
        notification.forEach((k, v) -> body.append(k).append(": ").append(v).append('\n'));
        return body.toString();
    }

    /** Counts and logs a notification that {@code channel} could not deliver. */
    public void failed(String channel, Exception e) {
        String why = e instanceof HttpOperationFailedException h ? "HTTP status " + h.getStatusCode()
                : e == null ? "unknown error" : e.getClass().getSimpleName();
        MeterRegistry meters = camelContext == null ? null
                : camelContext.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (meters != null) {
            Counter.builder("peerobserver_alert_notifications_failed").description("alert notifications not delivered, by channel")
                    .tag("channel", channel).register(meters).increment();
        }
        failureLog.warn("Alert notification by " + channel + " failed: " + why
                + " (counted in peerobserver_alert_notifications_failed_total)");
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
