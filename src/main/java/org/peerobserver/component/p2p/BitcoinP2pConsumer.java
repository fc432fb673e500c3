package org.peerobserver.component.p2p;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.component.p2p.codec.P2pNetwork;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.p2p.p2p;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks v1 P2P with Bitcoin nodes on Netty and emits upstream's p2p-extractor events. {@code listen} accepts
 * the nodes that dial us; {@code connect} dials one node and dials again, with a growing wait, whenever the
 * connection ends or cannot be made. The counters are JMX attributes.
 */
@ManagedResource(description = "Bitcoin P2P peer emitting p2p-extractor events")
public class BitcoinP2pConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinP2pConsumer.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final P2pStatistics statistics = new P2pStatistics();
    private final DropLog dropLog = new DropLog(DROP_LOG_INTERVAL_NANOS);
    private final Map<Channel, PeerSession> sessions = new ConcurrentHashMap<>();
    private P2pNetwork network;
    private Map<String, String> nodeNames;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private ChannelGroup channels;
    private Channel serverChannel;
    private Bootstrap dialer;
    private volatile boolean stopping;
    private long nextReconnectDelay;
    private String lastDialFailure;

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

    P2pNetwork network() {
        return network;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        BitcoinP2pEndpoint e = getEndpoint();
        network = e.p2pNetwork();
        nodeNames = e.nodeNameMap();
        stopping = false;
        channels = new DefaultChannelGroup("bitcoin-p2p", GlobalEventExecutor.INSTANCE);
        workerGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("bitcoin-p2p", true));
        if (e.getMode() == BitcoinP2pEndpoint.Mode.LISTEN) {
            bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("bitcoin-p2p-accept", true));
            ServerBootstrap server = new ServerBootstrap().group(bossGroup, workerGroup).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer(false));
            ChannelFuture bound = server.bind(e.getHost(), e.effectivePort()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw new IllegalStateException("Cannot listen for Bitcoin nodes on " + e.getHost() + ":" + e.effectivePort()
                        + ": " + bound.cause().getMessage());
            }
            serverChannel = bound.channel();
            LOG.info("Listening for Bitcoin nodes ({} P2P, v1) on {}; point a node at it with -addnode={}", network.displayName(),
                    serverChannel.localAddress(), hostPort(wildcard(e.getHost()) ? "<this host's address>" : e.getHost(), port()));
        } else {
            nextReconnectDelay = e.getReconnectDelay();
            dialer = new Bootstrap().group(workerGroup).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, e.getConnectTimeout())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(initializer(true));
            LOG.info("Connecting to the Bitcoin node at {} ({} P2P, v1)", hostPort(e.getHost(), e.effectivePort()), network.displayName());
            dial();
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
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
                int open = statistics.openConnections.incrementAndGet();
                ch.closeFuture().addListener(f -> statistics.openConnections.decrementAndGet());
                if (stopping || open > getEndpoint().getMaxConnections()) {
                    statistics.drop(DropReason.TOO_MANY_CONNECTIONS);
                    dropLog.dropped(PeerSession.coreAddress(ch.remoteAddress()), DropReason.TOO_MANY_CONNECTIONS,
                            getEndpoint().getMaxConnections() + " open");
                    ch.close();
                    return;
                }
                channels.add(ch);
                P2pFrameDecoder decoder = new P2pFrameDecoder(network);
                PeerSession session = new PeerSession(BitcoinP2pConsumer.this, decoder, outbound);
                sessions.put(ch, session);
                ch.closeFuture().addListener(f -> sessions.remove(ch));
                ch.pipeline().addLast("frames", decoder).addLast("session", session);
            }
        };
    }

    private void dial() {
        if (stopping) {
            return;
        }
        BitcoinP2pEndpoint e = getEndpoint();
        dialer.connect(e.getHost(), e.effectivePort()).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                String reason = f.cause() == null ? "failed" : String.valueOf(f.cause().getMessage());
                if (!reason.equals(lastDialFailure)) {
                    LOG.warn("Cannot connect to the Bitcoin node at {}: {}; trying again, at most every {} ms",
                            hostPort(e.getHost(), e.effectivePort()), reason, e.getMaxReconnectDelay());
                    lastDialFailure = reason;
                }
                scheduleDial();
            }
        });
    }

    private void scheduleDial() {
        EventLoopGroup g = workerGroup;
        if (stopping || g == null) {
            return;
        }
        long delay = nextReconnectDelay;
        nextReconnectDelay = Math.min(delay * 2, getEndpoint().getMaxReconnectDelay());
        try {
            g.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stoppingAnyway) {
            // the event loop is shutting down
        }
    }

    void peerConnected(PeerSession session) {
        if (dialer != null) {
            nextReconnectDelay = getEndpoint().getReconnectDelay();
            lastDialFailure = null;
        }
    }

    void peerDisconnected(PeerSession session) {
        if (dialer != null && !stopping) {
            scheduleDial();
        }
    }

    boolean admit() {
        if (statistics.admittedPeers.incrementAndGet() > getEndpoint().getMaxPeers()) {
            statistics.admittedPeers.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The node's name on events: the endpoint's node, else its entry in nodeNames, else its IP address. */
    String nodeName(SocketAddress remote, String coreAddress) {
        String configured = getEndpoint().getNode();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = DropLog.host(coreAddress);
        return nodeNames.getOrDefault(host, host);
    }

    Version ourVersion(SocketAddress remote, long nonce) {
        return getEndpoint().ourVersion(remote, nonce);
    }

    /** Emits one p2p-extractor event from {@code session}'s node, on the session's event loop. */
    void publish(p2p.Builder p2pEvent, PeerSession session) {
        Event event = Event.newBuilder().setTimestamp(System.currentTimeMillis()).setP2PExtractor(p2pEvent).build();
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

    @ManagedAttribute(description = "Connected nodes: name, address and user agent")
    public List<String> getPeers() {
        List<String> out = new ArrayList<>();
        for (PeerSession s : sessions.values()) {
            if (s.ready()) {
                out.add(s.node() + " " + s.address() + " " + s.peerVersion().getUserAgent());
            }
        }
        return out;
    }

    long drops(DropReason reason) {
        return statistics.drops(reason);
    }
}
