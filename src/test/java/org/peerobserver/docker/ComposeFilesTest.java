package org.peerobserver.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.peerobserver.cli.CommandLine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The compose files, read as docker compose reads them, without a Docker engine. */
class ComposeFilesTest {
    private static final Set<String> OUR_IMAGES = Set.of("app", "bitcoin-node");

    @Test
    void everyFileWithItsIncludesResolvedIsValidCompose() throws IOException {
        // located, so that the schema's relative $id resolves against its own address
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(SchemaLocation.of("classpath:compose/compose-spec.json"));
        for (String file : ComposeModel.ALL) {
            assertValid(schema, file + " alone", ComposeModel.raw(file));
        }
        for (String file : ComposeModel.TOP_LEVEL) {
            assertValid(schema, file + " resolved", ComposeModel.load(file));
        }
    }

    private static void assertValid(JsonSchema schema, String what, JsonNode model) {
        Set<ValidationMessage> errors = schema.validate(model);
        assertTrue(errors.isEmpty(), what + " breaks the Compose specification: " + errors);
    }

    @Test
    void dependenciesAndVolumesExistAndStartWithTheirDependents() {
        for (String file : ComposeModel.TOP_LEVEL) {
            ObjectNode model = ComposeModel.load(file);
            JsonNode services = model.path("services");
            services.fields().forEachRemaining(s -> {
                Set<String> profiles = new HashSet<>(ComposeModel.strings(s.getValue().path("profiles")));
                s.getValue().path("depends_on").fieldNames().forEachRemaining(dep -> {
                    assertTrue(services.has(dep), file + ": " + s.getKey() + " depends on " + dep + ", which does not exist");
                    List<String> depProfiles = ComposeModel.strings(services.get(dep).path("profiles"));
                    // compose refuses to start a service whose dependency is not in the profiles started
                    assertTrue(depProfiles.isEmpty() || depProfiles.containsAll(profiles),
                            file + ": " + s.getKey() + " " + profiles + " depends on " + dep + " " + depProfiles);
                });
                for (String v : ComposeModel.strings(s.getValue().path("volumes"))) {
                    String source = v.split(":")[0];
                    if (source.startsWith("/")) {
                        // the kernel's and the engine's own files exist where the stack runs, not where this test does
                        assertTrue(source.startsWith("/sys/") || source.equals("/var/run/docker.sock") || Files.exists(Path.of(source)),
                                file + ": " + s.getKey() + " mounts " + source + ", which does not exist");
                    } else {
                        assertTrue(model.path("volumes").has(source), file + ": " + s.getKey() + " uses volume " + source + ", not declared");
                    }
                }
            });
        }
    }

    @Test
    void profilesAreTheDesignsAndTheBaseSystemNeedsNone() {
        ObjectNode model = ComposeModel.load("compose.yaml");
        Set<String> unprofiled = new HashSet<>();
        Map<String, Set<String>> byProfile = new TreeMap<>();
        model.path("services").fields().forEachRemaining(s -> {
            List<String> profiles = ComposeModel.strings(s.getValue().path("profiles"));
            if (profiles.isEmpty()) {
                unprofiled.add(s.getKey());
            }
            profiles.forEach(p -> byProfile.computeIfAbsent(p, k -> new TreeSet<>()).add(s.getKey()));
        });
        assertEquals(Set.of("bitcoin-node", "nats"), unprofiled);
        assertEquals(Set.of("logger", "metrics", "websocket", "connectivity-check", "fibre-exporter", "alerts"), byProfile.get("monitoring"));
        for (String tool : List.of("logger", "metrics", "websocket", "connectivity-check", "fibre-exporter", "record", "alerts")) {
            assertEquals(Set.of(tool), byProfile.get(tool), "profile " + tool);
        }
        assertEquals(Set.of("prometheus", "alertmanager", "grafana", "loki", "alloy"), byProfile.get("observability"));
        assertEquals(model.path("services").size() - 2, ComposeModel.load("monitoring-only.yml").path("services").size(),
                "monitoring-only.yml has everything but the node and Alloy");
    }

    @Test
    void everyCommandOurImagesRunIsOneTheCommandLineAccepts() throws Exception {
        int checked = 0;
        for (String file : ComposeModel.TOP_LEVEL) {
            for (var s : (Iterable<Map.Entry<String, JsonNode>>) () -> ComposeModel.load(file).path("services").fields()) {
                if (!OUR_IMAGES.contains(s.getValue().path("build").path("target").asText())) {
                    continue;
                }
                String[] args = ComposeModel.strings(s.getValue().path("command")).toArray(String[]::new);
                var invocation = CommandLine.parse(args, ComposeModel.environment(s.getValue()));
                assertNull(invocation.help(), file + ": " + s.getKey() + " only prints help");
                if (!s.getKey().equals("bitcoin-node")) {
                    assertEquals(s.getKey(), args[0], file + ": " + s.getKey() + " runs another tool");
                }
                checked++;
            }
        }
        assertEquals(4 * 8 + 7 + 4 + 1, checked, "the node and seven tools in each node file, seven tools in monitoring-only.yml,"
                + " four in hub.yml, the node in site.yml");
        // the image's own default, when compose gives no command
        assertNull(CommandLine.parse(dockerfileCmd("bitcoin-node"), Map.of()).help());
    }

