package org.peerobserver.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code peer-observer [subcommand] [flags]}. A flag's value becomes an override of the
 * setting it names, so the precedence is: flag, then environment variable, then application.properties.
 */
public final class CommandLine {
    private static final Pattern URL_PASSWORD = Pattern.compile("://[^:/@\\s]*:([^@/\\s]+)@");

    /**
     * What to do: print {@code help} (or the version) and stop, or run with {@code settings} on top of the configuration.
     * Settings named {@code peerobserver.log.*} are for the logging configuration (system properties).
     */
    public record Invocation(String help, Map<String, String> settings) {
        public static boolean isLogging(String setting) {
            return setting.startsWith(Subcommands.LOGGING);
        }
    }

    /** A command line that cannot run; the message is one sentence naming the flag and the problem. */
    public static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private CommandLine() {
    }

    public static Invocation parse(String[] args, Map<String, String> env) throws UsageException {
        int i = 0;
        String name = "all";
        if (args.length > 0 && !args[0].startsWith("-")) {
            name = args[0];
            i = 1;
        }
        Subcommand sub = Subcommands.ALL.get(name);
        if (sub == null) {
            throw new UsageException("unknown subcommand '" + name + "'; choose from " + String.join(", ", Subcommands.ALL.keySet()));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (sub.extractors() != null) {
            settings.put("extractors", sub.extractors());
            settings.put("tools", sub.tools());
        }
        Subcommands.implied(sub, settings);
        if (sub.ownBus() && !env.containsKey("BUS")) {
            settings.put("camel.component.bus.configuration.type", "nats");
        }
        for (; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Invocation(help(sub), Map.of());
            }
            if (arg.equals("-V") || arg.equals("--version")) {
                return new Invocation("peer-observer " + version() + "\n", Map.of());
            }
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            Flag flag = sub.flag(arg);
            if (flag == null) {
                throw new UsageException("unknown option '" + arg + "' for " + sub.name() + "; see peer-observer " + sub.name() + " --help");
            }
            if (flag.takesValue() && value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag.longName() + " needs a value (" + flag.argument() + ")");
                }
                value = args[++i];
            } else if (!flag.takesValue() && value != null) {
                throw new UsageException(flag.longName() + " takes no value");
            }
            try {
                flag.setter().apply(value, settings);
            } catch (Flag.BadFlagException e) {
                throw new UsageException(e.getMessage());
            }
        }
        try {
            Subcommands.checkTogether(settings, env);
        } catch (Flag.BadFlagException e) {
            throw new UsageException(e.getMessage());
        }
        return new Invocation(null, settings);
    }

    /**
     * The secrets written on a command line: a password flag's value, and the password of a URL's user:password@,
     * so that what shows the command line (the JVM's {@code sun.java.command}, read through JMX) can mask them.
     */
    public static List<String> secrets(String[] args) {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (name.startsWith("--") && name.contains("password")) {
                if (eq > 0) {
                    secrets.add(arg.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    secrets.add(args[++i]);
                }
            }
            Matcher userinfo = URL_PASSWORD.matcher(arg);
            while (userinfo.find()) {
                secrets.add(userinfo.group(1));
            }
        }
        secrets.removeIf(String::isEmpty);
        return secrets;
    }

    /** The --help text of one subcommand; {@code all}'s also lists the subcommands. */
    public static String help(String subcommand) {
        return help(Subcommands.ALL.get(subcommand));
    }

    public static Iterable<String> subcommands() {
        return Subcommands.ALL.keySet();
    }

    private static String help(Subcommand sub) {
        StringBuilder b = new StringBuilder();
        b.append("Usage: peer-observer ").append(sub.name().equals("all") ? "[subcommand]" : sub.name()).append(" [options]\n");
        b.append(capitalized(sub.summary())).append(".\n");
        if (sub.name().equals("all")) {
            b.append("\nSubcommands:\n");
            b.append(Subcommands.ALL.values().stream().map(s -> String.format("  %-34s %s", s.name(), s.summary()))
                    .collect(Collectors.joining("\n"))).append('\n');
        }
        b.append("\nOptions (environment variable in brackets; a flag wins over the variable, which wins over application.properties):\n");
        sub.flags().forEach(f -> b.append(f.helpLine()).append('\n'));
        b.append(String.format("  %-34s %s%n", "-h, --help", "this text"));
        b.append(String.format("  %-34s %s%n", "-V, --version", "the version"));
        return b.toString();
    }

    /** From the jar's manifest; a build run from classes has none. */
    static String version() {
        String v = CommandLine.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
