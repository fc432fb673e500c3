package org.peerobserver.tool.logger;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Header;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.event.EventText;
import org.peerobserver.proto.event.Event;

/**
 * The logger tool's two decisions: which events to print (upstream's filter names; none means all)
 * and how one event reads as a line.
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

    public boolean wanted(@Header(EventHeaders.SUBJECT) String subject) {
        return subjects.isEmpty() || subjects.contains(subject)
                || (subject.startsWith("ext.") && subjects.contains("ext."));
    }

    public String line(Event event, @Header(EventHeaders.KIND) String kind, @Header(EventHeaders.NODE) String node) {
        return EventText.line(event, kind, node);
    }
}
