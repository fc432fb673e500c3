package org.peerobserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.peerobserver.support.DurationText;
import org.peerobserver.support.LogConfiguration;
import org.peerobserver.tool.connectivity.AddressPolicy;

/**
 * Every setting the application takes from its environment, checked before anything starts: a bad
 * value ends the start with one sentence naming the variable and what it accepts, where otherwise
 * Camel would print a stack trace, take a random port for {@code abc}, or run on with the default.
 * <p>
 * The settings are the {@code {{env:NAME:default}}} lines of application.properties, so one added
 * there is checked too: its kind comes from its default (a port for {@code *_PORT}, a whole number,
 * a number, true/false, host:port, a duration such as {@code 10s}), or from {@link #KINDS} for the others (named values, a directory). A few
 * more are read outside Camel ({@link #OUTSIDE_CAMEL}). A command-line flag wins over the variable
 * (it writes the same application.properties key), so the value checked is the one that will be used.
 */
final class Settings {
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+):([^}]*)}}");
    private static final Pattern WHOLE = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^]]+]|[^/:,\\s\\[\\]]+):(\\d+)");

    private static final Map<String, String> UNIT_NAMES = Map.of("ms", "milliseconds", "s", "seconds", "m", "minutes",
            "h", "hours", "d", "days");

    private static final List<String> NETWORKS = List.of("mainnet", "main", "bitcoin", "testnet", "testnet3", "test", "testnet4",
            "signet", "regtest");

    /** Settings whose kind their default cannot tell: mostly names (a list takes several, comma-separated). */
    private static final Map<String, Rule> KINDS = Map.ofEntries(
            Map.entry("LOG_LEVEL", oneOf(List.of("trace", "debug", "info", "warn", "error"))),
            Map.entry("LOG_STACKTRACES", oneOf(List.of("short", "full"))),
            Map.entry("LOG_FORMAT", oneOf(List.of("text", "json"))),
            Map.entry("BUS", oneOf(List.of("embedded", "nats"))),
            Map.entry("EXTRACTOR_TYPE", listOf(PeerObserver.EXTRACTORS, false)),
            Map.entry("TOOLS", listOf(PeerObserver.TOOLS, false)),
            Map.entry("ALERTS", listOf(PeerObserver.DETECTORS, true)),
            Map.entry("BITCOIN_NETWORK", oneOf(NETWORKS)),
            Map.entry("P2P_NETWORK", oneOf(NETWORKS)),
            Map.entry("CONNECTIVITY_NETWORK", oneOf(NETWORKS)),
            Map.entry("WEBSOCKET_FORMAT", oneOf(List.of("proto-json", "upstream"))),
            Map.entry("P2P_V2_TRANSPORT", oneOf(List.of("prefer", "require", "disable"))),
            Map.entry("P2P_CONNECT", Settings::hostPortList),
            Map.entry("LOGGER_FILTER", listOf(List.of("messages", "connections", "addrman", "mempool", "validation", "rpc",
                    "p2p-extractor", "log-extractor", "ext"), true)),
            Map.entry("CONNECTIVITY_ALLOW", listOf(AddressPolicy.ALLOWABLE, true)),
            // a factor: 0.5 is half the recorded pace
            Map.entry("REPLAY_SPEED", Settings::nonNegativeNumber),
            Map.entry("ROUTES_DIR", v -> v.isEmpty() || Files.isDirectory(Path.of(v)) ? null
                    : "it takes a directory (with extractors/ and tools/ route files), or nothing for the bundled routes"));

    /**
     * Read by the log's configuration ({@link LogConfiguration}) or before Camel starts, not through
     * application.properties: name, key of its flag, default, and what it does (application.properties' settings
     * say that in the comment above them).
     */
    private static final List<String[]> OUTSIDE_CAMEL = List.of(
            new String[] { "LOG_LEVEL", LogConfiguration.LEVEL, LogConfiguration.DEFAULTS.get("LOG_LEVEL"),
                "level of our own log lines and of the logger tool's" },
            new String[] { "LOG_STACKTRACES", "", LogConfiguration.DEFAULTS.get("LOG_STACKTRACES"),
                "short: an exception's first line only; full: whole stack traces" },
            new String[] { "LOG_FORMAT", "", LogConfiguration.DEFAULTS.get("LOG_FORMAT"),
                "text: one dated line per log event; json: one JSON object per line, for Loki" },
            new String[] { "ROUTES_DIR", "", "", "a directory with extractors/ and tools/ route files used instead of the bundled ones" },
            new String[] { "ROUTES_RELOAD", "", "false", "with ROUTES_DIR: reload a route file when it changes" },
            // fibre_exporter.py's variables that the fibre-exporter subcommand reads (docs/fibre-exporter.md)
            new String[] { "FIBRE_BITCOIND_PATH", "ebpf.bitcoind-path", "",
                "fibre-exporter subcommand: bitcoind binary to attach to in its own process, as fibre_exporter.py" },
            new String[] { "FIBRE_PID", "camel.component.bitcoin-ebpf.configuration.pid", "",
                "fibre-exporter subcommand: bitcoind's process id (attaching in its own process)" },
            new String[] { "FIBRE_LOG_LEVEL", LogConfiguration.LEVEL, "", "fibre-exporter subcommand: DEBUG, INFO, WARNING or ERROR" },
            new String[] { "FIBRE_LOG_FILE", LogConfiguration.FILE, "", "fibre-exporter subcommand: also write the log to this file" });

    /** What a value must be; {@link #problem} says what is accepted, or null when the value is fine. */
    interface Rule {
        String problem(String value);
    }

    /** A setting: its environment variable, the application.properties key it feeds (may be empty), its default. */
    record Setting(String name, String key, String defaultValue, Rule rule) {
    }

    /** A value that cannot work; the message is the whole sentence the user sees. */
    static final class BadSettingException extends Exception {
        BadSettingException(String message) {
            super(message);
        }
    }

    private final Map<String, Setting> settings;
    private final Map<String, String> env;
    private final Map<String, String> flags;

    private Settings(Map<String, Setting> settings, Map<String, String> env, Map<String, String> flags) {
        this.settings = settings;
        this.env = env;
        this.flags = flags;
    }

    /** The settings of the bundled application.properties, valued from {@code flags} (application.properties keys), then {@code env}. */
    static Settings of(Map<String, String> env, Map<String, String> flags) {
        Properties properties = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (String[] s : OUTSIDE_CAMEL) {
            settings.put(s[0], new Setting(s[0], s[1], s[2], ruleFor(s[0], s[2])));
        }
        properties.stringPropertyNames().stream().sorted().forEach(key -> {
            Matcher m = ENV.matcher(properties.getProperty(key));
            while (m.find()) {
                settings.putIfAbsent(m.group(1), new Setting(m.group(1), key, m.group(2), ruleFor(m.group(1), m.group(2))));
            }
        });
        return new Settings(settings, env, flags);
    }

    /** What a setting read outside application.properties does; null for the others. */
    static String outsideCamelDescription(String name) {
        return OUTSIDE_CAMEL.stream().filter(s -> s[0].equals(name)).map(s -> s[3]).findFirst().orElse(null);
    }

    /** Every setting, in a stable order. */
    List<Setting> all() {
        return List.copyOf(settings.values());
    }

    /** The value that will be used: the flag's, else the variable's, else the default. */
    String value(String name) {
        Setting s = settings.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no setting " + name);
        }
        if (!s.key().isEmpty() && flags.containsKey(s.key())) {
            return flags.get(s.key());
        }
        return env.getOrDefault(name, s.defaultValue());
    }

    /**
     * The duration settings given as a bare number, as application.properties keys with the unit of their
     * default added ({@code P2P_PING_INTERVAL=10} is {@code 10s}): they kept their meaning when they became
     * durations, and Camel would read a bare number as milliseconds.
     */
    Map<String, String> durationsWithUnits() {
        Map<String, String> withUnits = new LinkedHashMap<>();
        for (Setting s : settings.values()) {
            String value = value(s.name()).trim();
            if (!s.key().isEmpty() && DurationText.unitOf(s.defaultValue()) != null && DurationText.isBareNumber(value)) {
                withUnits.put(s.key(), value + DurationText.unitOf(s.defaultValue()));
            }
        }
        return withUnits;
    }

    /** Throws for the first setting whose value cannot work. */
    void check() throws BadSettingException {
        for (Setting s : settings.values()) {
            String value = value(s.name());
            String problem = s.rule().problem(value);
            if (problem != null) {
                String byFlag = !s.key().isEmpty() && flags.containsKey(s.key()) ? " (as its command-line flag gave it)" : "";
                throw new BadSettingException(s.name() + byFlag + " is '" + value + "', but " + problem);
            }
        }
    }

    // ---- rules --------------------------------------------------------------------------------------

    static Rule ruleFor(String name, String defaultValue) {
        Rule kind = KINDS.get(name);
        if (kind != null) {
            return kind;
        }
        if (name.endsWith("_PORT") && WHOLE.matcher(defaultValue).matches()) {
            return v -> port(v) ? null : "a port is a whole number from 0 to 65535";
        }
        if (defaultValue.equals("true") || defaultValue.equals("false")) {
            return v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null : "it takes true or false";
        }
        if (WHOLE.matcher(defaultValue).matches()) {
            return defaultValue.startsWith("-") ? Settings::wholeNumber : Settings::nonNegativeWholeNumber;
        }
        String unit = DurationText.unitOf(defaultValue);
        if (unit != null) {
            return v -> DurationText.isAccepted(v) ? null
                    : "it takes a duration such as 10s, 500ms, 2m or PT10S, or a whole number of " + UNIT_NAMES.get(unit);
        }
        if (DECIMAL.matcher(defaultValue).matches()) {
            return Settings::nonNegativeNumber;
        }
        if (HOST_PORT.matcher(defaultValue).matches()) {
            return v -> {
                Matcher m = HOST_PORT.matcher(v);
                return m.matches() && port(m.group(2)) ? null : "it takes host:port, e.g. " + defaultValue + " (a port is 0 to 65535)";
            };
        }
        return v -> null;
    }

    /** Empty, or host:port,host:port,... */
    private static String hostPortList(String v) {
        for (String part : v.split(",", -1)) {
            Matcher m = HOST_PORT.matcher(part.trim());
            if (!v.isEmpty() && !(m.matches() && port(m.group(2)))) {
                return "it takes host:port,host:port,... e.g. 127.0.0.1:18444 (a port is 0 to 65535), or nothing to listen instead";
            }
        }
        return null;
    }

    private static boolean port(String v) {
        return WHOLE.matcher(v).matches() && v.length() <= 5 && Integer.parseInt(v) >= 0 && Integer.parseInt(v) <= 65535;
    }

    private static String wholeNumber(String v) {
        return parsesAsLong(v) ? null : "it takes a whole number";
    }

    private static String nonNegativeWholeNumber(String v) {
        return parsesAsLong(v) && !v.startsWith("-") ? null : "it takes a whole number of 0 or more";
    }

    private static String nonNegativeNumber(String v) {
        try {
            if (Double.parseDouble(v) >= 0 && !v.isBlank() && Character.isDigit(v.charAt(v.length() - 1))) {
                return null;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        return "it takes a number of 0 or more";
    }

    private static boolean parsesAsLong(String v) {
        try {
            Long.parseLong(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Rule oneOf(List<String> names) {
        return v -> names.contains(v.trim().toLowerCase(Locale.ROOT)) ? null : "it takes one of " + String.join(", ", names);
    }

    private static Rule listOf(List<String> names, boolean emptyOk) {
        Predicate<String> known = n -> names.contains(n.trim());
        return v -> {
            if (v.isBlank() ? emptyOk : Arrays.stream(v.split(",", -1)).allMatch(known)) {
                return null;
            }
            return "it takes a comma-separated list of " + String.join(", ", names) + (emptyOk ? ", or nothing" : "");
        };
    }
}
