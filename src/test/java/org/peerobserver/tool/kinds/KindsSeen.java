package org.peerobserver.tool.kinds;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.peerobserver.event.ReceivedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example tool of docs/architecture.md: one line for each kind of event the first time a node sends it.
 * Its route, examples/routes/tools/kinds-seen.camel.yaml, hands it the events in batches from {@code bus:subscribe}.
 */
public class KindsSeen {
    /** Node names come from the bus, where anyone who may publish can invent them: remember this many pairs at most. */
    static final int MAX_SEEN = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger("tool-kinds-seen");
    // one route thread calls see(): no locking needed
    private final Set<String> seen = new HashSet<>();

    public void see(List<ReceivedEvent> events) {
        for (ReceivedEvent e : events) {
            if (seen.size() < MAX_SEEN && seen.add(e.node() + " " + e.kind().kind())) {
                LOG.info("first {} from node={}", e.kind().kind(), e.node());
            }
        }
    }
}
