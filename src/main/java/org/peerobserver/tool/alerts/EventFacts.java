package org.peerobserver.tool.alerts;

import org.peerobserver.proto.ebpf.connection.Connection;
import org.peerobserver.proto.ebpf.connection.ConnectionEvent;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.event.Event;
import org.peerobserver.support.HostPort;

/** What the counting detectors read from any event: the peer, its address, a reason, and how much it counts. */
final class EventFacts {
    private EventFacts() {
    }

    /** The peer id of a connection or message event, or -1. */
    static long peerId(Event event) {
        if (!event.hasEbpfExtractor()) {
            return -1;
        }
        ebpf e = event.getEbpfExtractor();
        if (e.hasMessage()) {
            return e.getMessage().getMeta().getPeerId();
        }
        if (e.hasConnection()) {
            Connection c = connection(e.getConnection());
            return c != null ? c.getPeerId() : e.getConnection().hasMisbehaving() ? e.getConnection().getMisbehaving().getId() : -1;
        }
        return -1;
    }

    /** The peer's address ({@code host:port}) of a connection or message event, or "". */
    static String address(Event event) {
        if (!event.hasEbpfExtractor()) {
            return "";
        }
        ebpf e = event.getEbpfExtractor();
        if (e.hasMessage()) {
            return e.getMessage().getMeta().getAddr();
        }
        if (e.hasConnection()) {
            Connection c = connection(e.getConnection());
            return c == null ? "" : c.getAddr();
        }
        return "";
    }

    /** The connection a connection event is about, or null (a misbehaving event names only the peer id). */
    private static Connection connection(ConnectionEvent c) {
        return switch (c.getEventCase()) {
            case INBOUND -> c.getInbound().getConn();
            case OUTBOUND -> c.getOutbound().getConn();
            case CLOSED -> c.getClosed().getConn();
            case INBOUND_EVICTED -> c.getInboundEvicted().getConn();
            default -> null;
        };
    }

    /** The host of {@link #address}, or "". */
    static String host(Event event) {
        String address = address(event);
        return address.isEmpty() ? "" : HostPort.host(address);
    }

    /** A mempool event's reason (as the tracepoint gives it, at most 8 characters), a misbehaving event's message, or "". */
    static String reason(Event event) {
        if (!event.hasEbpfExtractor()) {
            return "";
        }
        ebpf e = event.getEbpfExtractor();
        if (e.hasMempool()) {
            return e.getMempool().hasRejected() ? e.getMempool().getRejected().getReason()
                    : e.getMempool().hasRemoved() ? e.getMempool().getRemoved().getReason() : "";
        }
        return e.hasConnection() && e.getConnection().hasMisbehaving() ? e.getConnection().getMisbehaving().getMessage() : "";
    }

    /** How much an event counts: the addresses of an address announcement, 1 for any other. */
    static long weight(Event event) {
        if (event.hasEbpfExtractor() && event.getEbpfExtractor().hasMessage()) {
            var m = event.getEbpfExtractor().getMessage();
            if (m.hasAddr()) {
                return m.getAddr().getAddressesCount();
            }
            if (m.hasAddrv2()) {
                return m.getAddrv2().getAddressesCount();
            }
        }
        if (event.hasP2PExtractor() && event.getP2PExtractor().hasAddressAnnouncement()) {
            return event.getP2PExtractor().getAddressAnnouncement().getAddressesCount();
        }
        return 1;
    }
}
