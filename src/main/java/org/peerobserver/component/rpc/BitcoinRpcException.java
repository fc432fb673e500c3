package org.peerobserver.component.rpc;

/**
 * A failed RPC call, with a message fit for one log line and a health check (never credentials).
 * It carries no stack trace: the reason is all an operator needs, and a node that is down for hours
 * would otherwise fill the log.
 */
public class BitcoinRpcException extends Exception {
    private final boolean nodeUnavailable;

    BitcoinRpcException(String message, boolean nodeUnavailable) {
        super(message, null, false, false);
        this.nodeUnavailable = nodeUnavailable;
    }

    /**
     * True when the node itself cannot be used (unreachable, too slow, refusing our credentials), so
     * further calls in the same round would fail the same way; false when only this call's answer was bad.
     */
    public boolean isNodeUnavailable() {
        return nodeUnavailable;
    }
}
