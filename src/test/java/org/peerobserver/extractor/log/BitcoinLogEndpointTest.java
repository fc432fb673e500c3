package org.peerobserver.extractor.log;

import java.time.Duration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class BitcoinLogEndpointTest {

    @Test
    void optionsAndDefaults() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            BitcoinLogEndpoint plain = context.getEndpoint("bitcoin-log:/var/lib/bitcoind/debug.log", BitcoinLogEndpoint.class);
            assertEquals(Path.of("/var/lib/bitcoind/debug.log"), plain.path());
            assertFalse(plain.getConfiguration().isFromStart());
            assertEquals(Duration.ofMillis(200), plain.getConfiguration().getPollInterval());
            assertEquals(65_536, plain.getConfiguration().getMaxLineLength());

            BitcoinLogEndpoint home = context.getEndpoint("bitcoin-log:~/.bitcoin/debug.log?fromStart=true&maxLineLength=100",
                    BitcoinLogEndpoint.class);
            assertEquals(Path.of(System.getProperty("user.home"), ".bitcoin", "debug.log"), home.path());
            assertEquals(true, home.getConfiguration().isFromStart());
            assertEquals(100, home.getConfiguration().getMaxLineLength());
        }
    }

    @Test
    void aMisspeltOptionFailsAtOnce() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint("bitcoin-log:/tmp/debug.log?fromBeginning=true"));
        }
    }

    @Test
    void aConsumerNeedsSaneLimits() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            BitcoinLogEndpoint endpoint = context.getEndpoint("bitcoin-log:/tmp/debug.log?maxLineLength=0", BitcoinLogEndpoint.class);
            assertThrows(IllegalArgumentException.class, () -> endpoint.createConsumer(exchange -> { }));
        }
    }
}
