package org.peerobserver.tool.websocket;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEvent;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.LoggingExceptionHandler;
import org.peerobserver.support.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed consumer's exception handler. What a client's socket reports (a reset, a connection closed
 * without a close frame, a malformed frame) is the client leaving: DEBUG. Anything else is ours, and
 * goes to Camel's default handler (WARN).
 */
final class ClientErrors implements ExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClientErrors.class);
    private final ExceptionHandler ours;

    ClientErrors(CamelContext context) {
        ours = new LoggingExceptionHandler(context, WebsocketComponent.class);
    }

    @Override
    public void handleException(Throwable exception) {
        ours.handleException(exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        ours.handleException(message, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exchange != null && exchange.getMessage().getHeader(VertxWebsocketConstants.EVENT) == VertxWebsocketEvent.ERROR) {
            LOG.debug("Websocket client {} left: {}", exchange.getMessage().getHeader(VertxWebsocketConstants.REMOTE_ADDRESS),
                    SafeText.of(exception.toString()));
        } else {
            ours.handleException(message, exchange, exception);
        }
    }
}
