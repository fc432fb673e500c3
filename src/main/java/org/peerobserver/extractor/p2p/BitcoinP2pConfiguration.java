package org.peerobserver.extractor.p2p;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.support.EndpointDefaults;
import org.peerobserver.support.HostPort;

/**
 * Options of {@code bitcoin-p2p:}. The component holds one instance, set once from application.properties
 * ({@code camel.component.bitcoin-p2p.configuration.*}); each endpoint gets a copy and may override
 * options in its URI (the listener's address, for one).
 */
@UriParams
@Configurer
public class BitcoinP2pConfiguration extends EndpointDefaults<BitcoinP2pConfiguration> {

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
    @UriParam(defaultValue = "prefer", enums = "prefer,require,disable", description = "BIP324 v2 transport. prefer:"
            + " listen serves v1 and v2 (told apart by the first bytes), connect and handshake try v2 and fall back to v1"
            + " as Bitcoin Core does; require: v2 only; disable: v1 only")
    private String v2Transport = "prefer";
    @UriParam(label = "consumer", description = "connect: the nodes to dial, host:port,host:port,...; empty: host and port")
    private String nodes;

    @UriParam(label = "consumer", description = "Name of the node on every event (the eventNode header); empty: nodeNames,"
            + " else the node's IP address")
    private String node;
    @UriParam(label = "consumer", description = "Names of nodes by IP address, e.g. 10.0.0.5=alice,10.0.0.6=bob")
    private String nodeNames;
    @UriParam(label = "consumer", defaultValue = "10s", javaType = "java.time.Duration",
              description = "Time between our pings (0: none)")
    private Duration pingInterval = Duration.ofSeconds(10);
    @UriParam(label = "consumer", defaultValue = "60s", javaType = "java.time.Duration",
              description = "Time a connection gets to finish the version handshake")
    private Duration handshakeTimeout = Duration.ofSeconds(60);
    @UriParam(label = "consumer", defaultValue = "20m", javaType = "java.time.Duration",
              description = "Time a ping of ours may wait for its pong before the node is disconnected (as Bitcoin"
                      + " Core's); checked when the next ping is due")
    private Duration pingTimeout = Duration.ofMinutes(20);
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
    @UriParam(label = "consumer", defaultValue = "1s", javaType = "java.time.Duration",
              description = "connect: first wait before dialling again; listen: before listening again should the socket close")
    private Duration reconnectDelay = Duration.ofSeconds(1);
    @UriParam(label = "consumer", defaultValue = "60s", javaType = "java.time.Duration",
              description = "The longest such wait (the wait doubles per failure)")
    private Duration maxReconnectDelay = Duration.ofSeconds(60);

    @UriParam(defaultValue = "10s", javaType = "java.time.Duration",
              description = "connect and handshake: time to establish the TCP connection")
    private Duration connectTimeout = Duration.ofSeconds(10);
    @UriParam(label = "producer", defaultValue = "10s", javaType = "java.time.Duration",
              description = "handshake: time to wait for the node's version")
    private Duration readTimeout = Duration.ofSeconds(10);
    @UriParam(label = "producer", description = "handshake: a SOCKS5 proxy (host:port) to dial through, e.g. Tor's"
            + " 127.0.0.1:9050 for .onion hosts; empty: dial directly")
    private String socksProxy;

    /** Fails early, at route start, on settings that could never work. */
    void validate() {
        p2pNetwork();
        v2();
        nodeList();
        nodeNameMap();
        socksProxyAddress();
        if (userAgent == null || userAgent.getBytes(StandardCharsets.UTF_8).length > 256) {
            throw new IllegalArgumentException("userAgent must have at most 256 bytes (Bitcoin Core disconnects otherwise)");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("bitcoin-p2p: host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bitcoin-p2p port " + port + " is out of range 0-65535"
                    + " (the p2p extractor's setting P2P_EXTRACTOR_PORT)");
        }
        if (!positive(handshakeTimeout) || !positive(pingTimeout) || maxConnections <= 0 || maxConnectionsPerNetgroup <= 0
                || maxPeers <= 0 || !positive(connectTimeout) || !positive(readTimeout)
                || pingInterval.isNegative() || !positive(reconnectDelay) || maxReconnectDelay.compareTo(reconnectDelay) < 0) {
            throw new IllegalArgumentException("bitcoin-p2p: timeouts, delays and limits must be positive"
                    + " (and maxReconnectDelay at least reconnectDelay)");
        }
    }

    /** At least a millisecond: what the timers and sockets below count in. */
    private static boolean positive(Duration d) {
        return d.toMillis() >= 1;
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

    V2Setting v2() {
        return V2Setting.of(v2Transport);
    }

    /** The nodes {@code nodes} lists (as host, port), in order; empty when it is empty. */
    List<InetSocketAddress> nodeList() {
        List<InetSocketAddress> list = new ArrayList<>();
        if (nodes != null) {
            for (String n : nodes.split(",")) {
                if (!n.isBlank()) {
                    InetSocketAddress a = HostPort.parse(n.trim(), "nodes (P2P_CONNECT)");
                    list.add(InetSocketAddress.createUnresolved(a.getHostString(), a.getPort()));
                }
            }
        }
        return list;
    }

    BitcoinNetwork p2pNetwork() {
        return BitcoinNetwork.of(network);
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

    public String getV2Transport() {
        return v2Transport;
    }

    public void setV2Transport(String v2Transport) {
        this.v2Transport = v2Transport;
    }

    public String getNodes() {
        return nodes;
    }

    public void setNodes(String nodes) {
        this.nodes = nodes;
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

    public Duration getPingInterval() {
        return pingInterval;
    }

    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public Duration getPingTimeout() {
        return pingTimeout;
    }

    public void setPingTimeout(Duration pingTimeout) {
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

    public Duration getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public Duration getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    public void setMaxReconnectDelay(Duration maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public String getSocksProxy() {
        return socksProxy;
    }

    public void setSocksProxy(String socksProxy) {
        this.socksProxy = socksProxy;
    }

}
