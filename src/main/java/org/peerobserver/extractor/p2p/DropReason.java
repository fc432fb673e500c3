package org.peerobserver.extractor.p2p;

import org.peerobserver.bitcoin.P2pCodecException;

/** Why a connection was closed on the peer, as counted and logged. */
enum DropReason {
    BAD_MAGIC("bad_magic", "sent a frame with the wrong message start"),
    BAD_COMMAND("bad_command", "sent a malformed command name"),
    BAD_CHECKSUM("bad_checksum", "sent a payload that does not match its checksum"),
    OVERSIZE("oversize", "announced a payload larger than allowed"),
    MALFORMED("malformed", "sent a payload that does not decode"),
    V2_TRANSPORT("v2_transport", "opened with a BIP324 v2 handshake while v2 is disabled (Bitcoin Core then retries with v1)"),
    V1_REFUSED("v1_refused", "opened in v1 while v2 is required"),
    V2_UNANSWERED("v2_unanswered", "closed the connection on our v2 key (a v1-only node: we dial it again in v1)"),
    V2_HANDSHAKE("v2_handshake", "broke the v2 handshake (no garbage terminator in time, or a v1 version for another network)"),
    BAD_TAG("bad_tag", "sent a v2 packet that fails authentication"),
    WRONG_NETWORK("wrong_network", "speaks another network"),
    HANDSHAKE_TIMEOUT("handshake_timeout", "did not finish the version handshake in time"),
    HANDSHAKE_INCOMPLETE("handshake_incomplete", "closed the connection before the handshake finished"),
    PROTOCOL("protocol", "broke the protocol"),
    TOO_MANY_ITEMS("too_many_items", "sent more items in one message than Bitcoin Core accepts"),
    PING_TIMEOUT("ping_timeout", "did not answer our pings in time"),
    TRUNCATED("truncated", "closed the connection in the middle of a message"),
    TOO_MANY_CONNECTIONS("too_many_connections", "was refused or evicted: too many connections open"),
    TOO_MANY_PEERS("too_many_peers", "was refused or evicted: too many nodes connected"),
    IO_ERROR("io_error", "connection failed"),
    INTERNAL("internal", "hit an internal error");

    private final String label;
    private final String text;

    DropReason(String label, String text) {
        this.label = label;
        this.text = text;
    }

    String label() {
        return label;
    }

    String text() {
        return text;
    }

    static DropReason of(P2pCodecException.Kind kind) {
        switch (kind) {
            case BAD_MAGIC: return BAD_MAGIC;
            case BAD_COMMAND: return BAD_COMMAND;
            case BAD_CHECKSUM: return BAD_CHECKSUM;
            case OVERSIZE: return OVERSIZE;
            case BAD_TAG: return BAD_TAG;
            case V2_HANDSHAKE: return V2_HANDSHAKE;
            default: return MALFORMED;
        }
    }
}
