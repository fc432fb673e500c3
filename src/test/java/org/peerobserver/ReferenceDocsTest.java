package org.peerobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peerobserver.cli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md and docs/cli.md below their "generated" line come from the one declaration of each
 * setting: its {@code {{env:NAME:default}}} line in application.properties with the comment above it and its
 * section, its kind in {@link Settings}, and the flags (picocli options) that name it. This test fails when a
 * page is out of date; {@value #REGENERATE} rewrites both.
 */
class ReferenceDocsTest {
    static final String REGENERATE = "mvn -q -B -ntp test -Dtest=ReferenceDocsTest -Dregenerate=true";
    private static final String MARKER = "<!-- generated below by ReferenceDocsTest: do not edit by hand; " + REGENERATE + " -->";
    private static final Path CONFIGURATION = Path.of("docs/configuration.md");
    private static final Path CLI = Path.of("docs/cli.md");
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+):([^}]*)}}");
    private static final Pattern SECTION = Pattern.compile("#\\s*---\\s*(.*?)\\s*-*\\s*");
    private static final Pattern KEY = Pattern.compile("([A-Za-z][^=\\s]*)\\s*=.*");

    @Test
    void configurationReferenceIsUpToDate() throws IOException {
        check(CONFIGURATION, configuration());
    }

    @Test
    void commandLineReferenceIsUpToDate() throws IOException {
        check(CLI, cli());
    }

    /** The reference's "Meaning" column: every setting says what it does, in the comment above its line or by its flag. */
    @Test
    void everySettingSaysWhatItDoes() throws IOException {
        List<String> silent = configuration().lines().filter(l -> l.startsWith("| `") && l.endsWith("|  |"))
                .map(l -> l.substring(2, l.indexOf(" |"))).toList();
        assertEquals(List.of(), silent, "add a one-line comment above these settings' lines in application.properties");
    }

    /** A flag's help names its variable in brackets: one that is no setting would send the reader nowhere. */
    @Test
    void everyVariableAFlagNamesIsASetting() {
        Set<String> names = new java.util.HashSet<>();
        Settings.of(Map.of(), Map.of()).all().forEach(s -> names.add(s.name()));
        for (String variable : CommandLine.flagsByVariable().keySet()) {
            assertTrue(names.contains(variable), variable + " is named by " + CommandLine.flagsByVariable().get(variable)
                    + " but is no setting of application.properties");
        }
        assertTrue(CommandLine.flagsByVariable().size() > 60, "variables with a flag: " + CommandLine.flagsByVariable().size());
    }

    /**
     * The variable a flag's help names is the one it overrides: given on the command line, the flag writes that
     * variable's application.properties key (or, for LOG_LEVEL, the logging property), with a value that setting takes.
     */
    @Test
    void everyFlagWritesTheSettingItsHelpNames(@TempDir Path dir) throws Exception {
        String file = Files.writeString(dir.resolve("readable"), "x").toString();
        Map<String, Settings.Setting> settings = new LinkedHashMap<>();
        Settings.of(Map.of(), Map.of()).all().forEach(s -> settings.put(s.name(), s));
        int checked = 0;
        for (Map.Entry<String, Set<String>> e : CommandLine.flagsByVariable().entrySet()) {
            String key = settings.get(e.getKey()).key();
            for (String flag : e.getValue()) {
                Map<String, String> written = written(flag.split(" ")[0], file);
                assertTrue(written.containsKey(key), flag + " names " + e.getKey() + " (" + key + ") but writes " + written.keySet());
                checked++;
            }
        }
        assertTrue(checked > 60, "flags checked: " + checked);
    }

    /**
     * What the flag writes in `all` (or, for fibre_exporter.py's own flags, in fibre-exporter), as a switch or with the first of a few values that it and the settings it writes
     * take (a flag that wrote seconds where its setting wants a duration would fail here).
     */
    private static Map<String, String> written(String flag, String readableFile) {
        Map<String, String> env = Map.of("RPC_USER", "u");  // --rpc-password needs a user
        List<List<String>> tries = new ArrayList<>();
        for (List<String> sub : List.of(List.<String>of(), List.of("fibre-exporter"))) {
            tries.add(concat(sub, List.of(flag)));
            for (String value : List.of("127.0.0.1:1", "1", "regtest", "info", "replay", "logger", "upstream",
                    "2026-12-01T10:00:00Z", readableFile)) {
                tries.add(concat(sub, List.of(flag, value)));
            }
        }
        for (List<String> args : tries) {
            try {
                Map<String, String> written = CommandLine.parse(args.toArray(String[]::new), env).settings();
                Settings.of(env, written).check();
                return written;
            } catch (CommandLine.UsageException | Settings.BadSettingException tryTheNext) {
                // the next value
            }
        }
        throw new AssertionError(flag + " takes none of the values tried");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void check(Path page, String generated) throws IOException {
        String text = Files.readString(page);
        int marker = text.indexOf(MARKER);
        assertTrue(marker >= 0, page + " lacks the line " + MARKER);
        String expected = text.substring(0, marker + MARKER.length()) + "\n\n" + generated;
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(page, expected);
        }
        assertEquals(expected, Files.readString(page), page + " is out of date; regenerate it with: " + REGENERATE);
    }

    /**
     * One table per section of application.properties, in its order, the settings read outside it first. A setting
     * goes to the first section that configures its component (rpc.*, camel.component.bus.*...), so that the
     * reference is grouped by extractor, tool, bus and management even where the file is not.
     */
    static String configuration() throws IOException {
        Map<String, String> sectionOf = new LinkedHashMap<>();
        Map<String, String> commentOf = new LinkedHashMap<>();
        Map<String, String> homeOf = new LinkedHashMap<>();
        String section = "Settings";
        List<String> comment = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            String l = line.strip();
            Matcher heading = SECTION.matcher(l);
            if (heading.matches()) {
                section = heading.group(1);
                comment.clear();
            } else if (l.startsWith("#")) {
                comment.add(l.substring(1).strip());
            } else if (KEY.matcher(l).matches()) {
                // a setting belongs with its component's others, wherever the file has put it
                String home = homeOf.putIfAbsent(component(l), section);
                home = home == null ? section : home;
                Matcher env = ENV.matcher(l);
                while (env.find()) {
                    sectionOf.putIfAbsent(env.group(1), home);
                    commentOf.putIfAbsent(env.group(1), String.join(" ", comment));
                }
                comment.clear();
            } else {
                comment.clear();
            }
        }
        Map<String, Set<String>> flags = CommandLine.flagsByVariable();
        Map<String, List<Settings.Setting>> groups = new LinkedHashMap<>();
        List<Settings.Setting> all = Settings.of(Map.of(), Map.of()).all();
        for (Settings.Setting s : all) {
            if (Settings.outsideCamelDescription(s.name()) != null) {
                groups.computeIfAbsent("Logging and route files", g -> new ArrayList<>()).add(s);
            }
        }
        for (String name : sectionOf.keySet()) {
            all.stream().filter(s -> s.name().equals(name) && Settings.outsideCamelDescription(name) == null).findFirst()
                    .ifPresent(s -> groups.computeIfAbsent(sectionOf.get(name), g -> new ArrayList<>()).add(s));
        }
        StringBuilder b = new StringBuilder();
        b.append(all.size()).append(" settings.\n");
        groups.forEach((title, settings) -> {
            b.append("\n## ").append(title).append("\n\n");
            b.append("| Variable | Flag | Default | Takes | Meaning |\n|---|---|---|---|---|\n");
            for (Settings.Setting s : settings) {
                String problem = s.rule().problem("?");
                String meaning = meaning(s.name(), commentOf);
                b.append("| `").append(s.name()).append("` | ")
                        .append(String.join(", ", flags.getOrDefault(s.name(), Set.of()).stream().map(f -> "`" + f + "`").toList()))
                        .append(" | ").append(s.defaultValue().isEmpty() ? "" : "`" + cell(s.defaultValue()) + "`")
                        .append(" | ").append(problem == null ? "text" : cell(problem.replaceFirst("^it takes ", "")))
                        .append(" | ").append(cell(meaning)).append(" |\n");
            }
        });
        return b.toString();
    }

    /** The component a key configures: camel.component.bus, camel.metrics, rpc, http... */
    private static String component(String line) {
        String[] parts = line.substring(0, line.indexOf('=')).strip().split("\\.");
        int depth = parts[0].equals("camel") ? (parts.length > 2 && parts[1].equals("component") ? 3 : 2) : 1;
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length)));
    }

    /** The comment above the setting's line; for one read outside application.properties, Settings' word; else its flag's help. */
    private static String meaning(String name, Map<String, String> commentOf) {
        if (Settings.outsideCamelDescription(name) != null) {
            return Settings.outsideCamelDescription(name);
        }
        String comment = commentOf.getOrDefault(name, "");
        return comment.isEmpty() ? CommandLine.flagHelpByVariable().getOrDefault(name, "") : comment;
    }

    /** Each subcommand's --help as picocli prints it. */
    static String cli() {
        StringBuilder b = new StringBuilder();
        for (String sub : CommandLine.subcommands()) {
            b.append("### `peer-observer ").append(sub.equals("all") ? "[all]" : sub).append(" --help`\n\n```text\n")
                    .append(CommandLine.help(sub).stripTrailing()).append("\n```\n\n");
        }
        return b.toString().stripTrailing() + "\n";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
