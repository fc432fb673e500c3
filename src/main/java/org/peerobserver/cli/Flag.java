package org.peerobserver.cli;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One command-line option: its names as upstream spells them, its argument (null for a switch),
 * its --help text, and the settings (application.properties keys) it writes.
 */
record Flag(String names, String argument, String help, Setter setter) {

    /** A help text may say "default {default}": the configured default of the variable it names is put there. */
    Flag {
        help = Defaults.stated(help);
    }

    /** Writes the flag's value into the settings; throws {@link BadFlagException} saying what is wrong. */
    interface Setter {
        void apply(String value, Map<String, String> settings);
    }

    boolean takesValue() {
        return argument != null;
    }

    boolean hasName(String name) {
        for (String n : names.split(", ")) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The longest name, used in error messages. */
    String longName() {
        String[] n = names.split(", ");
        return n[n.length - 1];
    }

    /** {@code --long-name (-s)}: the long name first, for tables. */
    String displayName() {
        List<String> n = List.of(names.split(", "));
        List<String> others = n.subList(0, n.size() - 1);
        return others.isEmpty() ? longName() : longName() + " (" + String.join(", ", others) + ")";
    }

    /**
     * The picocli option; each time the command line gives it, {@code given} receives its value (null for a switch).
     * Values are checked and written later, in command-line order, so that the errors are ours.
     */
    OptionSpec option(BiConsumer<Flag, String> given) {
        OptionSpec.Builder b = OptionSpec.builder(names.split(", ")).description(help.replace("%", "%%"))
                .setter(new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        // picocli also sets the initial value (null, or false for a switch) before parsing
                        if (value != null && !Boolean.FALSE.equals(value)) {
                            given.accept(Flag.this, takesValue() ? value.toString() : null);
                        }
                        return null;
                    }
                });
        if (takesValue()) {
            b.type(String.class).arity("1").paramLabel("<" + argument + ">");
        } else {
            b.type(boolean.class).arity("0");
        }
        return b.build();
    }

    /** A value the flag cannot take; the message is the whole sentence the user sees. */
    static final class BadFlagException extends IllegalArgumentException {
        BadFlagException(String message) {
            super(message);
        }
    }
}
