package org.peerobserver;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.peerobserver.cli.CommandLine;

/**
 * Starts the application: camel-main with {@code application.properties} and the YAML routes.
 * Which extractors and tools run is configuration ({@code EXTRACTOR_TYPE}, {@code TOOLS}), or the
 * subcommand given on the command line ({@link CommandLine}).
 */
public final class PeerObserver {
    /** The names the bundled route files' preconditions test. */
    static final List<String> EXTRACTORS = List.of("replay", "ebpf", "rpc", "p2p", "log", "none");
    static final List<String> TOOLS = List.of("logger", "metrics", "websocket", "connectivity-check", "fibre-exporter",
            "record", "none");

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
        // before the first logger exists: log4j2.properties reads them
        invocation.settings().forEach((k, v) -> {
            if (CommandLine.Invocation.isLogging(k)) {
                System.setProperty(k, v);
            }
        });
        // jnats and Vert.x log through java.util.logging; send that into the same log
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        // no class-path scanning: everything is in application.properties and the route files
        Main main = new Main();
        routesFromDirectory(main, System.getenv("ROUTES_DIR"), "true".equalsIgnoreCase(System.getenv("ROUTES_RELOAD")));
        invocation.settings().forEach((k, v) -> {
            if (!CommandLine.Invocation.isLogging(k)) {
                main.addOverrideProperty(k, v);
            }
        });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                CamelContext context = configured.getCamelContext();
                // an unknown name would otherwise match no route's precondition and run nothing, silently
                checkNames(context.resolvePropertyPlaceholders("{{extractors}}"), "EXTRACTOR_TYPE (--extractors)", EXTRACTORS);
                checkNames(context.resolvePropertyPlaceholders("{{tools}}"), "TOOLS (--tools)", TOOLS);
            }
        });
        try {
            System.exit(main.run(new String[0]));
        } catch (Exception e) {
            System.err.println("peer-observer: cannot start: " + rootMessage(e));
            System.exit(2);
        }
    }

    static void checkNames(String list, String setting, List<String> known) {
        for (String name : list.split(",")) {
            if (!known.contains(name.trim())) {
                throw new IllegalArgumentException(setting + " names '" + name.trim() + "', which is not one of "
                        + String.join(", ", known));
            }
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

    /** Route files from a directory of the user's (same layout as the bundled ones) instead of the jar. */
    static void routesFromDirectory(Main main, String directory, boolean reload) {
        if (directory == null || directory.isBlank()) {
            return;
        }
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
