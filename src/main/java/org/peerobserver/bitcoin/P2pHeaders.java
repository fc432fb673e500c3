package org.peerobserver.bitcoin;

/**
 * The names of the headers on {@code bitcoin-p2p:} exchanges, here so that a tool can read and set them without
 * importing the p2p extractor ({@code BitcoinP2pConstants} describes them for Camel's tooling).
 */
public final class P2pHeaders {
    /** On each event of the p2p extractor: the node's address as Bitcoin Core prints it. */
    public static final String PEER = "bitcoinP2pPeer";
    /** Into {@code bitcoin-p2p:handshake}: the host to dial, overriding the endpoint's. */
    public static final String HOST = "bitcoinP2pHost";
    /** Into {@code bitcoin-p2p:handshake}: the port to dial, overriding the endpoint's. */
    public static final String PORT = "bitcoinP2pPort";
    /** Out of {@code bitcoin-p2p:handshake}: whether the node sent its version. */
    public static final String REACHABLE = "bitcoinP2pReachable";

    private P2pHeaders() {
    }
}
