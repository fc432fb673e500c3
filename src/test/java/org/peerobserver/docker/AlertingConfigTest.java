package org.peerobserver.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Prometheus alerting rules pass promtool's checks and unit tests; Alertmanager's config passes amtool; compose runs both. */
class AlertingConfigTest {

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    @Test
    void rulesPassPromtoolCheckAndTheirUnitTests() throws Exception {
        assertTrue(run("promtool", "check", "rules", "docker/prometheus/alerts.rules.yml").contains("SUCCESS: 7 rules found"));
        assertTrue(run("promtool", "test", "rules", "docker/prometheus/alerts.test.yml").contains("SUCCESS"));
    }

    @Test
    void alertmanagerConfigPassesAmtoolAndSendsToTheAlertsToolsReceiver() throws Exception {
        assertTrue(run("amtool", "check-config", "docker/alertmanager/alertmanager.yml").contains("SUCCESS"));
        ObjectNode model = ComposeModel.load("compose.yaml");
        JsonNode alertmanager = ComposeModel.service(model, "alertmanager");
        assertEquals(List.of("observability"), List.of(alertmanager.path("profiles").get(0).asText()));
        assertTrue(ComposeModel.publishedPorts(alertmanager).contains(9093));
        JsonNode alerts = ComposeModel.service(model, "alerts");
        assertEquals("0.0.0.0:9097", alerts.path("environment").path("ALERT_RECEIVER_ADDRESS").asText());
        assertEquals("alerts", alerts.path("command").get(0).asText());
    }
}
