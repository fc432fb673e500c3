package org.peerobserver.extractor.p2p;

import org.apache.camel.spi.Metadata;

/** Headers of {@code bitcoin-p2p:} exchanges. */
public final class BitcoinP2pConstants {
    @Metadata(label = "consumer", description = "The node's address as Bitcoin Core prints it (1.2.3.4:8333, [::1]:8333)",
              javaType = "String")
    public static final String PEER = "bitcoinP2pPeer";
    @Metadata(label = "producer", description = "Host to dial, overriding the endpoint's host", javaType = "String")
    public static final String HOST = "bitcoinP2pHost";
    @Metadata(label = "producer", description = "Port to dial, overriding the endpoint's port", javaType = "Integer")
    public static final String PORT = "bitcoinP2pPort";
    @Metadata(label = "producer", description = "Whether the handshake got the node's version", javaType = "Boolean")
    public static final String REACHABLE = "bitcoinP2pReachable";

    private BitcoinP2pConstants() {
    }
}
