package org.peerobserver.extractor.rpc;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bitcoin-rpc:call}: one call per exchange, parameters from a header or the body. */
class BitcoinRpcProducerTest extends CamelTestSupport {
    private static final String HEADER_RESULT = "{\"hash\":\"0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206\","
            + "\"confirmations\":1,\"height\":0,\"version\":1,\"versionHex\":\"00000001\",\"merkleroot\":"
            + "\"4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b\",\"time\":1296688602,\"mediantime\":1296688602,"
            + "\"nonce\":2,\"bits\":\"207fffff\",\"difficulty\":4.656542373906925e-10,\"chainwork\":"
            + "\"0000000000000000000000000000000000000000000000000000000000000002\",\"nTx\":1}";

    private final FakeBitcoind node;

    BitcoinRpcProducerTest() throws IOException {
        node = new FakeBitcoind("bob:pw");
        node.result("getblockheader", HEADER_RESULT);
        node.result("getbestblockhash", "\"0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206\"");
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        BitcoinRpcConfiguration c = context.getComponent("bitcoin-rpc", BitcoinRpcComponent.class).getConfiguration();
        c.setPort(node.port());
        c.setUser("bob");
        c.setPassword("pw");
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:header").to("bitcoin-rpc:call?method=getblockheader");
                from("direct:any").to("bitcoin-rpc:call");
            }
        };
    }

    @Test
    void paramsFromTheHeaderAndTheResultAsJsonText() {
        String body = template.requestBodyAndHeader("direct:header", null, BitcoinRpcConstants.PARAMS,
                List.of("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206", true), String.class);
        assertEquals("[\"0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206\",true]",
                node.requests().get(0).params().toString());
        // exact numbers survive; only the exponent is written out
        assertEquals(HEADER_RESULT.replace("4.656542373906925e-10", "0.0000000004656542373906925"), body);
    }

    @Test
    void paramsFromTheBodyAndTheMethodFromAHeader() {
        template.requestBody("direct:header", "[\"00ff\", false]", String.class);
        assertEquals("[\"00ff\",false]", node.requests().get(0).params().toString());
        template.requestBody("direct:header", Map.of("blockhash", "00ff"), String.class);
        assertEquals("{\"blockhash\":\"00ff\"}", node.requests().get(1).params().toString());

        String hash = template.requestBodyAndHeader("direct:any", "", BitcoinRpcConstants.METHOD, "getbestblockhash", String.class);
        assertEquals("\"0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206\"", hash);
        assertEquals("[]", node.requests().get(2).params().toString());
    }

    @Test
    void failuresAreSetOnTheExchange() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeader("direct:any", null, BitcoinRpcConstants.METHOD, "getblockcount"));
        assertInstanceOf(BitcoinRpcException.class, e.getCause());
        assertEquals("getblockcount: RPC error -32601: Method not found", e.getCause().getMessage());

        e = assertThrows(CamelExecutionException.class, () -> template.requestBody("direct:any", "[]"));
        assertEquals("no RPC method: set the method option or the bitcoinRpcMethod header", e.getCause().getMessage());
        e = assertThrows(CamelExecutionException.class, () -> template.requestBody("direct:header", "\"just a string\""));
        assertEquals("RPC parameters must be a JSON array or object, not STRING", e.getCause().getMessage());
        assertEquals(1, node.requests().size(), "the last two never reach the node");
    }
}
