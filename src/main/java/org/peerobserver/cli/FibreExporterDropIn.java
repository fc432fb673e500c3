package org.peerobserver.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The fibre-exporter subcommand as a drop-in for fibre-monitoring's {@code fibre_exporter.py}: its YAML
 * config file ({@code --config}) and its {@code FIBRE_*} variables, with its precedence (config file, then
 * variables, then flags). Given a bitcoind (path or PID) in any of them, the subcommand attaches to it
 * itself, as fibre_exporter.py does, on the in-JVM bus; without, it takes FIBRE events over NATS.
 */
final class FibreExporterDropIn {
    /** Where --config leaves its path for {@link #apply}; not a setting of the application. */
    static final String CONFIG = "fibre-exporter.config-file";
    static final String BITCOIND = "ebpf.bitcoind-path";
    static final String PID = "camel.component.bitcoin-ebpf.configuration.pid";
    private static final String EBPF = "camel.component.bitcoin-ebpf.configuration.";

    /**
     * A key of fibre_exporter.py's config file (and its other spelling), the variable that wins over it,
     * the setting both feed, and whether the variable is read here (else application.properties reads it).
     */
    private record Key(String name, String alias, String variable, String setting, boolean readHere) {
    }

    private static final List<Key> KEYS = List.of(
            new Key("bitcoind_path", "bitcoind", "FIBRE_BITCOIND_PATH", BITCOIND, true),
            new Key("pid", null, "FIBRE_PID", PID, true),
            new Key("node_name", null, "FIBRE_NODE_NAME", "fibre.node-name", false),
            new Key("metrics_port", "port", "FIBRE_METRICS_PORT", "fibre.metrics-port", false),
            new Key("health_port", null, "FIBRE_HEALTH_PORT", "fibre.health-port", false),
            new Key("verbose", null, "FIBRE_VERBOSE", "fibre.verbose", false),
            new Key("log_level", null, "FIBRE_LOG_LEVEL", Subcommands.LOG_LEVEL, true),
            new Key("log_file", null, "FIBRE_LOG_FILE", Subcommands.LOG_FILE, true),
            new Key("metrics_auth_username", null, "FIBRE_METRICS_AUTH_USERNAME", "fibre.auth-username", false),
            new Key("metrics_auth_password", null, "FIBRE_METRICS_AUTH_PASSWORD", "fibre.auth-password", false),
            new Key("tls_cert", null, "FIBRE_TLS_CERT", "fibre.tls-cert", false),
            new Key("tls_key", null, "FIBRE_TLS_KEY", "fibre.tls-key", false));

    private FibreExporterDropIn() {
    }

    /** The variables read here, each with what it sets, for the configuration reference. */
    static List<String[]> variablesReadHere() {
        return KEYS.stream().filter(Key::readHere).map(k -> new String[] {k.variable(), k.setting()}).toList();
    }

    /** Adds to the flags' {@code settings} what the config file and the variables say, and the drop-in's routes. */
    static void apply(Map<String, String> settings, Map<String, String> env) {
        String file = settings.remove(CONFIG);
        Map<String, Object> config = file == null ? Map.of() : load(file);
        for (Key k : KEYS) {
            if (settings.containsKey(k.setting())) {
                continue;   // a flag said it
            }
            String variable = env.get(k.variable());
            if (variable != null) {
                if (k.readHere()) {
                    settings.put(k.setting(), value(k, variable, k.variable()));
                }
                continue;
            }
            Object fromFile = config.containsKey(k.name()) || k.alias() == null ? config.get(k.name()) : config.get(k.alias());
            if (fromFile != null) {
                settings.put(k.setting(), value(k, fromFile.toString(), k.name() + " in " + file));
            }
        }
        if (settings.containsKey(BITCOIND) || settings.containsKey(PID)) {
            attachHere(settings, env);
        }
    }

    /** fibre_exporter.py's probes only (FIBRE's and block connections), on the in-JVM bus unless NATS is named. */
    private static void attachHere(Map<String, String> settings, Map<String, String> env) {
        settings.put("extractors", "ebpf");
        settings.put(EBPF + "fibre", "true");
        settings.put(EBPF + "validation", "true");
        for (String group : List.of("messages", "connections", "mempool", "utxocache", "addrman")) {
            settings.put(EBPF + group, "false");
        }
        if (!settings.containsKey("camel.component.bus.configuration.servers") && !env.containsKey("BUS")) {
            settings.put("camel.component.bus.configuration.type", "embedded");
        }
    }

    private static String value(Key k, String v, String where) {
        String value = v.strip();
        switch (k.name()) {
            case "pid" -> {
                if (!value.matches("[1-9]\\d{0,9}")) {
                    throw new Flag.BadFlagException(where + " needs a process id, not '" + value + "'");
                }
            }
            case "metrics_port", "health_port" -> {
                if (!value.matches("\\d{1,5}") || Integer.parseInt(value) > 65535) {
                    throw new Flag.BadFlagException(where + " needs a port (0 to 65535), not '" + value + "'");
                }
            }
            case "verbose" -> value = Boolean.toString(value.equalsIgnoreCase("true"));   // as fibre_exporter.py reads it
            case "log_level" -> value = logLevel(where, value);
            default -> {
                // a path or a name, taken as it is
            }
        }
        return value;
    }

    /** fibre_exporter.py's DEBUG, INFO, WARNING, ERROR, and ours. */
    static String logLevel(String where, String v) {
        String level = v.toLowerCase(Locale.ROOT);
        if (level.equals("warning")) {
            return "warn";
        }
        if (List.of("trace", "debug", "info", "warn", "error").contains(level)) {
            return level;
        }
        throw new Flag.BadFlagException(where + " cannot be '" + v + "'; choose from DEBUG, INFO, WARNING, ERROR (or trace)");
    }

    private static Map<String, Object> load(String file) {
        Object root;
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            root = new Load(LoadSettings.builder().setMaxAliasesForCollections(10).build()).loadFromReader(in);
        } catch (IOException | YamlEngineException e) {
            throw new Flag.BadFlagException("--config '" + file + "' cannot be read as YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            return Map.of();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new Flag.BadFlagException("--config '" + file + "' is not a YAML mapping of fibre_exporter.py's keys");
        }
        Map<String, Object> config = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (KEYS.stream().noneMatch(k -> k.name().equals(key) || key.equals(k.alias()))) {
                throw new Flag.BadFlagException("--config '" + file + "' has an unknown key '" + key + "'; fibre_exporter.py's keys: "
                        + String.join(", ", KEYS.stream().map(Key::name).toList()));
            }
            config.put(key, e.getValue());
        }
        return config;
    }
}
