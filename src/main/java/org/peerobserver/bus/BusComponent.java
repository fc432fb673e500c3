package org.peerobserver.bus;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Options;
import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.peerobserver.support.HostName;

/**
 * {@code bus:publish} and {@code bus:subscribe}: the event bus every extractor publishes to and every
 * tool reads from. One property, {@code type}, switches between the in-JVM bus and NATS, so the same
 * route files run on both. The component owns the one bus (and its one NATS connection) of the process.
 */
@Component("bus")
public class BusComponent extends DefaultComponent {
    private static final int OUTGOING_QUEUE_MESSAGES = 100_000;

    @Metadata(description = "The bus of the process: in-JVM or NATS, its connection and the subscribers' queues")
    private BusConfiguration configuration = new BusConfiguration();
    /** The configured node name, or this host's name once started. */
    private String node;

    private final BusStatistics statistics = new BusStatistics();
    private Bus bus;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        BusEndpoint endpoint = new BusEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        BusConfiguration c = configuration;
        node = c.getNode() == null || c.getNode().isBlank() ? HostName.local() : c.getNode();
        bus = switch (c.getType()) {
            case "embedded" -> new EmbeddedBus(statistics, c.getQueueSize(), c.getQueueBytes(), c.getPublishTimeout().toMillis());
            case "nats" -> {
                String stream = c.getJetStream();
                JetStreamSettings js = stream == null || stream.isBlank() ? null
                        : new JetStreamSettings(stream, c.getDurable(), c.getJetStreamMaxBytes(), c.getAckWait(),
                                c.isJetStreamAwaitAck(), c.getJetStreamMaxAge(), c.getJetStreamReplicas(), sites(c.getJetStreamSites()));
                NatsBus nats = new NatsBus(natsOptions(), statistics, c.getServers(), js, c.getNatsPendingLimit(), c.getQueueSize(),
                        c.getQueueBytes());
                nats.awaitFirstConnection(c.getStartupWait().toMillis());
                yield nats;
            }
            default -> throw new IllegalArgumentException(
                    "bus type must be 'embedded' or 'nats', not '" + c.getType() + "' (setting BUS)");
        };
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null) {
            health.register(new BusHealthCheck(this));
        }
        MeterRegistry meters = getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (meters != null) {
            statistics.bindTo(meters);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (bus != null) {
            bus.close();
            bus = null;
        }
        super.doStop();
    }

    private Options.Builder natsOptions() throws NoSuchAlgorithmException {
        return natsOptions(configuration.getServers());
    }

    /**
     * The bus's NATS options (credentials, TLS) for other servers: a replay reads a hub's archive with them,
     * whatever bus the process publishes on.
     */
    public Options.Builder natsOptions(String servers) throws NoSuchAlgorithmException {
        BusConfiguration c = configuration;
        Options.Builder b = new Options.Builder().servers(servers.split("\\s*,\\s*"))
                .reconnectBufferSize(c.getReconnectBufferSize())
                // jnats' default (5,000 messages, then publish blocks) is one second of a busy node: the
                // byte bound above is what limits memory, and a full queue fails at once (counted) rather
                // than stalling the extractor
                .maxMessagesInOutgoingQueue(OUTGOING_QUEUE_MESSAGES).discardMessagesWhenOutgoingQueueFull()
                .connectionName("peer-observer-camel " + node);
        if (set(c.getUser())) {
            b.userInfo(c.getUser(), c.getPassword() == null ? "" : c.getPassword());
        }
        if (set(c.getToken())) {
            b.token(c.getToken().toCharArray());
        }
        if (set(c.getCredentials())) {
            b.credentialPath(c.getCredentials());
        }
        if (set(c.getTruststore())) {
            b.truststorePath(c.getTruststore()).truststorePassword(chars(c.getTruststorePassword()));
        }
        if (set(c.getKeystore())) {
            b.keystorePath(c.getKeystore()).keystorePassword(chars(c.getKeystorePassword()));
        }
        if (c.isTls()) {
            b.secure();
        }
        return b;
    }

    /** JetStream domain names, as nats-server takes them in its {@code jetstream { domain }} setting. */
    private static List<String> sites(String list) {
        if (!set(list)) {
            return List.of();
        }
        List<String> sites = List.of(list.trim().split("\\s*,\\s*"));
        for (String site : sites) {
            if (!site.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("a JetStream site is a domain name (letters, digits, _ and -), not '"
                        + site + "' (setting BUS_NATS_JETSTREAM_SITES)");
            }
        }
        return sites;
    }

    private static boolean set(String s) {
        return s != null && !s.isEmpty();
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    Bus bus() {
        return bus;
    }

    public BusStatistics getStatistics() {
        return statistics;
    }

    /** The node name on events that carry none: the configured one, or (once started) this host's name. */
    public String getNode() {
        return node != null ? node : configuration.getNode();
    }

    public BusConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(BusConfiguration configuration) {
        this.configuration = configuration;
    }
}
