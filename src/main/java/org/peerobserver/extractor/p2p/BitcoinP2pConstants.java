package org.peerobserver.extractor.p2p;

import org.apache.camel.spi.Metadata;
import org.peerobserver.bitcoin.P2pHeaders;

/** Headers of {@code bitcoin-p2p:} exchanges; their names live in {@link P2pHeaders}, where tools find them. */
public final class BitcoinP2pConstants {
    @Metadata(label = "consumer", description = "The node's address as Bitcoin Core prints it (1.2.3.4:8333, [::1]:8333)",
              javaType = "String")
    public static final String PEER = P2pHeaders.PEER;
    @Metadata(label = "producer", description = "Host to dial, overriding the endpoint's host", javaType = "String")
    public static final String HOST = P2pHeaders.HOST;
    @Metadata(label = "producer", description = "Port to dial, overriding the endpoint's port", javaType = "Integer")
    public static final String PORT = P2pHeaders.PORT;
    @Metadata(label = "producer", description = "Whether the handshake got the node's version", javaType = "Boolean")
    public static final String REACHABLE = P2pHeaders.REACHABLE;

    private BitcoinP2pConstants() {
    }
}
