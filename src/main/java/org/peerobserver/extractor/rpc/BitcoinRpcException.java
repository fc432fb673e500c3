package org.peerobserver.extractor.rpc;

/**
 * A failed RPC call, with a message fit for one log line and a health check (never credentials).
 * It carries no stack trace: the reason is all an operator needs, and a node that is down for hours
 * would otherwise fill the log.
 */
public class BitcoinRpcException extends Exception {
    private final boolean nodeUnavailable;
    private final String limit;

    BitcoinRpcException(String message, boolean nodeUnavailable) {
        this(message, nodeUnavailable, null);
    }

    BitcoinRpcException(String message, boolean nodeUnavailable, String limit) {
        super(message, null, false, false);
        this.nodeUnavailable = nodeUnavailable;
        this.limit = limit;
    }

    /**
     * True when the node itself cannot be used (unreachable, too slow, refusing our credentials), so
     * further calls in the same round would fail the same way; false when only this call's answer was bad.
     */
    public boolean isNodeUnavailable() {
        return nodeUnavailable;
    }

    /** Which limit refused the answer ({@code too_large}, {@code too_complex}), or null when none did. */
    String getLimit() {
        return limit;
    }
}
