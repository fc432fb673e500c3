package org.peerobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which bundled route files a run loads: those its extractors and tools name, and those that run on other settings too. */
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
            if (PeerObserver.ROUTES_ALWAYS.contains(kind + "/" + name)) {
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

    @Test
    void theNamedFilesAndTheAlwaysLoadedOnesAreLoaded() {
        assertEquals("classpath:routes/extractors/ebpf.camel.yaml,classpath:routes/tools/fibre-exporter.camel.yaml,"
                + "classpath:routes/tools/alerts.camel.yaml", PeerObserver.bundledRoutes("ebpf", "fibre-exporter"));
        // names without a file (none), spaces and a repeat
        String loaded = PeerObserver.bundledRoutes(" replay , p2p,p2p", "none, metrics,alerts");
        assertEquals(List.of("extractors/replay", "extractors/p2p", "tools/metrics", "tools/alerts"), files(loaded));
        assertFalse(PeerObserver.bundledRoutes("none", "none").contains("extractors/"));
    }

    private static List<String> files(String pattern) {
        List<String> names = new ArrayList<>();
        for (String p : pattern.split(",")) {
            names.add(p.replace("classpath:routes/", "").replace(".camel.yaml", ""));
        }
        return names;
    }
}
