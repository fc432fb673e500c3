package org.peerobserver.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The bytes the application's console appender writes (the text layout of support.LogConfiguration)
 * for every log event of every logger while a test runs: what an operator's terminal or log shipper gets.
 */
public final class RenderedLog extends AbstractAppender implements AutoCloseable {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LoggerConfig root;
    private final Predicate<String> loggers;
    private int events;
    private boolean sawThrowable;

    public RenderedLog() {
        this(name -> true);
    }

    /** Only the events of loggers whose names {@code loggers} accepts (e.g. not a test's own peer library). */
    public RenderedLog(Predicate<String> loggers) {
        super("rendered", null, consoleLayout(), true, Property.EMPTY_ARRAY);
        this.loggers = loggers;
        root = ((LoggerContext) LogManager.getContext(false)).getConfiguration().getRootLogger();
        start();
        root.addAppender(this, null, null);
    }

    /** The layout of the text appender ("text") in the running configuration. */
    public static Layout<?> consoleLayout() {
        Configuration configuration = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
        return configuration.getAppender("text").getLayout();
    }

    @Override
    public void append(LogEvent event) {
        if (!loggers.test(event.getLoggerName())) {
            return;
        }
        byte[] line = getLayout().toByteArray(event);
        synchronized (bytes) {
            bytes.write(line, 0, line.length);
            events++;
            sawThrowable |= event.getThrown() != null;
        }
    }

    /** Log events written so far. */
    public int events() {
        synchronized (bytes) {
            return events;
        }
    }

    /** Whether any event carried an exception (whose stack trace lines the layout adds). */
    public boolean sawThrowable() {
        synchronized (bytes) {
            return sawThrowable;
        }
    }

    /** Everything written so far. */
    public byte[] bytes() {
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    /** Everything written so far, split at line feeds only (a CR does not end a line here; it is a byte to find). */
    public List<String> lines() {
        String text = new String(bytes(), StandardCharsets.UTF_8);
        return Arrays.asList(text.split("\n"));
    }

    @Override
    public void close() {
        root.removeAppender(getName());
        stop();
    }
}
