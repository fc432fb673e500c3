package org.peerobserver.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The compose stack on this machine's Docker engine, with the images .ci/docker-stack built (it runs
 * this test; without an engine the test is skipped and says so). The model is compose.yaml's, its
 * includes and extends resolved and written as one file that Debian's docker-compose 1.29 runs (it
 * has no include). What cannot run here is replaced or left out, and said so in docs/docker.md:
 * bitcoin-node (Bitcoin Core from source takes too long) runs the ebpf extractor in the app image
 * against the USDT test target in a container beside it, whose processes it sees, with the
 * capabilities compose gives it but not privileged (see below); Grafana, Loki and
 * Alloy (no image registry) are left out. Every port is published on 127.0.0.1 at a free port.
 */
class DockerStackIT {
    private static final String DOCKER = System.getProperty("docker", "docker");
    private static final String PROJECT = "peerobserverit";
    private static final Path WORK = Path.of("target/docker-stack").toAbsolutePath();
    private static final Path FILE = WORK.resolve("compose.yml");
    private static final String TARGET_IMAGE = "debian:bookworm-20250520-slim";
    private static final String SCRAPER = "prometheus";
    private static final String SCRAPE_PASSWORD = UUID.randomUUID().toString();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> HEALTH_CHECKED = List.of("nats", "bitcoin-node", "replay", "logger", "metrics", "websocket",
            "connectivity-check", "fibre-exporter", "record", "alerts", "prometheus");
    private static boolean up;
    private static Map<String, String> states;

    @BeforeAll
    static void startTheStack() throws Exception {
        assumeTrue(run(30, DOCKER, "info").exit == 0, "no Docker engine: .ci/docker-stack starts one and builds the images");
        Files.createDirectories(WORK);
        Files.writeString(FILE, new YAMLMapper().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .writeValueAsString(stackModel()));
        compose(60, "down", "-v", "--remove-orphans");
        Result result = compose(300, "--profile", "monitoring", "--profile", "observability", "--profile", "record", "up", "-d", "--no-build");
        up = true;
        assertEquals(0, result.exit, "docker-compose up: " + result.out);
        // ten JVMs start at once: minutes on a busy 2-core machine
        states = awaitStates(Duration.ofMinutes(8), s -> s.values().stream().anyMatch(v -> v.startsWith("exited"))
                || HEALTH_CHECKED.stream().allMatch(service -> "running healthy".equals(s.get(service))));
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (!up) {
            return;
        }
        Files.writeString(WORK.resolve("logs.txt"), compose(60, "logs", "--no-color", "--tail", "200").out);
        Result down = compose(180, "--profile", "monitoring", "--profile", "observability", "--profile", "record", "down", "-v", "--remove-orphans");
        assertEquals(0, down.exit, "docker-compose down: " + down.out);
        for (String kind : List.of("ps -a", "volume ls", "network ls")) {
            List<String> command = new ArrayList<>(List.of(DOCKER));
            command.addAll(List.of(kind.split(" ")));
            command.addAll(List.of("-q", "--filter", "label=com.docker.compose.project=" + PROJECT));
            assertEquals("", run(30, command.toArray(String[]::new)).out.strip(), "left after down: " + kind);
        }
    }

