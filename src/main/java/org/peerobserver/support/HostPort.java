package org.peerobserver.support;

import java.net.InetSocketAddress;

/** {@code host:port} text, as settings and Bitcoin Core write it ({@code [::1]:8333} for IPv6). */
public final class HostPort {
    private HostPort() {
    }

    /** The host of {@code host:port}: cut at the last colon, brackets removed; a text without a colon is all host. */
    public static String host(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        // this runs for every message in the metrics tool: most hosts are IPv4, with no bracket to remove
        return host.indexOf('[') < 0 && host.indexOf(']') < 0 ? host : host.replace("[", "").replace("]", "");
    }

    /** Parses {@code host:port} (unresolved: no name lookup), naming {@code setting} when the text is wrong. */
    public static InetSocketAddress parse(String hostPort, String setting) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? "" : host(hostPort);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (colon < 0 || host.isEmpty() || port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be host:port, e.g. 127.0.0.1:8282 or [::1]:8282, not '"
                    + hostPort + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
