package org.peerobserver.bus;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Options;
import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code bus:publish} and {@code bus:subscribe}: the event bus every extractor publishes to and every
 * tool reads from. One property, {@code type}, switches between the in-JVM bus and NATS, so the same
 * route files run on both. The component owns the one bus (and its one NATS connection) of the process.
 */
@Component("bus")
public class BusComponent extends DefaultComponent {
    private static final int OUTGOING_QUEUE_MESSAGES = 100_000;

    @Metadata(defaultValue = "embedded", enums = "embedded,nats", description = "In-JVM bus or a NATS server")
    private String type = "embedded";
    @Metadata(description = "Node name stamped on events that do not carry one (default: host name)")
    private String node;
    @Metadata(defaultValue = "nats://127.0.0.1:4222", description = "NATS servers, comma-separated")
    private String servers = "nats://127.0.0.1:4222";
    @Metadata(label = "security", secret = true)
    private String user;
    @Metadata(label = "security", secret = true)
    private String password;
    @Metadata(label = "security", secret = true)
    private String token;
    @Metadata(label = "security", description = "NATS credentials file (JWT and nkey seed)")
    private String credentials;
    @Metadata(label = "security", description = "Use TLS (implied by a truststore or keystore)")
    private boolean tls;
    @Metadata(label = "security", description = "Truststore (JKS or PKCS12) with the NATS server's CA")
    private String truststore;
    @Metadata(label = "security", secret = true)
    private String truststorePassword;
    @Metadata(label = "security", description = "Keystore (JKS or PKCS12) with a client certificate, for mutual TLS")
    private String keystore;
    @Metadata(label = "security", secret = true)
    private String keystorePassword;
    @Metadata(defaultValue = "10000", description = "Events queued per subscribing route (in-JVM and NATS)")
    private int queueSize = 10_000;
    @Metadata(defaultValue = "4194304", description = "Payload bytes queued per subscribing route (in-JVM and NATS)")
    private long queueBytes = 4L * 1024 * 1024;
    @Metadata(defaultValue = "1000", description = "In-JVM bus: how long a publisher waits for a full subscriber queue (ms)")
    private long publishTimeout = 1000;
    @Metadata(defaultValue = "67108864", description = "NATS: bytes buffered while reconnecting")
    private long reconnectBufferSize = 64L * 1024 * 1024;
    @Metadata(defaultValue = "50000", description = "NATS: messages jnats holds for the process before it drops (and we count)")
    private int natsPendingLimit = 50_000;
    @Metadata(defaultValue = "5000", description = "NATS: how long start-up waits for the first connection before going on (ms)")
    private long startupWait = 5000;
    @Metadata(description = "NATS: a JetStream stream to publish to and read from with durable consumers (empty: core NATS)")
    private String jetStream;
    @Metadata(defaultValue = "peer-observer", description = "JetStream: durable consumer names start with this, then the route id")
    private String durable = "peer-observer";
    @Metadata(defaultValue = "1073741824", description = "JetStream: bytes the stream keeps (the oldest events go first)")
    private long jetStreamMaxBytes = 1L << 30;
    @Metadata(defaultValue = "30", description = "JetStream: seconds before an unacknowledged event is delivered again")
    private int ackWait = 30;

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
        if (node == null || node.isBlank()) {
            node = hostName();
        }
        bus = switch (type) {
            case "embedded" -> new EmbeddedBus(statistics, queueSize, queueBytes, publishTimeout);
            case "nats" -> {
                JetStreamSettings js = jetStream == null || jetStream.isBlank() ? null
                        : new JetStreamSettings(jetStream, durable, jetStreamMaxBytes, Duration.ofSeconds(ackWait));
                NatsBus nats = new NatsBus(natsOptions(), statistics, servers, js, natsPendingLimit, queueSize, queueBytes);
                nats.awaitFirstConnection(startupWait);
                yield nats;
            }
            default -> throw new IllegalArgumentException(
                    "bus type must be 'embedded' or 'nats', not '" + type + "' (setting BUS)");
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
        Options.Builder b = new Options.Builder().servers(servers.split("\\s*,\\s*"))
                .reconnectBufferSize(reconnectBufferSize)
                // jnats' default (5,000 messages, then publish blocks) is one second of a busy node: the
                // byte bound above is what limits memory, and a full queue fails at once (counted) rather
                // than stalling the extractor
                .maxMessagesInOutgoingQueue(OUTGOING_QUEUE_MESSAGES).discardMessagesWhenOutgoingQueueFull()
                .connectionName("peer-observer-camel " + node);
        if (user != null && !user.isEmpty()) {
            b.userInfo(user, password == null ? "" : password);
        }
        if (token != null && !token.isEmpty()) {
            b.token(token.toCharArray());
        }
        if (credentials != null && !credentials.isEmpty()) {
            b.credentialPath(credentials);
        }
        if (truststore != null && !truststore.isEmpty()) {
            b.truststorePath(truststore).truststorePassword(chars(truststorePassword));
        }
        if (keystore != null && !keystore.isEmpty()) {
            b.keystorePath(keystore).keystorePassword(chars(keystorePassword));
        }
        if (tls) {
            b.secure();
        }
        return b;
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    /** The host name without a DNS lookup where the system already knows it. */
    static String hostName() {
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return "localhost";
            }
        }
    }

    Bus bus() {
        return bus;
    }

    public BusStatistics getStatistics() {
        return statistics;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getServers() {
        return servers;
    }

    public void setServers(String servers) {
        this.servers = servers;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getCredentials() {
        return credentials;
    }

    public void setCredentials(String credentials) {
        this.credentials = credentials;
    }

    public boolean isTls() {
        return tls;
    }

    public void setTls(boolean tls) {
        this.tls = tls;
    }

    public String getTruststore() {
        return truststore;
    }

    public void setTruststore(String truststore) {
        this.truststore = truststore;
    }

    public String getTruststorePassword() {
        return truststorePassword;
    }

    public void setTruststorePassword(String truststorePassword) {
        this.truststorePassword = truststorePassword;
    }

    public String getKeystore() {
        return keystore;
    }

    public void setKeystore(String keystore) {
        this.keystore = keystore;
    }

    public String getKeystorePassword() {
        return keystorePassword;
    }

    public void setKeystorePassword(String keystorePassword) {
        this.keystorePassword = keystorePassword;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public long getQueueBytes() {
        return queueBytes;
    }

    public void setQueueBytes(long queueBytes) {
        this.queueBytes = queueBytes;
    }

    public long getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(long publishTimeout) {
        this.publishTimeout = publishTimeout;
    }

    public long getStartupWait() {
        return startupWait;
    }

    public void setStartupWait(long startupWait) {
        this.startupWait = startupWait;
    }

    public String getJetStream() {
        return jetStream;
    }

    public void setJetStream(String jetStream) {
        this.jetStream = jetStream;
    }

    public String getDurable() {
        return durable;
    }

    public void setDurable(String durable) {
        this.durable = durable;
    }

    public long getJetStreamMaxBytes() {
        return jetStreamMaxBytes;
    }

    public void setJetStreamMaxBytes(long jetStreamMaxBytes) {
        this.jetStreamMaxBytes = jetStreamMaxBytes;
    }

    public int getNatsPendingLimit() {
        return natsPendingLimit;
    }

    public void setNatsPendingLimit(int natsPendingLimit) {
        this.natsPendingLimit = natsPendingLimit;
    }

    public int getAckWait() {
        return ackWait;
    }

    public void setAckWait(int ackWait) {
        this.ackWait = ackWait;
    }

    public long getReconnectBufferSize() {
        return reconnectBufferSize;
    }

    public void setReconnectBufferSize(long reconnectBufferSize) {
        this.reconnectBufferSize = reconnectBufferSize;
    }
}