    /** compose.yaml as compose reads it, then made runnable here (see the class comment). */
    static ObjectNode stackModel() throws IOException {
        ObjectNode model = ComposeModel.load("compose.yaml");
        ObjectNode services = (ObjectNode) model.get("services");
        // their images come from a registry only (alertmanager, where the stack has it, too)
        services.remove(List.of("grafana", "loki", "alloy", "alertmanager"));
        model.with("volumes").remove(List.of("grafana-data", "loki-data", "alloy-data", "alertmanager-data"));
        // Alertmanager's token file, the only config: docker-compose 1.29 knows no environment-sourced configs
        model.remove("configs");
        services.forEach(service -> {
            if (service.get("depends_on") instanceof ObjectNode dependencies) {
                dependencies.retain(ComposeFilesTest.names(services));
            }
        });

        ObjectNode node = ComposeModel.service(model, "bitcoin-node");
        node.put("image", "peer-observer-camel:local");
        node.remove("build");
        node.put("user", "0");
        // privileged asks for every capability, and root here lacks CAP_SYS_RESOURCE, so the engine
        // cannot start it; the capabilities compose adds beside it are the ones BPF and uprobes need
        node.remove("privileged");
        node.set("command", strings("ebpf-extractor", "--bitcoind-path", "/probe/usdt-target", "--addrman-tracepoints",
                "--fibre-tracepoints"));
        node.with("environment").put("NODE_NAME", "usdt-node");
        ((ArrayNode) node.get("volumes")).add(Path.of("target/native").toAbsolutePath() + ":/probe:ro");

        // the stand-in for bitcoind, in the extractor's process namespace as bitcoind shares the node
        // container with it: fires every tracepoint 50 times once the extractor has attached to all of
        // them, and again; ends (exit 2) when the extractor has not attached within 10 minutes
        ObjectNode target = services.putObject("usdt-target");
        target.put("image", TARGET_IMAGE);
        target.put("pid", "service:bitcoin-node");
        target.set("command", strings("sh", "-c", "while /probe/usdt-target -w 600 all 50 20; do :; done"));
        target.set("volumes", strings(Path.of("target/native").toAbsolutePath() + ":/probe:ro"));
        target.putObject("depends_on").putObject("bitcoin-node").put("condition", "service_started");

        // a second extractor: the bundled sample, replayed in a loop
        ObjectNode replay = ComposeModel.service(model, "logger").deepCopy();
        replay.set("command", strings("replay", "--loop"));
        replay.with("environment").put("NODE_NAME", "replay-node");
        services.set("replay", replay);

        ComposeModel.service(model, "metrics").with("environment").put("METRICS_AUTH_USERNAME", SCRAPER)
                .put("METRICS_AUTH_PASSWORD", SCRAPE_PASSWORD);
        ComposeModel.service(model, "fibre-exporter").with("environment").put("FIBRE_METRICS_AUTH_USERNAME", SCRAPER)
                .put("FIBRE_METRICS_AUTH_PASSWORD", SCRAPE_PASSWORD);
        ArrayNode promVolumes = (ArrayNode) ComposeModel.service(model, "prometheus").get("volumes");
        String promConfig = ":/etc/prometheus/prometheus.yml:ro";
        for (int i = 0; i < promVolumes.size(); i++) {
            if (promVolumes.get(i).asText().endsWith(promConfig)) {
                promVolumes.set(i, JsonNodeFactory.instance.textNode(prometheusConfig() + promConfig));
            }
        }

        services.fields().forEachRemaining(s -> {
            if (s.getValue().path("image").asText().equals("peer-observer-camel:local")) {
                // C1 and the serial collector: ten JVMs start faster on two cores
                ((ObjectNode) s.getValue()).with("environment").put("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
            }
            // a value the variable's default made a YAML boolean is text to compose, as before interpolation
            Map<String, String> environment = ComposeModel.environment(s.getValue());
            ObjectNode asText = ((ObjectNode) s.getValue()).putObject("environment");
            environment.forEach(asText::put);
            // published on loopback only, each at a port the engine picks: other tests run beside this one
            if (s.getValue().get("ports") instanceof ArrayNode ports) {
                for (int i = 0; i < ports.size(); i++) {
                    String[] parts = ports.get(i).asText().split(":");
                    ports.set(i, JsonNodeFactory.instance.textNode("127.0.0.1::" + parts[parts.length - 1]));
                }
            }
        });
        return model;
    }

    /** docker/prometheus/prometheus.yml with basic auth on the jobs whose tools have it here, scraping every 5 s. */
    private static Path prometheusConfig() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode config = (ObjectNode) yaml.readTree(Path.of("docker/prometheus/prometheus.yml").toFile());
        config.with("global").put("scrape_interval", "5s");
        for (JsonNode job : config.path("scrape_configs")) {
            if (List.of("metrics", "fibre-exporter").contains(job.path("job_name").asText())) {
                ((ObjectNode) job).putObject("basic_auth").put("username", SCRAPER).put("password", SCRAPE_PASSWORD);
            }
        }
        Path file = WORK.resolve("prometheus.yml");
        yaml.writeValue(file.toFile(), config);
        return file;
    }

    @Test
    void everyServiceBecomesHealthyAndPrometheusScrapesEveryTool() throws Exception {
        for (String service : HEALTH_CHECKED) {
            assertEquals("running healthy", states.get(service), service + " in " + states);
        }
        assertEquals("running", states.get("usdt-target"), "usdt-target in " + states);

        URI prometheus = published("prometheus", 9090);
        JsonNode targets = await(Duration.ofSeconds(60), () -> {
            JsonNode active = json(prometheus.resolve("/api/v1/targets?state=active")).path("data").path("activeTargets");
            for (JsonNode t : active) {
                if (!t.path("health").asText().equals("up")) {
                    return null;
                }
            }
            return active.size() > 0 ? active : null;
        }, "Prometheus reports every target up");
        List<String> scraped = new ArrayList<>();
        targets.forEach(t -> scraped.add(t.path("labels").path("job").asText() + " " + t.path("labels").path("instance").asText()));
        assertEquals(List.of("connectivity-check connectivity-check:18282", "fibre-exporter fibre-exporter:9435", "metrics metrics:8282",
                "peer-observer alerts:9876", "peer-observer bitcoin-node:9876", "peer-observer connectivity-check:9876", "peer-observer fibre-exporter:9876",
                "peer-observer logger:9876", "peer-observer metrics:9876", "peer-observer record:9876", "peer-observer websocket:9876",
                "prometheus localhost:9090"), scraped.stream().sorted().toList());
    }

