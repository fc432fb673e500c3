package org.peerobserver.testing;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The application on the NATS bus of a real nats-server (one per test class), node name "alpha". */
public abstract class NatsAppTestSupport extends AppTestSupport {
    protected static NatsServer nats;
    private final List<Connection> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startNats() throws Exception {
        nats = new NatsServer();
    }

    @AfterAll
    static void stopNats() throws Exception {
        nats.close();
    }

    @AfterEach
    void closeClients() throws InterruptedException {
        for (Connection c : clients) {
            c.close();
        }
    }

    /** This test's settings, on top of the NATS bus settings. */
    protected abstract Properties extraSettings();

    @Override
    protected final Properties settings() {
        Properties p = props("camel.component.bus.configuration.type", "nats", "camel.component.bus.configuration.servers", nats.url(),
                "camel.component.bus.configuration.node", "alpha");
        p.putAll(extraSettings());
        return p;
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;  // tests start the context themselves, once their NATS client listens
    }

    /** A plain jnats client, as a non-Camel tool would use. */
    protected Connection client() throws Exception {
        Connection client = Nats.connect(new Options.Builder().server(nats.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).build());
        clients.add(client);
        return client;
    }

    protected static List<Message> collect(Connection c, String subject) throws Exception {
        List<Message> got = new CopyOnWriteArrayList<>();
        Dispatcher d = c.createDispatcher(got::add);
        d.subscribe(subject);
        c.flush(Duration.ofSeconds(2));
        return got;
    }
}
