package org.peerobserver.extractor.p2p;

/** A reason to close a peer's connection, raised inside the pipeline; no stack trace. */
final class DropException extends Exception {
    private static final long serialVersionUID = 1L;
    private final DropReason reason;

    DropException(DropReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    DropReason reason() {
        return reason;
    }
}
