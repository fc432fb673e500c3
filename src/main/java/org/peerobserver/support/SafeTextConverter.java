package org.peerobserver.support;

import java.util.List;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;

/**
 * {@code %safe{pattern}{max}} in a log4j2 pattern: what the inner pattern renders, made one safe line by
 * {@link SafeText} (controls, line separators and bidirectional marks escaped; cut after {@code max}
 * characters, 8192 when not given). The project's layout wraps every message in it, so no class that
 * logs text a peer, a node or a file wrote can forge a line, colour a terminal or flood the log, even if
 * it forgets to cut that text itself.
 */
@Plugin(name = "SafeTextConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"safe"})
public final class SafeTextConverter extends LogEventPatternConverter {
    public static final int DEFAULT_MAX = 8192;

    private final List<PatternFormatter> formatters;
    private final int max;

    private SafeTextConverter(List<PatternFormatter> formatters, int max) {
        super("safe", "safe");
        this.formatters = formatters;
        this.max = max;
    }

    /** Called by log4j2 for {@code %safe{...}}; a wrong pattern is a configuration error (null: log4j2 says so). */
    public static SafeTextConverter newInstance(Configuration config, String[] options) {
        if (options.length < 1 || options.length > 2 || options[0] == null) {
            LOGGER.error("%safe takes a pattern and optionally the most characters: %safe{%msg}{8192}");
            return null;
        }
        int max = DEFAULT_MAX;
        if (options.length == 2) {
            try {
                max = Integer.parseInt(options[1].trim());
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max < 1) {
                LOGGER.error("%safe: the most characters must be a positive number, not {}", options[1]);
                return null;
            }
        }
        return new SafeTextConverter(PatternLayout.createPatternParser(config).parse(options[0]), max);
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        int start = toAppendTo.length();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, toAppendTo);
        }
        SafeText.inPlace(toAppendTo, start, max);
    }
}
