package org.peerobserver.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The lines a logger (and its children) writes while a test runs, as "LEVEL message", plus whether any
 * carried a stack trace.
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private volatile boolean sawThrowable;

    public CapturedLog(Class<?> source) {
        this(source.getName());
    }

    public CapturedLog(String loggerName) {
        super("captured-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
        logger = (Logger) LogManager.getLogger(loggerName);
        start();
        logger.addAppender(this);
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        sawThrowable |= event.getThrown() != null;
    }

    public List<String> lines() {
        return lines;
    }

    public List<String> lines(String level) {
        return lines.stream().filter(l -> l.startsWith(level + " ")).toList();
    }

    public boolean sawThrowable() {
        return sawThrowable;
    }

    @Override
    public void close() {
        logger.removeAppender(this);
        stop();
    }
}
