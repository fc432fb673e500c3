package org.peerobserver.cli;

import java.util.Map;

/**
 * One command-line option: its names as upstream spells them, its argument (null for a switch),
 * its --help text, and the settings (application.properties keys) it writes.
 */
record Flag(String names, String argument, String help, Setter setter) {

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

    String helpLine() {
        String left = names + (takesValue() ? " <" + argument + ">" : "");
        return String.format("  %-34s %s", left, help);
    }

    /** A value the flag cannot take; the message is the whole sentence the user sees. */
    static final class BadFlagException extends IllegalArgumentException {
        BadFlagException(String message) {
            super(message);
        }
    }
}
