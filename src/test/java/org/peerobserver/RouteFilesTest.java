package org.peerobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which bundled route files a run loads: those its extractors and tools name, and the alerting ones when their settings start them. */
class RouteFilesTest {
    private static final Path ROUTES = Path.of("src/main/resources/routes");

    /**
     * A file that is left out when its name is not listed must have nothing that would run without it: every
     * route's precondition requires the name first, and nothing else (beans aside) is declared.
     */
    @Test
    void everyFileLeftOutWhenNotNamedHasOnlyRoutesWaitingForItsName() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Path> files;
        try (Stream<Path> all = Files.walk(ROUTES)) {
            files = all.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 12, "route files found: " + files);
        for (Path f : files) {
            String kind = f.getParent().getFileName().toString();
            String name = f.getFileName().toString().replace(".camel.yaml", "");
            if (f.endsWith("tools/alerts.camel.yaml")) {
                continue;
            }
            assertTrue((kind.equals("extractors") ? PeerObserver.EXTRACTORS : PeerObserver.TOOLS).contains(name),
                    f + " is named after an extractor or tool that EXTRACTOR_TYPE or TOOLS can list");
            String required = "'" + name + "' in '{{" + kind + "}}'";
            int routes = 0;
            for (JsonNode entry : yaml.readTree(f.toFile())) {
                if (entry.has("beans")) {
                    continue;
                }
                assertTrue(entry.has("route"), f + ": only beans and routes, not " + entry.fieldNames().next());
                String precondition = entry.path("route").path("precondition").asText("");
                assertTrue(precondition.equals(required) || precondition.startsWith(required + " && ")
                                && !precondition.contains("||"),
                        f + ": route " + entry.path("route").path("id").asText() + " runs only with " + required + ", but its precondition is '"
                                + precondition + "'");
                routes++;
            }
            assertTrue(routes > 0, f + " has routes");
        }
    }

    /** The alerting routes wait for alerts in TOOLS or for one of the settings the launcher looks at, and only for those. */
    @Test
    void theAlertingRoutesWaitForTheSettingsThatLoadTheirFile() throws IOException {
        Map<String, String> keyOfSetting = new HashMap<>();
        Settings.of(Map.of(), Map.of()).all().forEach(s -> keyOfSetting.put(s.name(), s.key()));
        Set<String> expected = new TreeSet<>(Set.of("tools"));
        PeerObserver.ALERT_ROUTE_SETTINGS.forEach(name -> expected.add(keyOfSetting.get(name)));
        Set<String> read = new TreeSet<>();
        for (JsonNode entry : new ObjectMapper(new YAMLFactory()).readTree(ROUTES.resolve("tools/alerts.camel.yaml").toFile())) {
            if (entry.has("route")) {
                String precondition = entry.path("route").path("precondition").asText("");
                assertFalse(precondition.isBlank(), "every alerting route waits for a setting: " + entry.path("route").path("id"));
                Matcher placeholder = Pattern.compile("\\{\\{([^}]+)}}").matcher(precondition);
                while (placeholder.find()) {
                    read.add(placeholder.group(1));
                }
            }
        }
        assertEquals(expected, read);
    }

    @Test
    void theNamedFilesAreLoadedAndTheAlertingOnesWhenTheirSettingsSaySo() {
        assertEquals("classpath:routes/extractors/ebpf.camel.yaml,classpath:routes/tools/fibre-exporter.camel.yaml",
                PeerObserver.bundledRoutes(settings(Map.of("EXTRACTOR_TYPE", "ebpf", "TOOLS", "fibre-exporter"))));
        // names without a file (none), spaces and a repeat
        String loaded = PeerObserver.bundledRoutes(settings(Map.of("EXTRACTOR_TYPE", " replay , p2p,p2p", "TOOLS", "none, metrics,alerts")));
        assertEquals(List.of("extractors/replay", "extractors/p2p", "tools/metrics", "tools/alerts"), files(loaded));
        assertFalse(PeerObserver.bundledRoutes(settings(Map.of("EXTRACTOR_TYPE", "none", "TOOLS", "none"))).contains("routes/"));
        // a detector named, or alerts from elsewhere to send on
        for (String setting : PeerObserver.ALERT_ROUTE_SETTINGS) {
            assertEquals(List.of("extractors/rpc", "tools/logger", "tools/alerts"),
                    files(PeerObserver.bundledRoutes(settings(Map.of("EXTRACTOR_TYPE", "rpc", "TOOLS", "logger", setting, "x")))), setting);
        }
    }

    /** Settings as the environment gives them, the rest empty. */
    private static Function<String, String> settings(Map<String, String> env) {
        return name -> env.getOrDefault(name, "");
    }

    private static List<String> files(String pattern) {
        List<String> names = new ArrayList<>();
        for (String p : pattern.split(",")) {
            names.add(p.replace("classpath:routes/", "").replace(".camel.yaml", ""));
        }
        return names;
    }
}
