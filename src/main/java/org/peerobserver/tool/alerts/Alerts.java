package org.peerobserver.tool.alerts;

import org.peerobserver.event.EventKind;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.proto.ext.Extension;

/** Makes the ext.alert events the detectors return for their route to publish. */
final class Alerts {
    /** Evidence lists are cut here: an alert is a line for people, not a dump. */
    static final int MAX_EVIDENCE = 10;

    private Alerts() {
    }

    /** An alert of {@code name} about {@code key} of {@code node}; the caller adds evidence to the builder before {@link #event}. */
    static Alert.Builder alert(String name, String severity, String node, String key, String summary) {
        return Alert.newBuilder().setName(name).setSeverity(severity).setNode(node).setKey(key).setSummary(summary);
    }

    /** The event for {@code alert} at {@code millis}, published under the node it is about. */
    static ReceivedEvent event(Alert.Builder alert, long millis) {
        Event e = Event.newBuilder().setTimestamp(millis).setExtension(Extension.newBuilder().setAlert(alert)).build();
        return new ReceivedEvent(e, EventKind.of(e), alert.getNode());
    }

    /** The node an event came from, never null (a capture may have none). */
    static String node(ReceivedEvent e) {
        return e.node() == null ? "" : e.node();
    }
}