    @Test
    void imagesBuildFromFilesThatExistAndOnlyTheNodeHasPrivileges() {
        ObjectNode model = ComposeModel.load("compose.yaml");
        model.path("services").fields().forEachRemaining(s -> {
            JsonNode service = s.getValue();
            boolean node = s.getKey().equals("bitcoin-node");
            assertEquals(node, service.path("privileged").asBoolean(), s.getKey() + " privileged");
            assertEquals(node, service.has("cap_add"), s.getKey() + " cap_add");
            JsonNode build = service.get("build");
            if (build == null) {
                assertTrue(service.path("image").asText().matches("[a-z/.-]+:v?[0-9][0-9.]*(-alpine)?"), s.getKey() + " pins its image");
                return;
            }
            Path context = Path.of(build.path("context").asText());
            Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
            String text = ComposeModel.read(dockerfile);
            if (build.has("target")) {
                assertTrue(text.matches("(?s).*\\nFROM \\S+ AS " + Pattern.quote(build.get("target").asText()) + "\\n.*"),
                        dockerfile + " has no stage " + build.get("target").asText());
            }
            Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(?:--\\S+ )*(.+) \\S+$").matcher(text);
            while (copy.find()) {
                for (String source : copy.group(1).split(" ")) {
                    if (source.startsWith("target/")) {
                        continue; // what mvn package builds, for APP_BUILD=host; it runs after this test
                    }
                    assertTrue(Files.exists(context.resolve(source)), dockerfile + " copies " + source + ", missing from " + context);
                }
            }
        });
    }

    @Test
    void baseImagesArePinnedAndBitcoinCoreIsVerifiedByItsHash() throws IOException {
        List<Path> dockerfiles;
        try (var files = Files.walk(Path.of("docker"))) {
            dockerfiles = files.filter(f -> f.getFileName().toString().equals("Dockerfile")).toList();
        }
        Set<String> stages = new HashSet<>();
        for (Path dockerfile : dockerfiles) {
            Matcher from = Pattern.compile("(?m)^FROM (\\S+)(?: AS (\\S+))?$").matcher(ComposeModel.read(dockerfile));
            while (from.find()) {
                String image = from.group(1);
                if (!stages.contains(image) && !image.startsWith("$") && !image.equals("scratch")) {
                    // a release (2.10.26) or a dated build (bookworm-20250520), never a tag that moves
                    assertTrue(image.matches("[a-z/.-]+:(\\d+\\.\\d+\\.\\d+|[a-z]+-\\d{8})(-[a-z]+)?"), dockerfile + ": FROM " + image);
                }
                if (from.group(2) != null) {
                    stages.add(from.group(2));
                }
            }
        }
        String node = stage("bitcoin-core");
        assertTrue(node.matches("(?s).*\\nARG BITCOIN_SOURCE_HASH=[0-9a-f]{64}\\n.*"), "the Bitcoin Core source's SHA-256");
        String build = ComposeModel.read(Path.of("docker/bitcoin-node/build-core.sh"));
        assertTrue(build.contains("sha256sum -c") && build.contains("rev-parse HEAD"), "build-core.sh checks the hash");
        assertEquals(node.replaceAll("(?s).*ARG BITCOIN_SOURCE_HASH=(\\S+).*", "$1"),
                ComposeModel.variables().get("BITCOIN_SOURCE_HASH"), "compose's default hash is the Dockerfile's");
    }

    @Test
    void theToolsRunAsAnUnprivilegedUser() {
        String app = stage("app");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(app);
        assertTrue(user.find(), "the app stage sets no USER");
        assertTrue(!user.group(1).equals("root") && !user.group(1).equals("0"), "the app stage runs as " + user.group(1));
        assertTrue(stage("bitcoin-core").contains("-DWITH_USDT=ON") || ComposeModel.read(Path.of("docker/bitcoin-node/build-core.sh"))
                .contains("-DWITH_USDT=ON"), "Bitcoin Core is built with its tracepoints");
    }

    @Test
    void servicesThatNeedNatsWaitUntilItIsHealthy() {
        ObjectNode model = ComposeModel.load("compose.yaml");
        assertTrue(ComposeModel.service(model, "nats").has("healthcheck"));
        model.path("services").fields().forEachRemaining(s -> {
            if (ComposeModel.environment(s.getValue()).containsKey("NATS_ADDRESS")) {
                assertEquals("service_healthy", s.getValue().path("depends_on").path("nats").path("condition").asText(),
                        s.getKey() + " talks to NATS");
            }
        });
    }

    private static String[] dockerfileCmd(String stage) {
        Matcher cmd = Pattern.compile("(?m)^CMD \\[(.*)]$").matcher(stage(stage));
        assertTrue(cmd.find(), "stage " + stage + " has no CMD");
        return Pattern.compile("\"([^\"]*)\"").matcher(cmd.group(1)).results().map(r -> r.group(1)).toArray(String[]::new);
    }

    /** The lines of one stage of docker/Dockerfile. */
    private static String stage(String name) {
        String text = ComposeModel.read(Path.of("docker/Dockerfile"));
        int start = text.indexOf(" AS " + name + "\n");
        assertTrue(start > 0, "docker/Dockerfile has no stage " + name);
        int end = text.indexOf("\nFROM ", start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
