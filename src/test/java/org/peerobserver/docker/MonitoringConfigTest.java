package org.peerobserver.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.NatsServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.nats.client.Connection;
import io.nats.client.Nats;

/** What the compose services read: Prometheus, Grafana, NATS, Loki and Alloy configuration. */
class MonitoringConfigTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private final ObjectNode model = ComposeModel.load("compose.yaml");

    @Test
    void prometheusConfigPassesPromtoolAndScrapesComposeServices() throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "config", "docker/prometheus/prometheus.yml").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        JsonNode config = YAML.readTree(Path.of("docker/prometheus/prometheus.yml").toFile());
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode target : job.path("static_configs").findValues("targets").get(0)) {
                String[] hostPort = target.asText().split(":");
                String host = hostPort[0].equals("localhost") ? job.path("job_name").asText() : hostPort[0];
                int port = Integer.parseInt(hostPort[1]);
                JsonNode service = ComposeModel.service(model, host);
                assertTrue(port == 9876 || ComposeModel.publishedPorts(service).contains(port), target + " is not a port " + host + " serves");
                scraped.add(host + ":" + port);
            }
        }
        for (String metricsPort : List.of("metrics:8282", "connectivity-check:18282", "fibre-exporter:9435", "bitcoin-node:9876")) {
            assertTrue(scraped.contains(metricsPort), "Prometheus does not scrape " + metricsPort);
        }
    }

    @Test
    void grafanaProvisioningAndDashboardsParseAndUseProvisionedDatasources() throws IOException {
        JsonNode datasources = YAML.readTree(Path.of("docker/grafana/provisioning/datasources/datasources.yml").toFile());
        assertEquals(1, datasources.path("apiVersion").asInt());
        Map<String, String> typeByUid = new HashMap<>();
        for (JsonNode ds : datasources.path("datasources")) {
            assertTrue(typeByUid.put(ds.path("uid").asText(), ds.path("type").asText()) == null, "two datasources " + ds.path("uid"));
            URI url = URI.create(ds.path("url").asText());
            assertTrue(ComposeModel.publishedPorts(ComposeModel.service(model, url.getHost())).contains(url.getPort()), "datasource " + url);
        }
        assertEquals(1, typeByUid.values().stream().filter("prometheus"::equals).count());
        assertTrue(typeByUid.containsValue("loki"));

        JsonNode providers = YAML.readTree(Path.of("docker/grafana/provisioning/dashboards/dashboards.yml").toFile());
        assertEquals(1, providers.path("apiVersion").asInt());
        String dashboardsPath = providers.path("providers").get(0).path("options").path("path").asText();
        List<String> mounts = ComposeModel.strings(ComposeModel.service(model, "grafana").path("volumes"));
        assertTrue(mounts.contains(Path.of("docker/grafana/dashboards").toAbsolutePath() + ":" + dashboardsPath + ":ro"),
                "grafana mounts docker/grafana/dashboards where the provider reads: " + mounts);

        Set<String> uids = new HashSet<>();
        int references = 0;
        try (Stream<Path> files = Files.list(Path.of("docker/grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
                assertTrue(uids.add(dashboard.path("uid").asText()), file + " repeats a dashboard uid");
                // ext.alert events of the chosen nodes mark every dashboard, so a spike shows why
                assertTrue(dashboard.path("annotations").path("list").findValuesAsText("expr").stream()
                        .anyMatch(e -> e.contains("peerobserver_alerts_total{node=~\"$node\"}")), file + " has no alert annotations");
                Map<String, String> variables = new HashMap<>();
                for (JsonNode v : dashboard.path("templating").path("list")) {
                    if (v.path("type").asText().equals("datasource")) {
                        assertTrue(typeByUid.containsValue(v.path("query").asText()), file + ": no provisioned " + v.path("query") + " datasource");
                        variables.put("${" + v.path("name").asText() + "}", v.path("query").asText());
                    }
                }
                for (JsonNode ref : dashboard.findValues("datasource")) {
                    if (!ref.isObject()) {
                        continue;
                    }
                    String uid = ref.path("uid").asText();
                    String type = variables.containsKey(uid) ? variables.get(uid) : typeByUid.get(uid);
                    assertEquals(ref.path("type").asText(), type, file + ": datasource " + ref + " is not provisioned");
                    references++;
                }
            }
        }
        assertTrue(references > 100, "only " + references + " datasource references in the dashboards");
    }

    @Test
    void natsConfigRaisesMaxPayloadAndItsAuthBlockWorks() throws Exception {
        Path conf = Path.of("docker/nats/nats.conf").toAbsolutePath();
        try (NatsServer server = new NatsServer("-c", conf.toString(), "-m", Integer.toString(NatsServer.freePort()));
             Connection c = Nats.connect(server.url())) {
            assertEquals(8L * 1024 * 1024, c.getServerInfo().getMaxPayload());
        }
        // the commented authorization block, as docs/docker.md says to enable it, with the variables compose passes
        String text = Files.readString(conf).replaceAll("(?m)^# (authorization \\{|  user: .*|  password: .*)$", "$1")
                .replaceFirst("(?m)^# }$", "}");
        assertTrue(text.contains("\nauthorization {"));
        Path withAuth = Files.writeString(Files.createTempFile("nats-auth", ".conf"), text);
        assertTrue(ComposeModel.environment(ComposeModel.service(model, "nats")).keySet().containsAll(List.of("NATS_USER", "NATS_PASSWORD")));
        ProcessBuilder check = new ProcessBuilder(NatsServer.binary(), "-c", withAuth.toString(), "-t").redirectErrorStream(true);
        check.environment().putAll(Map.of("NATS_USER", "peer-observer", "NATS_PASSWORD", "hunter2"));
        Process p = check.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Files.delete(withAuth);
    }

    @Test
    void alloyShipsDebugLogToLoki() throws IOException {
        String alloy = Files.readString(Path.of("docker/alloy/config.alloy"));
        JsonNode service = ComposeModel.service(model, "alloy");
        Map<String, String> env = ComposeModel.environment(service);
        for (String variable : List.of("LOKI_PUSH_URL", "NODE_NAME")) {
            assertTrue(alloy.contains("sys.env(\"" + variable + "\")") && env.containsKey(variable), variable);
        }
        URI push = URI.create(env.get("LOKI_PUSH_URL"));
        JsonNode loki = YAML.readTree(Path.of("docker/loki/loki.yml").toFile());
        assertEquals(loki.path("server").path("http_listen_port").asInt(), push.getPort());
        assertTrue(ComposeModel.publishedPorts(ComposeModel.service(model, push.getHost())).contains(push.getPort()));
        assertTrue(alloy.contains("\"__path__\" = \"/bitcoin/**/debug.log\""));
        assertTrue(ComposeModel.strings(service.path("volumes")).contains("bitcoin-data:/bitcoin:ro"),
                "alloy reads the node's volume where its config looks");
    }

    @Test
    void alloyShipsOurContainersOutputWithTheNodeLabel() throws IOException {
        String alloy = Files.readString(Path.of("docker/alloy/config.alloy"));
        Matcher filter = Pattern.compile("name += \"label\"\\s+values += \\[\"([^=\"]+)=([^\"]+)\"]").matcher(alloy);
        assertTrue(filter.find(), "discovery.docker selects containers by a label");
        // the extractor's container and every tool's carry it, the others (NATS, Prometheus, ...) not
        model.path("services").fields().forEachRemaining(s -> {
            boolean ours = Set.of("app", "bitcoin-node").contains(s.getValue().path("build").path("target").asText());
            assertEquals(ours, filter.group(2).equals(s.getValue().path("labels").path(filter.group(1)).asText()), s.getKey() + " labelled");
        });
        Matcher source = Pattern.compile("(?s)loki\\.source\\.docker \"app\" \\{(.*?)\\n}").matcher(alloy);
        assertTrue(source.find(), "loki.source.docker reads their output");
        assertTrue(source.group(1).contains("\"node\" = sys.env(\"NODE_NAME\")"), "with the node label");
        assertTrue(source.group(1).contains("targets       = discovery.docker.app.targets")
                && source.group(1).contains("forward_to    = [loki.write.loki.receiver]"), "of the labelled containers, to Loki");
        assertTrue(ComposeModel.strings(ComposeModel.service(model, "alloy").path("volumes"))
                .contains("/var/run/docker.sock:/var/run/docker.sock:ro"), "alloy reads the engine's socket, read-only");
    }
}
