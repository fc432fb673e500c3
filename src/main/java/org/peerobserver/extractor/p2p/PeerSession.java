package org.peerobserver.extractor.p2p;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import org.peerobserver.bitcoin.AddressText;
import org.peerobserver.bitcoin.P2pCodecException;
import org.peerobserver.bitcoin.PayloadDecoder;
import org.peerobserver.bitcoin.PayloadEncoder;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.p2p.AddressAnnouncement;
import org.peerobserver.proto.p2p.InventoryAnnouncement;
import org.peerobserver.proto.p2p.PingDuration;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.support.DurationText;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;
import org.peerobserver.support.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a node, on its event loop: the version handshake the way Bitcoin Core expects it
 * (version; then wtxidrelay and sendaddrv2 before verack), pongs for the node's pings, our own pings whose
 * round trips become {@code PingDuration}, and the node's addrv2, inv and feefilter as upstream's p2p-extractor
 * events. Anything the node does wrong closes the connection with one counted {@link DropReason}: among it, what
 * Bitcoin Core would not accept either (too old a protocol, too many entries in one message, pings left
 * unanswered).
 */
final class PeerSession extends ChannelInboundHandlerAdapter implements Eviction.Candidate {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinP2pConsumer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MIN_PEER_PROTO_VERSION = 31800;
    private static final int WTXID_RELAY_VERSION = 70016;
    private static final int MAX_OUTSTANDING_PINGS = 8;
    /** Bitcoin Core's MAX_SUBVERSION_LENGTH: the bytes of a user agent we keep. */
    static final int MAX_USER_AGENT_BYTES = 256;
    /** Bitcoin Core's limits on the entries of one message: MAX_INV_SZ, MAX_ADDR_TO_SEND, MAX_HEADERS_RESULTS. */
    static final Map<String, Integer> MAX_ITEMS = Map.of("inv", 50_000, "getdata", 50_000, "addr", 1_000, "addrv2", 1_000,
            "headers", 2_000);
    private static final AtomicLong ARRIVALS = new AtomicLong();

    private final BitcoinP2pConsumer consumer;
    private final P2pFrameDecoder decoder;
    private final boolean outbound;
    private final long ourNonce = RANDOM.nextLong();
    private final Channel channel;
    /** Set again once a connection we dial is made: before that it has no remote address. */
    private String address;
    private String node;
    private final long order = ARRIVALS.incrementAndGet();
    private final long netgroup;
    private final long keyedNetgroup;
    private long minPing = Long.MAX_VALUE;
    private long lastInventory;
    private Version peerVersion;
    private boolean verackReceived;
    private boolean ready;
    private DropReason dropped;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> pingTimer;
    /** {nonce, System.nanoTime() when sent} of our pings not yet answered, oldest first. */
    private final Deque<long[]> pings = new ArrayDeque<>();
    /** System.nanoTime() of the oldest ping still unanswered (the deque may have let it go). */
    private long unansweredSince;

    PeerSession(BitcoinP2pConsumer consumer, P2pFrameDecoder decoder, boolean outbound, Channel channel, long netgroupSecret) {
        this.consumer = consumer;
        this.decoder = decoder;
        this.outbound = outbound;
        this.channel = channel;
        address = coreAddress(channel.remoteAddress());
        node = consumer.nodeName(channel.remoteAddress(), address);
        netgroup = Eviction.netgroup(channel.remoteAddress());
        keyedNetgroup = Eviction.keyed(netgroup, netgroupSecret);
    }

    @Override
    public long netgroup() {
        return netgroup;
    }

    @Override
    public long keyedNetgroup() {
        return keyedNetgroup;
    }

    @Override
    public long order() {
        return order;
    }

    @Override
    public long minPing() {
        return minPing;
    }

    @Override
    public long lastInventory() {
        return lastInventory;
    }

    String address() {
        return address;
    }

    String node() {
        return node;
    }

    boolean ready() {
        return ready;
    }

    /** "v1" or "v2": the transport of the connection. */
    String transport() {
        return decoder.transportName();
    }

