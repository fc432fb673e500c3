package org.peerobserver.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.peerobserver.cli.CommandLine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** docs/docker.md says what the compose files do: its tables and its commands. */
class DockerPageTest {
    /** VAR=value before a command; a value in angle brackets is a placeholder and may hold spaces. */
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_]+)=(?:<[^>]*>|\\S*)\\s+");
    private static final Pattern ASSIGNMENTS = Pattern.compile("^(?:" + ASSIGNMENT.pattern() + ")*");
    private final String section = dockerSection();

    private static String dockerSection() {
        try {
            return Files.readString(Path.of("docs/docker.md"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The rows of the section's table whose first header cell is {@code first}, cells without backticks. */
    private List<List<String>> table(String first) {
        List<List<String>> rows = new ArrayList<>();
        boolean in = false;
        for (String line : section.split("\n")) {
            if (!line.startsWith("|")) {
                in = false;
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                    .map(c -> c.strip().replace("`", "")).toList();
            if (cells.get(0).equals(first)) {
                in = true;
            } else if (in && !cells.get(0).startsWith("---")) {
                rows.add(cells);
            }
        }
        assertTrue(!rows.isEmpty(), "no table headed " + first + " in docs/docker.md");
        return rows;
    }

    private static Set<String> list(String cell) {
        return cell.isEmpty() || cell.startsWith("(") ? Set.of() : Arrays.stream(cell.split(",\\s*")).collect(Collectors.toSet());
    }

    @Test
    void servicesTableIsWhatComposeRuns() {
        ObjectNode model = ComposeModel.load("compose.yaml");
        Set<String> listed = new HashSet<>();
        for (List<String> row : table("Service")) {
            String name = row.get(0);
            listed.add(name);
            JsonNode service = ComposeModel.service(model, name);
            assertEquals(list(row.get(1)), new HashSet<>(ComposeModel.strings(service.path("profiles"))), name + " profiles");
            if (!name.equals("bitcoin-node")) {
                Set<Integer> ports = list(row.get(2)).stream().map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
                assertEquals(ports, ComposeModel.publishedPorts(service), name + " ports");
            }
        }
        assertEquals(ComposeFilesTest.names(model.path("services")), listed, "services in compose.yaml");
    }

    @Test
    void nodeTableIsWhatEachNodeFilePublishes() {
        List<String> files = new ArrayList<>();
        for (List<String> row : table("File")) {
            files.add(row.get(0));
            JsonNode node = ComposeModel.service(ComposeModel.load(row.get(0)), "bitcoin-node");
            assertEquals(row.get(1), ComposeModel.environment(node).get("BITCOIN_NETWORK"), row.get(0));
            assertEquals(Set.of(Integer.valueOf(row.get(2)), Integer.valueOf(row.get(3))), ComposeModel.publishedPorts(node), row.get(0));
        }
        assertEquals(ComposeModel.NODE_FILES, files);
    }

    @Test
    void variablesTableAndEnvExampleAreTheFilesVariablesWithTheirDefaults() throws IOException {
        Map<String, String> inFiles = ComposeModel.variables();
        Map<String, String> inReadme = new TreeMap<>();
        table("Variable").forEach(row -> inReadme.put(row.get(0), row.get(1).equals("(empty)") ? "" : row.get(1)));
        assertEquals(inFiles, inReadme, "docs/docker.md's variables and defaults against the compose files'");
        Map<String, String> example = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                example.put(kv[0], kv[1]);
            }
        }
        assertEquals(inFiles, example, ".env.example against the compose files");
    }

    @Test
    void everyCommandOnThePageWorks() throws Exception {
        Set<String> variables = ComposeModel.variables().keySet();
        int compose = 0;
        int ours = 0;
        for (String command : commands()) {
            Matcher assignments = ASSIGNMENTS.matcher(command);
            assignments.find();
            Matcher assignment = ASSIGNMENT.matcher(assignments.group());
            while (assignment.find()) {
                assertTrue(variables.contains(assignment.group(1)), command + ": " + assignment.group(1) + " is not a variable of the compose files");
            }
            List<String> words = List.of(command.substring(assignments.end()).split("\\s+"));
            if (words.get(0).equals("docker")) {
                checkCompose(command, words.subList(2, words.size()));
                compose++;
            } else {
                String[] args = words.subList(1, words.size()).toArray(String[]::new);
                assertNull(CommandLine.parse(args, Map.of()).help(), command);
                ours++;
            }
        }
        assertTrue(compose >= 30 && ours >= 2, compose + " compose and " + ours + " peer-observer commands");
    }

    private static void checkCompose(String command, List<String> words) {
        String file = "compose.yaml";
        Set<String> profiles = new HashSet<>();
        int i = 0;
        for (; i < words.size() && words.get(i).startsWith("-"); i += 2) {
            if (words.get(i).equals("-f")) {
                file = words.get(i + 1);
                assertTrue(ComposeModel.TOP_LEVEL.contains(file), command + ": no compose file " + file);
            } else {
                assertEquals("--profile", words.get(i), command);
                profiles.add(words.get(i + 1));
            }
        }
        ObjectNode model = ComposeModel.load(file);
        Map<String, List<String>> profilesOf = new LinkedHashMap<>();
        model.path("services").fields().forEachRemaining(s -> profilesOf.put(s.getKey(), ComposeModel.strings(s.getValue().path("profiles"))));
        for (String p : profiles) {
            assertTrue(profilesOf.values().stream().anyMatch(l -> l.contains(p)), command + ": no profile " + p + " in " + file);
        }
        String subcommand = words.get(i);
        assertTrue(Set.of("build", "up", "ps", "logs", "exec", "stop", "down").contains(subcommand), command);
        List<String> services = words.subList(i + 1, words.size()).stream().filter(w -> !w.startsWith("-")).toList();
        // a service named on the command line runs whatever its profiles (compose enables them)
        for (String s : subcommand.equals("exec") ? services.subList(0, 1) : services) {
            assertTrue(profilesOf.containsKey(s), command + ": no service " + s + " in " + file);
        }
    }

    /** docker compose and bin/peer-observer commands: lines of code blocks and inline code, comments cut. */
    private List<String> commands() {
        List<String> commands = new ArrayList<>();
        Pattern command = Pattern.compile(ASSIGNMENTS.pattern() + "(?:docker compose|bin/peer-observer) .*");
        boolean block = false;
        for (String line : section.split("\n")) {
            if (line.startsWith("```")) {
                block = !block;
            } else if (block) {
                String code = line.replaceFirst("\\s+#.*", "").strip();
                if (command.matcher(code).matches()) {
                    commands.add(code);
                }
            } else {
                Matcher inline = Pattern.compile("`([^`]+)`").matcher(line);
                while (inline.find()) {
                    if (command.matcher(inline.group(1)).matches()) {
                        commands.add(inline.group(1));
                    }
                }
            }
        }
        return commands;
    }
}
