package org.peerobserver.tool.logger;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.peerobserver.event.EventText;
import org.peerobserver.event.ReceivedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logger tool: which events to print (upstream's filter names; none means all), one line each
 * ({@link EventText}) at INFO on the log named {@code logName}. It takes events in batches, as
 * {@code bus:subscribe?batchSize=...} hands them over: at thousands of events a second, Camel steps per
 * event (filter, set body, log) cost more than the lines.
 */
public class EventLogger {
    /** Upstream logger's filter names, and the subject each selects (ext: all of our own subjects). */
    static final Map<String, String> FILTERS = new LinkedHashMap<>();

    static {
        FILTERS.put("messages", "netmsg");
        FILTERS.put("connections", "netconn");
        FILTERS.put("addrman", "addrman");
        FILTERS.put("mempool", "mempool");
        FILTERS.put("validation", "validation");
        FILTERS.put("rpc", "rpc");
        FILTERS.put("p2p-extractor", "p2p-extractor");
        FILTERS.put("log-extractor", "log-extractor");
        FILTERS.put("ext", "ext.");
    }

    private Set<String> subjects = Set.of();
    private Logger log = LoggerFactory.getLogger("tool-logger");

    /** Comma-separated filter names, e.g. {@code messages,connections}; empty logs everything. */
    public void setFilter(String filter) {

        Set<String> names = Arrays.stream(filter.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        for (String name : names) {
            if (!FILTERS.containsKey(name)) {
                throw new IllegalArgumentException("LOGGER_FILTER has an unknown name '" + name + "'; choose from "
                        + String.join(", ", FILTERS.keySet()) + ", or leave it empty for everything");
            }
        }
        subjects = names.stream().map(FILTERS::get).collect(Collectors.toSet());
    }

    /** The log the lines go to (log4j2 configuration, LOG_LEVEL); {@code tool-logger} by default. */
    public void setLogName(String logName) {
        log = LoggerFactory.getLogger(logName);
    }

    /** Events as {@code bus:subscribe?batchSize=...} hands them over. */
    public void log(List<ReceivedEvent> events) {
        for (ReceivedEvent e : events) {
            if (wanted(e.subject())) {
                log.info(EventText.line(e.event(), e.kind().kind(), e.node()));
            }
        }
    }

    private boolean wanted(String subject) {
        return subjects.isEmpty() || subjects.contains(subject)
                || (subject.startsWith("ext.") && subjects.contains("ext."));
    }
}
