package org.peerobserver.cli;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reads {@code peer-observer [subcommand] [flags]}: picocli parses the flags of {@link Subcommands} and prints
 * their --help; the flags' own checks write the settings, so that an error is one sentence of ours. A flag's
 * value becomes an override of the setting it names, so the precedence is: flag, then environment variable,
 * then application.properties.
 */
public final class CommandLine {
    private static final Pattern VARIABLES = Pattern.compile("\\[([A-Z][A-Z0-9_]*(?:=[\\w-]+)?(?:, [A-Z][A-Z0-9_]*(?:=[\\w-]+)?)*)]");
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

    private static final String ROOT = "peer-observer";
    /** Wide enough that no option's help wraps: one line per option reads better in a terminal and in docs/cli.md. */
    private static final int HELP_WIDTH = 240;
    private static final int HELP_OPTIONS_WIDTH = 50;

    private CommandLine() {
    }

    public static Invocation parse(String[] args, Map<String, String> env) throws UsageException {
        List<Map.Entry<Flag, String>> given = new ArrayList<>();
        Map<OptionSpec, Flag> flags = new IdentityHashMap<>();
        picocli.CommandLine root = commands((f, v) -> given.add(new AbstractMap.SimpleEntry<>(f, v)), flags,
                args.length > 0 && Subcommands.ALL.containsKey(args[0]) ? args[0] : null);
        ParseResult parsed;
        try {
            parsed = root.parseArgs(args);
        } catch (ParameterException e) {
            throw new UsageException(message(e, args, flags));
        }
        boolean subcommandFirst = parsed.hasSubcommand() && args[0].equals(parsed.subcommand().commandSpec().name());
        ParseResult leaf = subcommandFirst ? parsed.subcommand() : parsed;
        if (parsed.hasSubcommand() && !subcommandFirst && !leaf.isUsageHelpRequested() && !leaf.isVersionHelpRequested()) {
            // a subcommand's name only counts first: later it is a stray word, as any other
            throw new UsageException(unknownOption(parsed.subcommand().commandSpec().name(), "all"));
        }
        Subcommand sub = Subcommands.ALL.get(nameOf(leaf.commandSpec()));
        if (leaf.isUsageHelpRequested()) {
            return new Invocation(help(sub.name()), Map.of());
        }
        if (leaf.isVersionHelpRequested()) {
            return new Invocation("peer-observer " + version() + "\n", Map.of());
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
        try {
            for (Map.Entry<Flag, String> g : given) {
                g.getKey().setter().apply(g.getValue(), settings);
            }
            if (sub.name().equals("fibre-exporter")) {
                FibreExporterDropIn.apply(settings, env);
            }
            Subcommands.checkTogether(settings, env);
        } catch (Flag.BadFlagException e) {
            throw new UsageException(e.getMessage());
        }
        return new Invocation(null, settings);
    }

    /** picocli's refusal, said as one sentence naming the flag. */
    private static String message(ParameterException e, String[] args, Map<OptionSpec, Flag> flags) {
        String command = nameOf(e.getCommandLine().getCommandSpec());
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (e.getCommandLine().getCommandSpec().parent() == null && args.length > 0 && arg.equals(args[0]) && !arg.startsWith("-")) {
                return "unknown subcommand '" + arg + "'; choose from " + String.join(", ", Subcommands.ALL.keySet());
            }
            return unknownOption(arg.startsWith("--") && arg.indexOf('=') > 0 ? arg.substring(0, arg.indexOf('=')) : arg, command);
        }
        Flag flag = e instanceof MissingParameterException m && !m.getMissing().isEmpty() ? flags.get(m.getMissing().get(0))
                : flags.get(e.getArgSpec());
        if (e instanceof MaxValuesExceededException) {
            // a switch given a value (--messages=yes): picocli does not say which option it was
            flag = Arrays.stream(args).filter(a -> a.startsWith("--") && a.indexOf('=') > 0).map(a -> a.substring(0, a.indexOf('=')))
                    .flatMap(n -> flags.values().stream().filter(f -> !f.takesValue() && f.hasName(n))).findFirst().orElse(null);
        }
        if (flag != null) {
            return flag.longName() + (flag.takesValue() ? " needs a value (" + flag.argument() + ")" : " takes no value");
        }
        return e.getMessage();
    }

    private static String unknownOption(String arg, String command) {
        return "unknown option '" + arg + "' for " + command + "; see peer-observer " + command + " --help";
    }

