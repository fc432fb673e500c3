package org.peerobserver.extractor.log;

import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of log message: a literal every such message contains (a cheap test that spares most lines
 * the regular expression), the expression, and how a match fills in the event being built.
 * {@code fill} must set the builder in one call, after every field parsed, so a number that does not fit
 * leaves the builder untouched and the line counts as not matched.
 */
record LineMatcher<B>(String literal, Pattern pattern, BiConsumer<Matcher, B> fill) {

    LineMatcher(String literal, String regex, BiConsumer<Matcher, B> fill) {
        this(literal, Pattern.compile(regex), fill);
    }

    /** Fills {@code builder} and returns true if {@code message} is of this kind. */
    boolean apply(String message, B builder) {
        if (!message.contains(literal)) {
            return false;
        }
        Matcher m = pattern.matcher(message);
        if (!m.find()) {
            return false;
        }
        try {
            fill.accept(m, builder);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
