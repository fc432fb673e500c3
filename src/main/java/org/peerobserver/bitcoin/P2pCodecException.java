package org.peerobserver.bitcoin;

/**
 * The codec's only error: bytes that are not a valid P2P frame or payload. It carries no stack trace
 * (bad input from a stranger is not a bug here), only what was wrong.
 */
public class P2pCodecException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of wrong; the listener counts drops by it. */
    public enum Kind {
        /** The 4-byte message start is not the network's. */
        BAD_MAGIC("bad_magic"),
        /** The 12-byte command is not printable ASCII padded with NULs. */
        BAD_COMMAND("bad_command"),
        /** The payload's SHA256d does not start with the header's checksum. */
        BAD_CHECKSUM("bad_checksum"),
        /** The header announces more than 4,000,000 payload bytes (or more than allowed at this point). */
        OVERSIZE("oversize"),
        /** The payload does not decode as its command says. */
        MALFORMED("malformed"),
        /** A BIP324 v2 packet whose Poly1305 tag does not verify. */
        BAD_TAG("bad_tag"),
        /** A BIP324 v2 handshake gone wrong: no garbage terminator in time, a v1 peer of another network. */
        V2_HANDSHAKE("v2_handshake");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Lower-case name, as counters and logs show it. */
        public String label() {
            return label;
        }
    }

    private final Kind kind;
    private final boolean internal;

    public P2pCodecException(Kind kind, String message) {
        this(kind, message, false);
    }

    P2pCodecException(Kind kind, String message, boolean internal) {
        super(message, null, false, false);
        this.kind = kind;
        this.internal = internal;
    }

    /**
     * True when the decoder itself failed on the input (a bug, turned into this error so that a stranger's
     * bytes still cannot take the caller down); the fuzz test fails on any.
     */
    public boolean isInternal() {
        return internal;
    }

    public Kind kind() {
        return kind;
    }
}
