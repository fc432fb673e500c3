package org.peerobserver.support.http;

/**
 * What one stranger may hold on each of our HTTP ports: the bean {@code httpLimits}
 * (application.properties, HTTP_* settings). Every port gets the whole of each limit for itself.
 */
public final class HttpLimits {
    /** The bean's name in the Camel registry. */
    public static final String BEAN = "httpLimits";

    private int headerTimeout = 10;
    private int idleTimeout = 30;
    private int maxConnections = 512;

    /** Seconds a new connection has to send a whole request head (request line and headers). */
    public int getHeaderTimeout() {
        return headerTimeout;
    }

    public void setHeaderTimeout(int seconds) {
        this.headerTimeout = within(seconds, 1, 3600, "HTTP_HEADER_TIMEOUT", "seconds");
    }

    /** Seconds a connection may wait after an answer, until the head of its next request is in. */
    public int getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(int seconds) {
        this.idleTimeout = within(seconds, 1, 3600, "HTTP_IDLE_TIMEOUT", "seconds");
    }

    /** Connections open at once on one port, websocket clients included. */
    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = within(maxConnections, 1, 100_000, "HTTP_MAX_CONNECTIONS", "connections");
    }

    private static int within(int value, int min, int max, String setting, String unit) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be " + min + " to " + max + " " + unit + ", not " + value);
        }
        return value;
    }
}
