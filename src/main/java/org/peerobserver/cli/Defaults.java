package org.peerobserver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.peerobserver.support.LogConfiguration;

/**
 * The defaults the configuration declares ({@code {{env:NAME:default}}} in application.properties, and the log's
 * in {@link LogConfiguration#DEFAULTS}), so that a flag's help states them without repeating them.
 */
final class Defaults {
    static final String TOKEN = "{default}";
    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Z0-9_]+):([^}]*)}}");
    private static final Pattern FIRST_VARIABLE = Pattern.compile("\\[([A-Z][A-Z0-9_]*)");
    private static final Map<String, String> BY_VARIABLE = load("/application.properties");

    private Defaults() {
    }

    /** {@code help} with {@link #TOKEN} replaced by the default of the first variable it names in brackets. */
    static String stated(String help) {
        if (!help.contains(TOKEN)) {
            return help;
        }
        Matcher variable = FIRST_VARIABLE.matcher(help);
        String value = variable.find() ? BY_VARIABLE.get(variable.group(1)) : null;
        if (value == null) {
            throw new IllegalStateException("no default is configured for the variable of: " + help);
        }
        return help.replace(TOKEN, value);
    }

    private static Map<String, String> load(String resource) {
        Map<String, String> defaults = new HashMap<>(LogConfiguration.DEFAULTS);
        try (InputStream in = Defaults.class.getResourceAsStream(resource)) {
            Matcher m = ENV.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                defaults.putIfAbsent(m.group(1), m.group(2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }
}
