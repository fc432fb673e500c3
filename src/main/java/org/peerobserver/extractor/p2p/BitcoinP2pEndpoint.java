package org.peerobserver.extractor.p2p;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.peerobserver.bitcoin.AddressText;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.support.HostPort;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.primitives.Address;

@UriEndpoint(firstVersion = "0.1.0", scheme = "bitcoin-p2p", title = "Bitcoin P2P", syntax = "bitcoin-p2p:mode",
             category = { Category.MONITORING, Category.NETWORKING }, headersClass = BitcoinP2pConstants.class)
public class BitcoinP2pEndpoint extends DefaultEndpoint {
    /** What the endpoint does. */
    public enum Mode {
        LISTEN, CONNECT, HANDSHAKE;

        static Mode of(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bitcoin-p2p:" + name + " is not a mode; one of "
                        + Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
            }
        }
    }

    /** The listener's port when none is configured (upstream's extractor uses 9333; ours 8555). */
    public static final int DEFAULT_LISTEN_PORT = 8555;

    @UriPath(enums = "listen,connect,handshake", description = "listen: nodes dial us (consumer); connect: we dial a node"
            + " (consumer); handshake: dial, exchange versions, return the node's (producer)")
    @Metadata(required = true)
    private final Mode mode;
    @UriParam(defaultValue = "127.0.0.1", description = "listen: address to bind; connect and handshake: the node's host")
    private String host = "127.0.0.1";
    @UriParam(defaultValue = "0", description = "Port; 0: 8555 for listen, the network's P2P port (8333, 18333, 48333,"
            + " 38333, 18444) for connect and handshake")
    private int port;
    @UriParam(defaultValue = "mainnet", enums = "mainnet,testnet,testnet4,signet,regtest",
              description = "Network whose message start (magic) we speak and expect")
    private String network = "mainnet";
    @UriParam(defaultValue = "/peer-observer-camel:0.1.0/", description = "User agent in our version message")
    private String userAgent = "/peer-observer-camel:0.1.0/";

    @UriParam(label = "consumer", description = "Name of the node on every event (the eventNode header); empty: nodeNames,"
            + " else the node's IP address")
    private String node;
    @UriParam(label = "consumer", description = "Names of nodes by IP address, e.g. 10.0.0.5=alice,10.0.0.6=bob")
    private String nodeNames;
    @UriParam(label = "consumer", defaultValue = "10000", description = "Milliseconds between our pings (0: none)")
    private long pingInterval = 10_000;
    @UriParam(label = "consumer", defaultValue = "60000",
              description = "Milliseconds a connection gets to finish the version handshake")
    private long handshakeTimeout = 60_000;
    @UriParam(label = "consumer", defaultValue = "1200000", description = "Milliseconds a ping of ours may wait for its pong"
            + " before the node is disconnected (Bitcoin Core: 20 minutes); checked when the next ping is due")
    private long pingTimeout = 1_200_000;
    @UriParam(label = "consumer", defaultValue = "true", description = "Publish ping_duration events")
    private boolean pingDuration = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Publish address_announcement events (addrv2)")
    private boolean addressAnnouncements = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Publish inventory_announcement events (inv)")
    private boolean inventoryAnnouncements = true;
    @UriParam(label = "consumer", defaultValue = "true", description = "Publish feefilter_announcement events")
    private boolean feefilterAnnouncements = true;
    @UriParam(label = "consumer", defaultValue = "4096", description = "Open connections at most (handshaking or not);"
            + " when full, a newcomer evicts the youngest unfinished handshake of the netgroup with the most, or is refused"
            + " if that is its own")
    private int maxConnections = 4096;
    @UriParam(label = "consumer", defaultValue = "1024", description = "Open connections at most from one netgroup"
            + " (an IPv4 /16, an IPv6 /32); further ones from it are refused")
    private int maxConnectionsPerNetgroup = 1024;
    @UriParam(label = "consumer", defaultValue = "16", description = "Nodes past their version message at most; each may"
            + " then send messages of up to 4 MB. When full, the oldest unfinished handshake makes room, else a node as"
            + " Bitcoin Core's eviction picks it, else the newcomer is refused")
    private int maxPeers = 16;
    @UriParam(label = "consumer", defaultValue = "1000", description = "connect: first wait before dialling again; listen:"
            + " before listening again should the socket close; in ms")
    private long reconnectDelay = 1000;
    @UriParam(label = "consumer", defaultValue = "60000",
              description = "The longest such wait, in ms (the wait doubles per failure)")
    private long maxReconnectDelay = 60_000;

    @UriParam(defaultValue = "10000", description = "connect and handshake: milliseconds to establish the TCP connection")
    private int connectTimeout = 10_000;
    @UriParam(label = "producer", defaultValue = "10000", description = "handshake: milliseconds to wait for the node's version")
    private int readTimeout = 10_000;
    @UriParam(label = "producer", description = "handshake: a SOCKS5 proxy (host:port) to dial through, e.g. Tor's"
            + " 127.0.0.1:9050 for .onion hosts; empty: dial directly")
    private String socksProxy;

    BitcoinP2pEndpoint(String uri, BitcoinP2pComponent component, Mode mode) {
        super(uri, component);
        this.mode = mode;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (mode == Mode.HANDSHAKE) {
            throw new IllegalArgumentException("bitcoin-p2p:handshake is a producer; consume from bitcoin-p2p:listen or :connect");
        }
        validate();
        BitcoinP2pConsumer consumer = new BitcoinP2pConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        if (mode != Mode.HANDSHAKE) {
            throw new IllegalArgumentException("bitcoin-p2p:" + mode.name().toLowerCase(Locale.ROOT)
                    + " is a consumer; use bitcoin-p2p:handshake to send");
        }
        validate();
        return new BitcoinP2pProducer(this);
    }

    void validate() {
        p2pNetwork();
        nodeNameMap();
        socksProxyAddress();
        if (userAgent == null || userAgent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 256) {
            throw new IllegalArgumentException("userAgent must have at most 256 bytes (Bitcoin Core disconnects otherwise)");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("bitcoin-p2p: host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bitcoin-p2p port " + port + " is out of range 0-65535"
                    + " (the p2p extractor's setting P2P_EXTRACTOR_PORT)");
        }
        if (handshakeTimeout <= 0 || pingTimeout <= 0 || maxConnections <= 0 || maxConnectionsPerNetgroup <= 0 || maxPeers <= 0
                || connectTimeout <= 0 || readTimeout <= 0
                || pingInterval < 0 || reconnectDelay <= 0 || maxReconnectDelay < reconnectDelay) {
            throw new IllegalArgumentException("bitcoin-p2p: timeouts, delays and limits must be positive"
                    + " (and maxReconnectDelay at least reconnectDelay)");
        }
    }

    /** The SOCKS5 proxy to dial through, or null to dial directly. */
    InetSocketAddress socksProxyAddress() {
        if (socksProxy == null || socksProxy.isBlank()) {
            return null;
        }
        InetSocketAddress proxy = HostPort.parse(socksProxy.trim(), "socksProxy");
        // resolved: the proxy handler connects to it as it is
        return new InetSocketAddress(proxy.getHostString(), proxy.getPort());
    }

    BitcoinNetwork p2pNetwork() {
        return BitcoinNetwork.of(network);
    }

    int effectivePort() {
        if (port != 0) {
            return port;
        }
        return mode == Mode.LISTEN ? DEFAULT_LISTEN_PORT : p2pNetwork().p2pPort();
    }

    Map<String, String> nodeNameMap() {
        Map<String, String> m = new LinkedHashMap<>();
        if (nodeNames != null) {
            for (String pair : nodeNames.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("nodeNames wants ip=name pairs, not '" + pair.trim() + "'");
                }
                String ip = pair.substring(0, eq).trim();
                m.put(ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip, pair.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** Our version, as upstream's extractor sends it: 70016, NETWORK|WITNESS, relay, height 0, from 0.0.0.0:0. */
    Version ourVersion(SocketAddress remote, long nonce) {
        Address.Builder receiver = Address.newBuilder().setTimestamp(0).setServices(0).setIpv4("0.0.0.0").setPort(0);
        if (remote instanceof InetSocketAddress a && a.getAddress() != null) {
            byte[] ip = a.getAddress().getAddress();
            if (a.getAddress() instanceof Inet4Address) {
                receiver.setIpv4(AddressText.ipv4(ip, 0));
            } else {
                receiver.setIpv6(AddressText.ipv6(ip, 0));
            }
            receiver.setPort(a.getPort());
        }
        return Version.newBuilder().setVersion(PayloadEncoder.PROTOCOL_VERSION)
                .setServices(PayloadEncoder.NODE_NETWORK | PayloadEncoder.NODE_WITNESS)
                .setTimestamp(System.currentTimeMillis() / 1000).setReceiver(receiver)
                .setSender(Address.newBuilder().setTimestamp(0).setServices(0).setIpv4("0.0.0.0").setPort(0))
                .setNonce(nonce).setUserAgent(userAgent).setStartHeight(0).setRelay(true).build();
    }

    public Mode getMode() {
        return mode;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getNetwork() {
        return network;
    }

    public void setNetwork(String network) {
        this.network = network;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public String getNodeNames() {
        return nodeNames;
    }

    public void setNodeNames(String nodeNames) {
        this.nodeNames = nodeNames;
    }

    public long getPingInterval() {
        return pingInterval;
    }

    public void setPingInterval(long pingInterval) {
        this.pingInterval = pingInterval;
    }

    public long getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(long handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public long getPingTimeout() {
        return pingTimeout;
    }

    public void setPingTimeout(long pingTimeout) {
        this.pingTimeout = pingTimeout;
    }

    public boolean isPingDuration() {
        return pingDuration;
    }

    public void setPingDuration(boolean pingDuration) {
        this.pingDuration = pingDuration;
    }

    public boolean isAddressAnnouncements() {
        return addressAnnouncements;
    }

    public void setAddressAnnouncements(boolean addressAnnouncements) {
        this.addressAnnouncements = addressAnnouncements;
    }

    public boolean isInventoryAnnouncements() {
        return inventoryAnnouncements;
    }

    public void setInventoryAnnouncements(boolean inventoryAnnouncements) {
        this.inventoryAnnouncements = inventoryAnnouncements;
    }

    public boolean isFeefilterAnnouncements() {
        return feefilterAnnouncements;
    }

    public void setFeefilterAnnouncements(boolean feefilterAnnouncements) {
        this.feefilterAnnouncements = feefilterAnnouncements;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerNetgroup() {
        return maxConnectionsPerNetgroup;
    }

    public void setMaxConnectionsPerNetgroup(int maxConnectionsPerNetgroup) {
        this.maxConnectionsPerNetgroup = maxConnectionsPerNetgroup;
    }

    public int getMaxPeers() {
        return maxPeers;
    }

    public void setMaxPeers(int maxPeers) {
        this.maxPeers = maxPeers;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getSocksProxy() {
        return socksProxy;
    }

    public void setSocksProxy(String socksProxy) {
        this.socksProxy = socksProxy;
    }

    public int getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(int readTimeout) {
        this.readTimeout = readTimeout;
    }
}
