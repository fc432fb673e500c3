package org.peerobserver.extractor.rpc;

import org.apache.camel.spi.Metadata;

/** Headers of the {@code bitcoin-rpc:call} producer. */
public final class BitcoinRpcConstants {
    @Metadata(description = "RPC method to call, overriding the endpoint's method option", javaType = "String")
    public static final String METHOD = "bitcoinRpcMethod";
    @Metadata(description = "Parameters: a List, or JSON text of an array (positional) or an object (named);"
            + " when absent the body is used", javaType = "Object")
    public static final String PARAMS = "bitcoinRpcParams";

    private BitcoinRpcConstants() {
    }
}