    /**
     * The commands: {@code peer-observer} itself runs {@code all} and lists the subcommands. Each option,
     * when given, goes to {@code given}; {@code flags} learns which option is which flag. With {@code only}
     * (the subcommand the command line starts with) the others are left out: a subcommand's name counts only
     * first, and building all a dozen specs is most of picocli's part of the start.
     */
    private static picocli.CommandLine commands(BiConsumer<Flag, String> given, Map<OptionSpec, Flag> flags, String only) {
        picocli.CommandLine root = new picocli.CommandLine(spec(ROOT, Subcommands.ALL.get("all"), given, flags));
        for (Subcommand sub : Subcommands.ALL.values()) {
            if (only == null || only.equals(sub.name())) {
                root.addSubcommand(sub.name(), new picocli.CommandLine(spec(sub.name(), sub, given, flags)));
            }
        }
        root.setExpandAtFiles(false);  // an argument starting with @ is a value, not a file to read arguments from
        root.setOverwrittenOptionsAllowed(true);  // as before: the last of a flag given twice wins
        root.setAllowSubcommandsAsOptionParameters(true);  // --extractors replay: a value, though a subcommand's name
        root.setUsageHelpWidth(HELP_WIDTH);
        root.setUsageHelpLongOptionsMaxWidth(HELP_OPTIONS_WIDTH);
        return root;
    }

    private static CommandSpec spec(String name, Subcommand sub, BiConsumer<Flag, String> given, Map<OptionSpec, Flag> flags) {
        CommandSpec spec = CommandSpec.create().name(name).interpolateVariables(false);
        spec.usageMessage()
                .customSynopsis("peer-observer " + (name.equals(ROOT) ? "[subcommand]" : sub.name()) + " [options]")
                .description(Character.toUpperCase(sub.summary().charAt(0)) + sub.summary().substring(1) + ".")
                .commandListHeading("%nSubcommands:%n")
                .optionListHeading("%nOptions (environment variable in brackets; a flag wins over the variable,"
                        + " which wins over application.properties):%n")
                .sortOptions(false)
                .adjustLineBreaksForWideCJKCharacters(false);
        for (Flag f : sub.flags()) {
            OptionSpec option = f.option(given);
            flags.put(option, f);
            spec.addOption(option);
        }
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("this text").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("the version").build());
        return spec;
    }

    private static String nameOf(CommandSpec spec) {
        return spec.name().equals(ROOT) ? "all" : spec.name();
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

    /** The --help text of one subcommand, as picocli prints it; {@code all}'s also lists the subcommands. */
    public static String help(String subcommand) {
        picocli.CommandLine root = commands((f, v) -> { }, new IdentityHashMap<>(), subcommand.equals("all") ? null : subcommand);
        return (subcommand.equals("all") ? root : root.getSubcommands().get(subcommand)).getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
    }

    public static Iterable<String> subcommands() {
        return Subcommands.ALL.keySet();
    }

    /**
     * For each environment variable a flag's help names in brackets ({@code [NAME]}, {@code [NAME=false]}),
     * the flags that set it, as {@code --long-name (-s)}: the configuration reference shows them beside the variable.
     */
    public static Map<String, Set<String>> flagsByVariable() {
        Map<String, Set<String>> flags = new TreeMap<>();
        forEachVariable((variable, f) -> flags.computeIfAbsent(variable, v -> new TreeSet<>()).add(f.displayName()));
        return flags;
    }

    /** For each environment variable a flag's help names, the first such flag and its help: {@code --flag: help}. */
    public static Map<String, String> flagHelpByVariable() {
        Map<String, String> help = new TreeMap<>();
        forEachVariable((variable, f) -> help.putIfAbsent(variable,
                f.displayName() + ": " + VARIABLES.matcher(f.help()).replaceAll("").strip()));
        return help;
    }

    private static void forEachVariable(BiConsumer<String, Flag> action) {
        for (Subcommand sub : Subcommands.ALL.values()) {
            for (Flag f : sub.flags()) {
                Matcher brackets = VARIABLES.matcher(f.help());
                while (brackets.find()) {
                    for (String variable : brackets.group(1).split(", ")) {
                        action.accept(variable.replaceFirst("=.*", ""), f);
                    }
                }
            }
        }
    }

    /** From the jar's manifest; a build run from classes has none. */
    static String version() {
        String v = CommandLine.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
