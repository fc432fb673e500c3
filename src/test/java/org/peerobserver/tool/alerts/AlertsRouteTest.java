package org.peerobserver.tool.alerts;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.CapturedLog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerts tool's YAML routes as the application runs them: a flood of inbound connections on the bus becomes
 * one ext.alert, one notification on each channel (a real HTTP server on 127.0.0.1 for the webhook, Slack and
 * Matrix, GreenMail's real SMTP server for e-mail, and the log), and the alerts of the quiet period after it one summary.
 */
class AlertsRouteTest extends AppTestSupport {
    private static final String TOKEN = "matrix-s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpReceiver http;
    private static GreenMail smtp;

    @BeforeAll
    static void servers() throws Exception {
        http = new HttpReceiver();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stop() {
        http.close();
        smtp.stop();
    }

    @Override
    protected Properties settings() {
        return props("tools", "alerts", "camel.component.bus.configuration.node", "test-node",
                "alerts.quiet-period", "3s",
                "alerts.webhook-url", http.url("/hook"),
                "alerts.slack-url", http.url("/services/T000/B000/XXXX"),
                "alerts.matrix-homeserver", http.url(""),
                "alerts.matrix-room", "!room:example.org",
                "alerts.matrix-token", TOKEN,
                "alerts.smtp-host", "127.0.0.1",
                "alerts.smtp-port", Integer.toString(smtp.getSmtp().getPort()),
                "alerts.mail-to", "operator@example.org");
    }

    @Test
    void aFloodIsOneAlertOneNotificationPerChannelThenOneSummary() throws Exception {
        long now = System.currentTimeMillis();
        try (CapturedLog alertsLog = new CapturedLog("alerts"); CapturedLog all = new CapturedLog("")) {
            consumer.start();
            // subscribes before the flood
            consumer.receiveBody("bus:subscribe?subjects=ext.alert", 100, Event.class);
            publishFlood(now);
            Event alert = consumer.receiveBody("bus:subscribe?subjects=ext.alert", 10_000, Event.class);
            assertEquals("inbound_flood", alert.getExtension().getAlert().getName());

            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                assertEquals(1, http.to("/hook").size(), http.requests::toString);
                assertEquals(1, http.to("/services").size(), http.requests::toString);
                assertEquals(1, http.to("/_matrix").size(), http.requests::toString);
                assertEquals(1, smtp.getReceivedMessages().length, all.lines().toString());
                assertFalse(alertsLog.lines().isEmpty(), "log");
            });

            JsonNode hook = JSON.readTree(http.to("/hook").get(0).body());
            assertEquals("POST", http.to("/hook").get(0).method());
            assertEquals("inbound_flood", hook.path("alert").asText());
            assertEquals("test-node", hook.path("node").asText());
            assertEquals(0, hook.path("suppressed").asInt());
            assertTrue(hook.path("summary").asText().startsWith("11 inbound connections from subnet 192.0.2.0"), hook.toString());

            HttpReceiver.Request slack = http.to("/services").get(0);
            assertEquals("application/json", slack.contentType());
            assertTrue(JSON.readTree(slack.body()).path("text").asText().startsWith("[warning] inbound_flood on test-node: 11 inbound"));

            HttpReceiver.Request matrix = http.to("/_matrix").get(0);
            assertEquals("PUT", matrix.method());
            assertTrue(matrix.path().startsWith("/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/"), matrix.path());
            assertEquals("Bearer " + TOKEN, matrix.authorization());
            assertEquals("m.text", JSON.readTree(matrix.body()).path("msgtype").asText());

            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertTrue(mail.getSubject().startsWith("[warning] inbound_flood on test-node"), mail.getSubject());
            assertEquals("operator@example.org", mail.getAllRecipients()[0].toString());

            assertTrue(alertsLog.lines().get(0).startsWith("WARN [warning] inbound_flood on test-node: 11 inbound connections"),
                    alertsLog.lines().toString());

            // the next minute's flood from the same /24 is a new alert of the same key: held back, then summarised
            publishFlood(now + 61_000);
            publishFlood(now + 122_000);
            await().atMost(10, TimeUnit.SECONDS).until(() -> http.to("/hook").size() == 2);
            JsonNode summary = JSON.readTree(http.to("/hook").get(1).body());
            assertEquals(2, summary.path("suppressed").asInt(), summary.toString());
            assertTrue(summary.path("text").asText().contains("2 more in the last 0 min"), summary.toString());
            Thread.sleep(1500);
            assertEquals(2, http.to("/hook").size(), "nothing more while nothing new came");
            assertFalse(all.lines().stream().anyMatch(l -> l.contains(TOKEN) || l.contains("XXXX")), "secrets are never logged");
        }
    }

    @Test
    void aChannelThatFailsIsCountedAndLoggedWithoutItsUrl() throws Exception {
        http.status = 500;
        try (CapturedLog log = new CapturedLog(Notifications.class)) {
            publishFlood(System.currentTimeMillis());
            // the HTTP channels (webhook, Slack, Matrix) all get 500; the log line is rate-limited, so one of them says it
            await().atMost(10, TimeUnit.SECONDS).until(() -> log.lines().stream().anyMatch(l -> l.contains("failed: HTTP status 500")));
            List<String> lines = log.lines();
            assertTrue(lines.stream().anyMatch(l -> l.matches("WARN Alert notification by (webhook|slack|matrix) failed: HTTP status 500 "
                    + "\\(counted in peerobserver_alert_notifications_failed_total\\)")), lines.toString());
            assertFalse(lines.stream().anyMatch(l -> l.contains("XXXX") || l.contains(TOKEN)), lines.toString());
        } finally {
            http.status = 200;
        }
    }

    private void publishFlood(long at) {
        for (int i = 0; i < 11; i++) {
            template.sendBody("bus:publish", Events.inbound(at + i, i, "192.0.2." + (i + 1) + ":" + (40000 + i)));
        }
    }
}