    Version peerVersion() {
        return peerVersion;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (outbound) {
            address = coreAddress(channel.remoteAddress());
            node = consumer.nodeName(channel.remoteAddress(), address);
        }
        consumer.statistics().connectionsAccepted.incrementAndGet();
        Duration handshakeTimeout = consumer.getEndpoint().getConfiguration().getHandshakeTimeout();
        handshakeTimer = ctx.executor().schedule(() -> drop(DropReason.HANDSHAKE_TIMEOUT, "no handshake after "
                + DurationText.of(handshakeTimeout)), handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (outbound) {
            send("version", PayloadEncoder.version(consumer.ourVersion(channel.remoteAddress(), ourNonce)));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (dropped != null || !(msg instanceof P2pFrame frame)) {
            return;
        }
        consumer.statistics().in(frame.command());
        try {
            handle(frame);
        } catch (P2pCodecException e) {
            drop(DropReason.of(e.kind()), e.getMessage());
        }
    }

    private void handle(P2pFrame f) throws P2pCodecException {
        String command = f.command();
        if (peerVersion == null) {
            if (command.equals("version")) {
                version(PayloadDecoder.version(f.payload()));
            }
            // Bitcoin Core ignores everything before version too
            return;
        }
        switch (command) {
            case "verack":
                if (!verackReceived) {
                    verackReceived = true;
                    handshakeDone();
                }
                return;
            case "ping":
                if (f.payload().length >= 8) {
                    send("pong", PayloadEncoder.nonce(PayloadDecoder.nonce(f.payload())));
                }
                return;
            default:
        }
        if (!ready) {
            return;
        }
        Integer maxItems = MAX_ITEMS.get(command);
        if (maxItems != null) {
            long items = PayloadDecoder.itemCount(f.payload());
            if (Long.compareUnsigned(items, maxItems) > 0) {
                drop(DropReason.TOO_MANY_ITEMS, command + " with " + Long.toUnsignedString(items) + " entries (at most " + maxItems + ")");
                return;
            }
        }
        BitcoinP2pConfiguration c = consumer.getEndpoint().getConfiguration();
        switch (command) {
            case "pong":
                pong(PayloadDecoder.nonce(f.payload()));
                break;
            case "addrv2": {
                List<Address> addresses = PayloadDecoder.addrV2(f.payload());
                if (c.isAddressAnnouncements()) {
                    consumer.publish(p2p.newBuilder().setAddressAnnouncement(AddressAnnouncement.newBuilder().addAllAddresses(addresses)), this);
                }
                break;
            }
            case "inv": {
                List<InventoryItem> items = PayloadDecoder.inventory(f.payload());
                lastInventory = System.currentTimeMillis();
                if (c.isInventoryAnnouncements()) {
                    consumer.publish(p2p.newBuilder().setInventoryAnnouncement(InventoryAnnouncement.newBuilder().addAllInventory(items)), this);
                }
                break;
            }
            case "feefilter": {
                long fee = PayloadDecoder.feeFilter(f.payload());
                if (c.isFeefilterAnnouncements()) {
                    consumer.publish(p2p.newBuilder().setFeefilterAnnouncement(fee), this);
                }
                break;
            }
            default:
                // everything else is counted and ignored, as upstream's extractor does
        }
    }

    private void version(Version v) {
        // signed, as Core reads it: a version of -1 is old, not new
        if (v.getVersion() < MIN_PEER_PROTO_VERSION) {
            drop(DropReason.PROTOCOL, "protocol version " + v.getVersion() + " is below " + MIN_PEER_PROTO_VERSION);
            return;
        }
        if (v.getNonce() == ourNonce) {
            drop(DropReason.PROTOCOL, "connected to ourselves");
            return;
        }
        if (!consumer.table().admitPeer(this)) {
            drop(DropReason.TOO_MANY_PEERS, consumer.getEndpoint().getConfiguration().getMaxPeers() + " nodes connected, none of them evictable");
            return;
        }
        String userAgent = cutUserAgent(v.getUserAgent());
        peerVersion = userAgent.equals(v.getUserAgent()) ? v : v.toBuilder().setUserAgent(userAgent).build();
        if (!outbound) {
            send("version", PayloadEncoder.version(consumer.ourVersion(channel.remoteAddress(), ourNonce)));
        }
        if (v.getVersion() >= WTXID_RELAY_VERSION) {
            send("wtxidrelay", PayloadEncoder.empty());
            send("sendaddrv2", PayloadEncoder.empty());
        }
        send("verack", PayloadEncoder.empty());
    }

    private void handshakeDone() {
        ready = true;
        handshakeTimer.cancel(false);
        consumer.table().handshakeDone(this);
        decoder.handshakeDone(PayloadDecoder.MAX_PAYLOAD);
        consumer.statistics().connectedPeers.incrementAndGet();
        consumer.statistics().handshakes.incrementAndGet();
        consumer.peerConnected(this, channel);
        consumer.publishTransport(this, !outbound, decoder.sessionId());
        LOG.info("Node {} connected over P2P {} from {}: {} (protocol {}, services 0x{}, height {})", node, transport(), address,
                SafeText.of(peerVersion.getUserAgent()), peerVersion.getVersion(),
                Long.toHexString(peerVersion.getServices()), peerVersion.getStartHeight());
        long interval = consumer.getEndpoint().getConfiguration().getPingInterval().toMillis();
        if (interval > 0) {
            pingTimer = channel.eventLoop().scheduleAtFixedRate(this::ping, 0, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends a ping, unless a ping has been waiting for its pong longer than the ping timeout: then the peer goes. */
    private void ping() {
        if (!channel.isActive()) {
            return;
        }
        long sent = System.nanoTime();
        Duration timeout = consumer.getEndpoint().getConfiguration().getPingTimeout();
        if (!pings.isEmpty() && sent - unansweredSince > timeout.toNanos()) {
            drop(DropReason.PING_TIMEOUT, "no answer to our pings for " + DurationText.of(timeout));
            return;
        }
        Instant now = Instant.now();
        long nonce = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        if (pings.isEmpty()) {
            unansweredSince = sent;
        }
        if (pings.size() >= MAX_OUTSTANDING_PINGS) {
            pings.removeFirst();
        }
        pings.addLast(new long[] {nonce, sent});
        send("ping", PayloadEncoder.nonce(nonce));
    }

    /**
     * Only a pong that echoes one of our pings counts; the round trip is measured on the monotonic clock. The
     * pings sent before it will not be answered any more (a node answers in order) and are forgotten.
     */
    private void pong(long nonce) {
        long received = System.nanoTime();
        if (pings.stream().noneMatch(p -> p[0] == nonce)) {
            return;
        }
        long[] p;
        do {
            p = pings.removeFirst();
        } while (p[0] != nonce);
        if (!pings.isEmpty()) {
            unansweredSince = pings.getFirst()[1];
        }
        long rtt = received - p[1];
        minPing = Math.min(minPing, rtt);
        if (consumer.getEndpoint().getConfiguration().isPingDuration()) {
            consumer.publish(p2p.newBuilder().setPingDuration(PingDuration.newBuilder().setDuration(rtt)), this);
        }
    }

    void send(String command, byte[] payload) {
        consumer.statistics().out(command);
        decoder.send(channel, command, payload);
    }

    /** Closes the connection to make room for another, counted as an eviction too. */
    void evict(DropReason reason, String detail) {
        if (dropped == null) {
            consumer.statistics().evictions.increment();
        }
        drop(reason, detail);
    }

    /** Closes the connection for {@code reason} (the first reason given is the one counted). */
    void drop(DropReason reason, String detail) {
        if (dropped != null) {
            return;
        }
        dropped = reason;
        consumer.statistics().drop(reason);
        consumer.dropLog().dropped(address, reason, detail);
        channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof DropException d) {
            drop(d.reason(), d.getMessage());
        } else if (c instanceof IOException) {
            drop(DropReason.IO_ERROR, c.getMessage());
        } else {
            // a bug of ours, not the peer's doing: the one place a stack trace is worth it
            if (dropped == null) {
                LOG.error("Unexpected error on the P2P connection with {}", address, c);
            }
            drop(DropReason.INTERNAL, String.valueOf(c));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
        boolean v2Unanswered = outbound && decoder.v2Unanswered();
        if (dropped == null) {
            if (v2Unanswered) {
                drop(DropReason.V2_UNANSWERED, null);
            } else if (decoder.truncated()) {
                drop(DropReason.TRUNCATED, null);
            } else if (!ready) {
                drop(DropReason.HANDSHAKE_INCOMPLETE, null);
            }
        }
        if (ready) {
            consumer.statistics().connectedPeers.decrementAndGet();
            if (dropped == null) {
                LOG.info("Node {} ({}) closed its P2P connection", node, address);
            }
        }
        consumer.peerDisconnected(this, channel, v2Unanswered);
        ctx.fireChannelInactive();
    }

    /** The first 256 bytes of a user agent, in whole characters: Bitcoin Core accepts no longer one. */
    static String cutUserAgent(String userAgent) {
        if (userAgent.length() * 3 <= MAX_USER_AGENT_BYTES) {
            return userAgent;
        }
        byte[] b = userAgent.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_USER_AGENT_BYTES) {
            return userAgent;
        }
        int end = MAX_USER_AGENT_BYTES;
        while ((b[end] & 0xc0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** {@code 1.2.3.4:8333} or {@code [2001:db8::1]:8333}, as Bitcoin Core prints addresses. */
    static String coreAddress(SocketAddress socketAddress) {
        if (!(socketAddress instanceof InetSocketAddress a) || a.getAddress() == null) {
            return String.valueOf(socketAddress);
        }
        InetAddress ip = a.getAddress();
        byte[] b = ip.getAddress();
        String host = ip instanceof Inet4Address ? AddressText.ipv4(b, 0) : "[" + AddressText.ipv6(b, 0) + "]";
        return host + ":" + a.getPort();
    }
}
