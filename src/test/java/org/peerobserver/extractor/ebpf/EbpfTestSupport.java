package org.peerobserver.extractor.ebpf;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.peerobserver.event.EventHeaders;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;

/**
 * The ebpf extractor route on the running kernel, attached to the USDT test target (found through a
 * pid file), with every event taken from the bus as a tool would, its timestamp cleared for comparison.
 */
abstract class EbpfTestSupport extends AppTestSupport {
    static final Path PID_FILE = Path.of("target/ebpf-it.pid").toAbsolutePath();
    static final Collection<Event> RECEIVED = new ConcurrentLinkedQueue<>();
    static final Collection<String> SUBJECTS = new ConcurrentLinkedQueue<>();

    /** Settings of this test on top of the extractor's. */
    protected abstract Properties extraSettings();

    @Override
    protected final Properties settings() {
        Properties p = props("extractors", "ebpf", "ebpf.bitcoind-path", UsdtTarget.BINARY.toString(),
                "camel.component.bitcoin-ebpf.configuration.pid-file", PID_FILE.toString(), "camel.component.bitcoin-ebpf.configuration.reattach-interval", "100",
                "camel.main.jmx-enabled", "false");
        p.putAll(extraSettings());
        // an empty extra setting unsets one of the above: Camel refuses an empty component option
        p.values().removeIf(""::equals);
        return p;
    }

    @BeforeEach
    void subscribe() throws Exception {
        UsdtTarget.requireNativeParts();
        RECEIVED.clear();
        SUBJECTS.clear();
        if (subscribeToBus()) {
            context.addRoutes(new Subscriber());
        }
    }

    /** Whether a route takes every event from the bus into {@link #RECEIVED} (false: the test counts its own way). */
    protected boolean subscribeToBus() {
        return true;
    }

    BitcoinEbpfConsumer ebpfConsumer() {
        return (BitcoinEbpfConsumer) context.getRoute("extractor-ebpf").getConsumer();
    }

    private static final class Subscriber extends RouteBuilder {
        @Override
        public void configure() {
            from("bus:subscribe").routeId("test-subscriber").process(e -> {
                SUBJECTS.add(e.getIn().getHeader(EventHeaders.SUBJECT, String.class));
                RECEIVED.add(e.getIn().getBody(Event.class).toBuilder().setTimestamp(0).build());
            });
        }
    }
}
