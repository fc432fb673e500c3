package org.peerobserver.support.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ServingRoutePolicyTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void itsPortsCloseWithTheRouteAndWhenALaterOneCannotOpen() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Route route = mock(Route.class);
            when(route.getCamelContext()).thenReturn(context);
            ServingRoutePolicy policy = new ServingRoutePolicy() {
            };

            int first = policy.serve(route, "first", ANY_PORT, null, r -> r.response().end("ok")).port();
            assertTrue(listening(first));
            // a second port on the first's address cannot open: the first closes too, nothing is left half served
            assertThrows(IOException.class, () -> policy.serve(route, "second", new InetSocketAddress("127.0.0.1", first), null,
                    r -> r.response().end("ok")));
            assertFalse(listening(first));

            int one = policy.serve(route, "one", ANY_PORT, null, r -> r.response().end("ok")).port();
            int two = policy.serve(route, "two", ANY_PORT, null, r -> r.response().end("ok")).port();
            assertTrue(listening(one) && listening(two));
            policy.onRemove(route);
            assertFalse(listening(one) || listening(two));
        }
    }

    private static boolean listening(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
