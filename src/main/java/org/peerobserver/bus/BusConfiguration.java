package org.peerobserver.bus;

import java.time.Duration;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The bus of the process, set once from application.properties ({@code camel.component.bus.configuration.*}):
 * in-JVM or NATS, the NATS connection and its credentials, and the bounds of every subscriber's queue.
 */
@UriParams
@Configurer
public class BusConfiguration {

    @UriParam(defaultValue = "embedded", enums = "embedded,nats", description = "In-JVM bus or a NATS server")
    private String type = "embedded";
    @UriParam(description = "Node name stamped on events that do not carry one (default: host name)")
    private String node;
    @UriParam(defaultValue = "nats://127.0.0.1:4222", description = "NATS servers, comma-separated")
    private String servers = "nats://127.0.0.1:4222";
    @UriParam(label = "security", secret = true, description = "NATS user")
    private String user;
    @UriParam(label = "security", secret = true, description = "NATS password")
    private String password;
    @UriParam(label = "security", secret = true, description = "NATS token")
    private String token;
    @UriParam(label = "security", description = "NATS credentials file (JWT and nkey seed)")
    private String credentials;
    @UriParam(label = "security", description = "Use TLS (implied by a truststore or keystore)")
    private boolean tls;
    @UriParam(label = "security", description = "Truststore (JKS or PKCS12) with the NATS server's CA")
    private String truststore;
    @UriParam(label = "security", secret = true, description = "Password of the truststore")
    private String truststorePassword;
    @UriParam(label = "security", description = "Keystore (JKS or PKCS12) with a client certificate, for mutual TLS")
    private String keystore;
    @UriParam(label = "security", secret = true, description = "Password of the keystore")
    private String keystorePassword;
    @UriParam(defaultValue = "10000", description = "Events queued per subscribing route (in-JVM and NATS)")
    private int queueSize = 10_000;
    @UriParam(defaultValue = "4194304", description = "Payload bytes queued per subscribing route (in-JVM and NATS)")
    private long queueBytes = 4L * 1024 * 1024;
    @UriParam(defaultValue = "1s", javaType = "java.time.Duration",
              description = "In-JVM bus: how long a publisher waits for a full subscriber queue")
    private Duration publishTimeout = Duration.ofSeconds(1);
    @UriParam(label = "advanced", defaultValue = "67108864", description = "NATS: bytes buffered while reconnecting")
    private long reconnectBufferSize = 64L * 1024 * 1024;
    @UriParam(defaultValue = "50000", description = "NATS: messages jnats holds for the process before it drops (and we count)")
    private int natsPendingLimit = 50_000;
    @UriParam(defaultValue = "5s", javaType = "java.time.Duration",
              description = "NATS: how long start-up waits for the first connection before going on")
    private Duration startupWait = Duration.ofSeconds(5);
    @UriParam(description = "NATS: a JetStream stream to publish to and read from with durable consumers (empty: core NATS)")
    private String jetStream;
    @UriParam(defaultValue = "peer-observer", description = "JetStream: durable consumer names start with this, then the route id")
    private String durable = "peer-observer";
    @UriParam(defaultValue = "1073741824", description = "JetStream: bytes the stream keeps (the oldest events go first)")
    private long jetStreamMaxBytes = 1L << 30;
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration",
              description = "JetStream: time before an unacknowledged event is delivered again")
    private Duration ackWait = Duration.ofSeconds(30);
    @UriParam(defaultValue = "true", description = "JetStream: a publisher waits until the stream stored each event; false:"
            + " it publishes on core NATS, and the stream on the server next door stores what reaches it (a site's leaf node)")
    private boolean jetStreamAwaitAck = true;
    @UriParam(defaultValue = "0s", javaType = "java.time.Duration",
              description = "JetStream: how long the stream keeps an event (0s: until max bytes push it out)")
    private Duration jetStreamMaxAge = Duration.ZERO;
    @UriParam(defaultValue = "1", description = "JetStream: copies of the stream in a cluster (3 on a three-server hub)")
    private int jetStreamReplicas = 1;
    @UriParam(description = "JetStream on a hub: the JetStream domains of the sites (leaf nodes), comma-separated, whose"
            + " stream of the same name this stream gathers instead of taking subjects itself")
    private String jetStreamSites;

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

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }

    public long getReconnectBufferSize() {
        return reconnectBufferSize;
    }

    public void setReconnectBufferSize(long reconnectBufferSize) {
        this.reconnectBufferSize = reconnectBufferSize;
    }

    public int getNatsPendingLimit() {
        return natsPendingLimit;
    }

    public void setNatsPendingLimit(int natsPendingLimit) {
        this.natsPendingLimit = natsPendingLimit;
    }

    public Duration getStartupWait() {
        return startupWait;
    }

    public void setStartupWait(Duration startupWait) {
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

    public Duration getAckWait() {
        return ackWait;
    }

    public void setAckWait(Duration ackWait) {
        this.ackWait = ackWait;
    }

    public boolean isJetStreamAwaitAck() {
        return jetStreamAwaitAck;
    }

    public void setJetStreamAwaitAck(boolean jetStreamAwaitAck) {
        this.jetStreamAwaitAck = jetStreamAwaitAck;
    }

    public Duration getJetStreamMaxAge() {
        return jetStreamMaxAge;
    }

    public void setJetStreamMaxAge(Duration jetStreamMaxAge) {
        this.jetStreamMaxAge = jetStreamMaxAge;
    }

    public int getJetStreamReplicas() {
        return jetStreamReplicas;
    }

    public void setJetStreamReplicas(int jetStreamReplicas) {
        this.jetStreamReplicas = jetStreamReplicas;
    }

    public String getJetStreamSites() {
        return jetStreamSites;
    }

    public void setJetStreamSites(String jetStreamSites) {
        this.jetStreamSites = jetStreamSites;
    }
}
