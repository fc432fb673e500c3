package org.peerobserver.extractor.p2p;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.HealthCheckComponent;
import org.peerobserver.bitcoin.BitcoinNetwork;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.P2pTransport;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.support.DurationText;
import org.peerobserver.support.HostPort;
import org.peerobserver.support.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks P2P (v1, and BIP324 v2 unless disabled) with Bitcoin nodes on Netty and emits upstream's p2p-extractor
 * events, plus an {@code ext.p2p_transport} event per session saying which transport it uses. {@code listen}
 * accepts the nodes that dial us, within the {@link ConnectionTable}'s limits, and listens again should its
 * socket close; {@code connect} dials each node of {@code nodes} (or host:port) and dials again, with a growing
 * wait, whenever the connection ends or cannot be made; v2 first, and at once again in v1 when the node closes
 * on our v2 key, as Bitcoin Core does. All connections share one event loop. The counters are JMX attributes
 * and metrics; the health check says whether it listens (or is connected).
 */
@ManagedResource(description = "Bitcoin P2P peer emitting p2p-extractor events")
public class BitcoinP2pConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinP2pConsumer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final P2pStatistics statistics = new P2pStatistics();
    private final DropLog dropLog = new DropLog();
    private final Map<Channel, PeerSession> sessions = new ConcurrentHashMap<>();
    private BitcoinNetwork network;
    private Map<String, String> nodeNames;
    private ConnectionTable table;
    private long netgroupSecret;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ChannelGroup channels;
    private ServerBootstrap server;
    private volatile Channel serverChannel;
    private Bootstrap dialer;
    private final List<Target> targets = new ArrayList<>();
    private P2pMetrics metrics;
    private volatile boolean stopping;
    private long nextRetryDelay;
    /** Why we do not listen; null when fine. */
    private volatile String failure;
    private static final AttributeKey<Target> TARGET = AttributeKey.valueOf("bitcoin-p2p-target");

    /** A node we dial: where, the wait before the next try, why the last try failed, and whether v1 is next. */
    private static final class Target {
        final String host;
        final int port;
        long nextRetryDelay;
        volatile String failure = "no handshake with the node yet";
        boolean v1Next;

        Target(String host, int port, long delay) {
            this.host = host;
            this.port = port;
            this.nextRetryDelay = delay;
        }

        @Override
        public String toString() {
            return hostPort(host, port);
        }
    }

    BitcoinP2pConsumer(BitcoinP2pEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public BitcoinP2pEndpoint getEndpoint() {
        return (BitcoinP2pEndpoint) super.getEndpoint();
    }

    P2pStatistics statistics() {
        return statistics;
    }

    DropLog dropLog() {
        return dropLog;
    }

    BitcoinNetwork network() {
        return network;
    }

    ConnectionTable table() {
        return table;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        P2pHealthCheck health = new P2pHealthCheck(this);
        health.setCamelContext(getEndpoint().getCamelContext());
        if (getEndpoint().getComponent() instanceof HealthCheckComponent h) {
            health.setEnabled(h.isHealthCheckConsumerEnabled());
        }
        setHealthCheck(health);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        BitcoinP2pEndpoint e = getEndpoint();
        BitcoinP2pConfiguration c = e.getConfiguration();
        network = c.p2pNetwork();
        nodeNames = c.nodeNameMap();
        table = new ConnectionTable(c.getMaxConnections(), c.getMaxConnectionsPerNetgroup(), c.getMaxPeers());
        netgroupSecret = RANDOM.nextLong();
        stopping = false;
        nextRetryDelay = c.getReconnectDelay().toMillis();
        channels = new DefaultChannelGroup("bitcoin-p2p", GlobalEventExecutor.INSTANCE);
        // one event loop for all connections: the connection table relies on it
        workerGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("bitcoin-p2p", true));
        MeterRegistry registry = e.getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        metrics = registry == null ? null : new P2pMetrics(registry, this, getRouteId() == null ? "" : getRouteId());
        if (e.getMode() == BitcoinP2pEndpoint.Mode.LISTEN) {
            bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("bitcoin-p2p-accept", true));
            server = new ServerBootstrap().group(bossGroup, workerGroup).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer(false));
            // at start a port we cannot have is an error for the operator; later it is retried
            ChannelFuture bound = server.bind(c.getHost(), e.effectivePort()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw new IllegalStateException("Cannot listen for Bitcoin nodes on " + hostPort(c.getHost(), e.effectivePort())
                        + ": " + bound.cause().getMessage() + " (the p2p extractor's settings P2P_EXTRACTOR_HOST, P2P_EXTRACTOR_PORT)");
            }
            listening(bound.channel());
            LOG.info("Listening for Bitcoin nodes ({} P2P, {}) on {}; point a node at it with -addnode={}", network.displayName(), transports(c),
                    serverChannel.localAddress(), hostPort(wildcard(c.getHost()) ? "<this host's address>" : c.getHost(), port()));
        } else {
            dialer = new Bootstrap().group(workerGroup).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) c.getConnectTimeout().toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(initializer(true));
            targets.clear();
            for (InetSocketAddress a : c.nodeList()) {
                targets.add(new Target(a.getHostString(), a.getPort(), nextRetryDelay));
            }
            if (targets.isEmpty()) {
                targets.add(new Target(c.getHost(), e.effectivePort(), nextRetryDelay));
            }
            for (Target t : targets) {
                LOG.info("Connecting to the Bitcoin node at {} ({} P2P, {})", t, network.displayName(), transports(c));
                dial(t);
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            serverChannel = null;
        }
        if (channels != null) {
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            bossGroup = null;
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            workerGroup = null;
        }
        LOG.info("Stopped the Bitcoin P2P {}: {} connections, {} handshakes, {} events, drops {}",
                getEndpoint().getMode().name().toLowerCase(java.util.Locale.ROOT), statistics.connectionsAccepted.get(), statistics.handshakes.get(),
                statistics.eventsPublished.get(), statistics.drops());
        super.doStop();
    }

    /** The listening socket, null until bound. */
    Channel serverChannel() {
        return serverChannel;
    }

    /** The port we listen on (the real one when 0 was asked for in a test). */
    public int port() {
        Channel s = serverChannel;
        if (s != null && s.localAddress() instanceof InetSocketAddress a) {
            return a.getPort();
        }
        return getEndpoint().effectivePort();
    }

    private ChannelInitializer<SocketChannel> initializer(boolean outbound) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                statistics.openConnections.incrementAndGet();
                ch.closeFuture().addListener(f -> statistics.openConnections.decrementAndGet());
                if (stopping) {
                    ch.close();
                    return;
                }
                channels.add(ch);
                V2Setting v2 = getEndpoint().getConfiguration().v2();
                P2pFrameDecoder.Transport transport;
                if (outbound) {
                    Target t = ch.attr(TARGET).get();
                    transport = v2 == V2Setting.DISABLE || t.v1Next ? P2pFrameDecoder.Transport.V1 : P2pFrameDecoder.Transport.V2;
                    t.v1Next = false;
                } else {
                    transport = v2 == V2Setting.DISABLE ? P2pFrameDecoder.Transport.V1 : P2pFrameDecoder.Transport.DETECT;
                }
                P2pFrameDecoder decoder = new P2pFrameDecoder(network, transport, v2);
                PeerSession session = new PeerSession(BitcoinP2pConsumer.this, decoder, outbound, ch, netgroupSecret);
                sessions.put(ch, session);
                ch.closeFuture().addListener(f -> {
                    sessions.remove(ch);
                    table.closed(session);
                });
                ch.pipeline().addLast("frames", decoder).addLast("session", session);
                table.connect(session);
            }
        };
    }

    /** The listening socket is {@code channel}; should it close while we run, we listen again. */
    private void listening(Channel channel) {
        serverChannel = channel;
        failure = null;
        nextRetryDelay = getEndpoint().getConfiguration().getReconnectDelay().toMillis();
        channel.closeFuture().addListener(f -> {
            if (!stopping) {
                failure = "the listening socket closed";
                LOG.warn("The P2P listening socket on {} closed; listening again", channel.localAddress());
                retryLater(this::listenAgain);
            }
        });
    }

    private void listenAgain() {
        BitcoinP2pEndpoint e = getEndpoint();
        String host = e.getConfiguration().getHost();
        server.bind(host, e.effectivePort()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                listening(f.channel());
                LOG.info("Listening for Bitcoin nodes again on {}", f.channel().localAddress());
            } else {
                String reason = "cannot listen on " + hostPort(host, e.effectivePort()) + ": " + f.cause().getMessage();
                if (!reason.equals(failure)) {
                    LOG.warn("{}; trying again, at most every {}", reason, DurationText.of(e.getConfiguration().getMaxReconnectDelay()));
                }
                failure = reason;
                retryLater(this::listenAgain);
            }
        });
    }

    private void dial(Target t) {
        BitcoinP2pEndpoint e = getEndpoint();
        dialer.clone().attr(TARGET, t).connect(t.host, t.port).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                String reason = "cannot connect to the Bitcoin node at " + t + ": " + (f.cause() == null ? "failed" : f.cause().getMessage());
                if (!reason.equals(t.failure)) {
                    LOG.warn("{}; trying again, at most every {}", reason, DurationText.of(e.getConfiguration().getMaxReconnectDelay()));
                }
                t.failure = reason;
                schedule(() -> dial(t), nextDelay(t));
            }
        });
    }

    /** The wait before the next try, doubled for the one after, from reconnectDelay up to maxReconnectDelay. */
    private long nextDelay(Target t) {
        long delay = t == null ? nextRetryDelay : t.nextRetryDelay;
        long next = Math.min(delay * 2, getEndpoint().getConfiguration().getMaxReconnectDelay().toMillis());
        if (t == null) {
            nextRetryDelay = next;
        } else {
            t.nextRetryDelay = next;
        }
        return delay;
    }

    /** Runs {@code action} after a wait that doubles per call, from reconnectDelay up to maxReconnectDelay. */
    private void retryLater(Runnable action) {
        schedule(action, nextDelay(null));
    }

    private void schedule(Runnable action, long delay) {
        EventLoopGroup g = workerGroup;
        if (stopping || g == null) {
            return;
        }
        try {
            g.schedule(() -> {
                if (!stopping) {
                    action.run();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stoppingAnyway) {
            // the event loop is shutting down
        }
    }

    void peerConnected(PeerSession session, Channel channel) {
        if (session.transport().equals("v2")) {
            statistics.v2Handshakes.incrementAndGet();
        }
        Target t = channel.attr(TARGET).get();
        if (t != null) {
            t.nextRetryDelay = getEndpoint().getConfiguration().getReconnectDelay().toMillis();
            t.failure = null;
        }
    }

    /**
     * A dialled node's connection ended: dialled again after the growing wait; at once, in v1, when it closed on our
     * v2 key (a v1-only node), unless v2 is required.
     */
    void peerDisconnected(PeerSession session, Channel channel, boolean v2Unanswered) {
        Target t = channel.attr(TARGET).get();
        if (t == null || stopping) {
            return;
        }
        if (v2Unanswered && getEndpoint().getConfiguration().v2() == V2Setting.PREFER) {
            t.v1Next = true;
            LOG.info("The node at {} closed the connection on our v2 key; dialling it again in v1", t);
            schedule(() -> dial(t), 0);
            return;
        }
        if (t.failure == null) {
            t.failure = "the node at " + t + " closed the connection";
        }
        schedule(() -> dial(t), nextDelay(t));
    }

    /** Why the health check is DOWN: not listening, or (connect) no node connected; null when UP. */
    String problem() {
        if (getEndpoint().getMode() == BitcoinP2pEndpoint.Mode.LISTEN) {
            Channel s = serverChannel;
            return s != null && s.isActive() ? null : failure != null ? failure : "not listening";
        }
        if (getConnectedPeers() > 0) {
            return null;
        }
        List<String> failures = new ArrayList<>();
        for (Target t : targets) {
            if (t.failure != null) {
                failures.add(t.failure);
            }
        }
        return failures.isEmpty() ? "not connected to the node" : String.join("; ", failures);
    }

    private static String transports(BitcoinP2pConfiguration c) {
        switch (c.v2()) {
            case REQUIRE: return "v2 only";
            case DISABLE: return "v1 only";
            default: return "v2, or v1";
        }
    }

    /** The node's name on events: the endpoint's node, else its entry in nodeNames, else its IP address. */
    String nodeName(SocketAddress remote, String coreAddress) {
        String configured = getEndpoint().getConfiguration().getNode();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = HostPort.host(coreAddress);
        return nodeNames.getOrDefault(host, host);
    }

    Version ourVersion(SocketAddress remote, long nonce) {
        return getEndpoint().ourVersion(remote, nonce);
    }

    /** Emits one p2p-extractor event from {@code session}'s node, on the session's event loop. */
    void publish(p2p.Builder p2pEvent, PeerSession session) {
        emit(Event.newBuilder().setTimestamp(System.currentTimeMillis()).setP2PExtractor(p2pEvent).build(), session);
    }

    /** Emits the {@code ext.p2p_transport} event of a session whose handshake is done. */
    void publishTransport(PeerSession session, boolean inbound, String sessionId) {
        P2pTransport.Builder t = P2pTransport.newBuilder().setPeer(session.address()).setTransport(session.transport()).setInbound(inbound);
        if (sessionId != null) {
            t.setSessionId(sessionId);
        }
        emit(Event.newBuilder().setTimestamp(System.currentTimeMillis()).setExtension(Extension.newBuilder().setP2PTransport(t)).build(),
                session);
    }

    private void emit(Event event, PeerSession session) {
        if (EventExchanges.emit(this, event, EventKind.of(event), session.node(),
                Map.of(BitcoinP2pConstants.PEER, session.address()))) {
            statistics.eventsPublished.incrementAndGet();
        }
    }

    private static boolean wildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    // --- JMX ------------------------------------------------------------------------------------------

    @ManagedAttribute(description = "Nodes connected (handshake done)")
    public int getConnectedPeers() {
        return statistics.connectedPeers.get();
    }

    @ManagedAttribute(description = "Open TCP connections, handshaking or not")
    public int getOpenConnections() {
        return statistics.openConnections.get();
    }

    @ManagedAttribute(description = "Connections accepted or made so far")
    public long getConnectionsTotal() {
        return statistics.connectionsAccepted.get();
    }

    @ManagedAttribute(description = "Version handshakes completed so far")
    public long getHandshakes() {
        return statistics.handshakes.get();
    }

    @ManagedAttribute(description = "Events published")
    public long getEventsPublished() {
        return statistics.eventsPublished.get();
    }

    @ManagedAttribute(description = "Messages received, by command (unknown commands as 'other')")
    public Map<String, Long> getMessagesIn() {
        return statistics.messagesIn();
    }

    @ManagedAttribute(description = "Messages sent, by command")
    public Map<String, Long> getMessagesOut() {
        return statistics.messagesOut();
    }

    @ManagedAttribute(description = "Connections closed on the peer, by reason")
    public Map<String, Long> getDrops() {
        return statistics.drops();
    }

    @ManagedAttribute(description = "Connections closed on the peer, all reasons")
    public long getDropsTotal() {
        return statistics.totalDrops();
    }

    @ManagedAttribute(description = "Connections closed to make room for a newer one (also counted in Drops)")
    public long getEvictions() {
        return statistics.evictions.sum();
    }

    @ManagedAttribute(description = "Connected nodes: name, address and user agent")
    public List<String> getPeers() {
        List<String> out = new ArrayList<>();
        for (PeerSession s : sessions.values()) {
            if (s.ready()) {
                out.add(s.node() + " " + s.address() + " " + SafeText.of(s.peerVersion().getUserAgent()));
            }
        }
        return out;
    }

    @ManagedAttribute(description = "Version handshakes completed in BIP324 v2 so far")
    public long getV2Handshakes() {
        return statistics.v2Handshakes.get();
    }

    long handshakes(String transport) {
        long v2 = statistics.v2Handshakes.get();
        return transport.equals("v2") ? v2 : statistics.handshakes.get() - v2;
    }

    long drops(DropReason reason) {
        return statistics.drops(reason);
    }
}
