package org.peerobserver.extractor.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Calls one method per exchange, for enriching a route ({@code bitcoin-rpc:call?method=getblockheader}).
 * Parameters come from the {@code bitcoinRpcParams} header, else the body; the result replaces the body as
 * JSON text. A failure is set on the exchange as a {@link BitcoinRpcException} with the reason.
 */
public class BitcoinRpcProducer extends DefaultProducer {
    private BitcoinRpcClient client;

    BitcoinRpcProducer(BitcoinRpcEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public BitcoinRpcEndpoint getEndpoint() {
        return (BitcoinRpcEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = new BitcoinRpcClient(getEndpoint().getConfiguration());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String method = in.getHeader(BitcoinRpcConstants.METHOD, getEndpoint().getConfiguration().getMethod(), String.class);
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("no RPC method: set the method option or the "
                    + BitcoinRpcConstants.METHOD + " header");
        }
        Object params = in.getHeader(BitcoinRpcConstants.PARAMS);
        JsonNode result = client.call(method, params(params != null ? params : in.getBody()));
        Message out = exchange.getMessage();
        out.setBody(BitcoinRpcClient.JSON.writeValueAsString(result));
        out.setHeader(BitcoinRpcConstants.METHOD, method);
    }

    /** A List or array (positional), a Map (named), JSON text of either, or nothing (no parameters). */
    static JsonNode params(Object value) {
        if (value == null) {
            return BitcoinRpcClient.JSON.createArrayNode();
        }
        if (value instanceof JsonNode node) {
            return checked(node);
        }
        if (value instanceof byte[] bytes) {
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof String text) {
            if (text.isBlank()) {
                return BitcoinRpcClient.JSON.createArrayNode();
            }
            try {
                return checked(BitcoinRpcClient.JSON.readTree(text));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("RPC parameters are not JSON: " + e.getOriginalMessage());
            }
        }
        if (value instanceof Collection<?> || value instanceof Object[] || value instanceof Map<?, ?>) {
            return BitcoinRpcClient.JSON.valueToTree(value);
        }
        throw new IllegalArgumentException("RPC parameters must be a List, a Map or JSON text, not " + value.getClass().getName());
    }

    private static JsonNode checked(JsonNode params) {
        if (!params.isArray() && !params.isObject()) {
            throw new IllegalArgumentException("RPC parameters must be a JSON array or object, not " + params.getNodeType());
        }
        return params;
    }
}
