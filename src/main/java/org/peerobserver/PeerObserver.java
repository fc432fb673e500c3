package org.peerobserver;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.PropertyBindingException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.peerobserver.cli.CommandLine;
import org.peerobserver.extractor.replay.ReplayConsumer;
import org.peerobserver.support.LogConfiguration;

/**
 * Starts the application: camel-main with {@code application.properties} and the YAML routes.
 * Which extractors and tools run is configuration ({@code EXTRACTOR_TYPE}, {@code TOOLS}), or the
 * subcommand given on the command line ({@link CommandLine}).
 */
public final class PeerObserver {
    /** The names the bundled route files' preconditions test (EXTRACTOR_TYPE, TOOLS). */
    static final List<String> EXTRACTORS = List.of("replay", "ebpf", "rpc", "p2p", "log", "none");
    static final List<String> TOOLS = List.of("logger", "metrics", "websocket", "connectivity-check", "fibre-exporter",
            "record", "alerts", "none");
    /** The detectors ALERTS may name (the alert-* routes' preconditions). */
    static final List<String> DETECTORS = List.of("inbound-flood", "spy-ranges", "address-flood", "chain-tip", "ping-spike",
            "misbehaviour", "evictions", "mempool-rejects", "mempool-drop", "fibre", "self");

    /**
     * The alerting routes run when TOOLS lists alerts, and also when one of these settings is set (ALERTS
     * names detectors; the others send on alerts from elsewhere): RouteFilesTest checks them against the
     * file's preconditions. Every other route file's routes wait for its own name in EXTRACTOR_TYPE or TOOLS.
     */
    static final List<String> ALERT_ROUTE_SETTINGS = List.of("ALERTS", "ALERT_RECEIVER_TOKEN", "ALERT_WEBHOOK_URL",
            "ALERT_SLACK_WEBHOOK_URL", "ALERT_MATRIX_HOMESERVER", "ALERT_SMTP_HOST");

    private PeerObserver() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine.Invocation invocation;
        try {
            invocation = CommandLine.parse(args, System.getenv());
        } catch (CommandLine.UsageException e) {
            System.err.println("peer-observer: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (invocation.help() != null) {
            System.out.print(invocation.help());
            return;
        }
        // before the first logger exists: a bad LOG_LEVEL would otherwise print a stack trace and run on
        Settings settings = Settings.of(System.getenv(), invocation.settings());
        ManagementServer management;
        Map<String, String> managementProperties;
        try {
            settings.check();
            management = ManagementServer.of(settings);
            management.checkPortFree();
            managementProperties = management.configure();
        } catch (Settings.BadSettingException e) {
            System.err.println("peer-observer: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        // the log's configuration (LogConfiguration) reads them
        invocation.settings().forEach((k, v) -> {
            if (CommandLine.Invocation.isLogging(k)) {
                System.setProperty(k, v);
            }
        });
        // Jolokia shows the system properties, among them the command line: not with its passwords
        String command = System.getProperty("sun.java.command");
        if (command != null) {
            for (String secret : CommandLine.secrets(args)) {
                command = command.replace(secret, "xxxxxx");
            }
            System.setProperty("sun.java.command", command);
        }
        // jnats and Vert.x log through java.util.logging; send that into the same log
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        // now that its settings are in place, before Camel's Main, whose classes make their loggers as they load
        LogConfiguration.install();
        // no class-path scanning: everything is in application.properties and the route files
        Main main = new Main();
        String routesDir = settings.value("ROUTES_DIR");
        if (routesDir.isBlank()) {
            main.addOverrideProperty("camel.main.routes-include-pattern", bundledRoutes(settings::value));
        } else {
            routesFromDirectory(main, routesDir, Boolean.parseBoolean(settings.value("ROUTES_RELOAD")));
        }
        invocation.settings().forEach((k, v) -> {
            if (!CommandLine.Invocation.isLogging(k)) {
                main.addOverrideProperty(k, v);
            }
        });
        managementProperties.forEach(main::addOverrideProperty);
        settings.durationsWithUnits().forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                try {
                    management.watch(configured.getCamelContext());
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeCamelException(e);
                }
            }
        });
        try {
            main.run(new String[0]);
            // Camel Main's own code is unset when the context just stops (a signal, the end of a replay)
            System.exit(Integer.parseInt(main.getCamelContext().getGlobalOptions().getOrDefault(ReplayConsumer.EXIT_STATUS, "0")));
        } catch (Exception e) {
            System.err.println("peer-observer: cannot start: " + rootMessage(e));
            System.exit(2);
        }
    }

    /** The innermost cause says what is wrong (a setting, a port, a file); the wrappers only repeat it. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        PropertyBindingException binding = null;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof PropertyBindingException p) {
                binding = p;
            }
            root = root.getCause();
        }
        if (binding != null && binding.getValue() != null) {
            // the root ("For input string: ...") names neither the option nor the setting it came from
            return "'" + binding.getValue() + "' is not a valid " + binding.getPropertyName()
                    + settingsHolding(binding.getValue().toString(), System.getenv());
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** " (setting NAME)" for the environment variables that hold this value, so the user knows which to fix. */
    static String settingsHolding(String value, Map<String, String> env) {
        List<String> names = env.entrySet().stream().filter(v -> v.getValue().trim().equals(value.trim()))
                .map(Map.Entry::getKey).sorted().toList();
        return names.isEmpty() ? "" : " (setting " + String.join(" or ", names) + ")";
    }

    /**
     * The bundled route files of the extractors and tools named (and the alerting routes when their settings
     * start them): Camel parses every file it is given and makes its beans even when none of its routes runs.
     */
    static String bundledRoutes(Function<String, String> setting) {
        Set<String> files = new LinkedHashSet<>();
        named(setting.apply("EXTRACTOR_TYPE")).forEach(e -> files.add("extractors/" + e));
        named(setting.apply("TOOLS")).forEach(t -> files.add("tools/" + t));
        if (ALERT_ROUTE_SETTINGS.stream().anyMatch(s -> !setting.apply(s).isBlank())) {
            files.add("tools/alerts");
        }
        return files.stream().map(f -> "routes/" + f + ".camel.yaml")
                .filter(f -> PeerObserver.class.getClassLoader().getResource(f) != null)
                .map(f -> "classpath:" + f).collect(Collectors.joining(","));
    }

    private static List<String> named(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** Route files from a directory of the user's (same layout as the bundled ones) instead of the jar. */
    static void routesFromDirectory(Main main, String directory, boolean reload) {
        main.addOverrideProperty("camel.main.routes-include-pattern",
                "file:" + directory + "/extractors/*.camel.yaml,file:" + directory + "/tools/*.camel.yaml");
        if (reload) {
            // ours, not camel.main.routes-reload-*: a file that fails to load must leave its running routes alone
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    try {
                        configured.getCamelContext().addService(new RouteFileReload(directory));
                    } catch (Exception e) {
                        throw RuntimeCamelException.wrapRuntimeCamelException(e);
                    }
                }
            });
        }
    }
}