    @Test
    void eventsOfBothExtractorsReachTheMetricsToolThroughNatsBehindBasicAuth() throws Exception {
        URI metrics = published("metrics", 8282).resolve("/metrics");
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        String auth = "Basic " + Base64.getEncoder().encodeToString((SCRAPER + ":" + SCRAPE_PASSWORD).getBytes(StandardCharsets.UTF_8));
        await(Duration.ofMinutes(2), () -> {
            String body = get(metrics, auth);
            return body.contains("node=\"usdt-node\"") && body.contains("node=\"replay-node\"") ? body : null;
        }, "the metrics tool counts events of node usdt-node (ebpf) and replay-node (replay)");
        // the extractor attached to every tracepoint, so the target fired all of them
        await(Duration.ofMinutes(2), () -> compose(30, "logs", "usdt-target").out.contains("fired 1000 in") ? true : null,
                "usdt-target fires its 1000 events");
        URI fibre = published("fibre-exporter", 9435).resolve("/metrics");
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(fibre).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertTrue(get(fibre, auth).contains("# TYPE"), "fibre-exporter metrics");
    }

    @Test
    void theNonRootAppUserWritesItsVolumes() throws Exception {
        String files = await(Duration.ofMinutes(1), () -> {
            String out = compose(30, "exec", "-T", "record", "sh", "-c", "id -u; find /data -type f -user peer-observer").out;
            return out.lines().count() > 1 ? out : null;
        }, "record writes capture files into its volume as its own user");
        assertEquals("10001", files.lines().findFirst().orElseThrow());
        Result probe = compose(30, "exec", "-T", "connectivity-check", "sh", "-c", "touch /data/.written && rm /data/.written && id -u");
        assertEquals("10001", probe.out.strip(), "connectivity-check writes its volume: " + probe.out);
    }

    /** Each service's "status health" (health empty where it has no check), until {@code done} holds or time is up. */
    private static Map<String, String> awaitStates(Duration timeout, Predicate<Map<String, String>> done)
            throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        Map<String, String> states;
        do {
            states = new TreeMap<>();
            String ids = run(30, DOCKER, "ps", "-aq", "--filter", "label=com.docker.compose.project=" + PROJECT).out.strip();
            if (!ids.isEmpty()) {
                List<String> inspect = new ArrayList<>(List.of(DOCKER, "inspect", "-f",
                        "{{index .Config.Labels \"com.docker.compose.service\"}} {{.State.Status}}"
                                + "{{if eq .State.Status \"exited\"}} {{.State.ExitCode}}{{else if .State.Health}} {{.State.Health.Status}}{{end}}"));
                inspect.addAll(List.of(ids.split("\\s+")));
                for (String line : run(30, inspect.toArray(String[]::new)).out.strip().split("\n")) {
                    String[] kv = line.split(" ", 2);
                    states.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            }
            if (!states.isEmpty() && done.test(states)) {
                return states;
            }
            Thread.sleep(2000);
        } while (System.nanoTime() < end);
        return states;
    }

    private static <T> T await(Duration timeout, Supplier<T> attempt, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                T value = attempt.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + " " + last);
    }

    /** The loopback address and port the engine published a service's container port on. */
    private static URI published(String service, int port) {
        String hostPort = compose(30, "port", service, Integer.toString(port)).out.strip();
        assertTrue(hostPort.startsWith("127.0.0.1:"), service + " " + port + " published on " + hostPort);
        return URI.create("http://" + hostPort);
    }

    private static JsonNode json(URI uri) {
        try {
            return JSON.readTree(get(uri, null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String get(URI uri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode strings(String... values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (String v : values) {
            array.add(v);
        }
        return array;
    }

    private static Result compose(int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-f", FILE.toString(), "-p", PROJECT));
        command.addAll(List.of(args));
        return run(timeoutSeconds, command.toArray(String[]::new));
    }

    private record Result(int exit, String out) {
    }

    private static Result run(int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // read while it runs: a full pipe would stop it
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                    // the process ended; what was read stays
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took over " + timeoutSeconds + " s");
            }
            reader.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
