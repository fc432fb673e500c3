package org.peerobserver.event;

/**
 * Headers carried by every exchange whose body is an {@code Event}, so YAML routes can filter
 * and route on them without Java. Only {@link #NODE} also travels on NATS (as a message header):
 * subject and kind are derived again from the payload on the receiving side.
 */
public final class EventHeaders {
    /** Bus subject, e.g. {@code netmsg}, {@code rpc}, {@code ext.rpc_result}. */
    public static final String SUBJECT = "eventSubject";
    /** What the event is, e.g. {@code message.addr}, {@code connection.inbound}, {@code rpc.uptime}. */
    public static final String KIND = "eventKind";
    /** Name of the node the event came from (default: the extractor's host name). */
    public static final String NODE = "eventNode";

    private EventHeaders() {
    }
}
