package org.peerobserver.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every connect of a {@link java.net.Socket} in this JVM while installed, and stops each one to an address
 * other than loopback before it reaches the network. The JDK asks the default {@link ProxySelector} on every
 * {@code Socket.connect} made without an explicit proxy (the handshake producer's dials, for one), with a
 * {@code socket://host:port} URI; an exception from it ends the connect (the JDK throws an IOException with it as
 * the cause) before any socket opens. NIO channels
 * (Netty, the HTTP client) do not pass here.
 */
public final class SocketDials implements AutoCloseable {
    private final ProxySelector before = ProxySelector.getDefault();
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    private SocketDials() {
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                if (!"socket".equals(uri.getScheme())) {
                    return before.select(uri);
                }
                attempts.add(uri.getHost() + ":" + uri.getPort());
                if (!isLoopback(uri.getHost())) {
                    throw new IllegalArgumentException("a test must not dial " + uri.getHost() + " (only loopback)");
                }
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // a direct connection has no proxy to mark as failed
            }
        });
    }

    /** Starts recording; {@link #close()} puts the JVM's previous selector back. */
    public static SocketDials record() {
        return new SocketDials();
    }

    /** Every {@code host:port} a socket tried to connect to since {@link #record()}, in order. */
    public List<String> attempts() {
        return List.copyOf(attempts);
    }

    private static boolean isLoopback(String host) {
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (literal.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!literal.matches("[0-9a-fA-F:.]+")) {
            return false;   // another name: never looked up here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ProxySelector.setDefault(before);
    }
}
