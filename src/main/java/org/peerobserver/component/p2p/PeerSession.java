package org.peerobserver.component.p2p;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import org.peerobserver.component.p2p.codec.AddressText;
import org.peerobserver.component.p2p.codec.FrameHeader;
import org.peerobserver.component.p2p.codec.P2pCodecException;
import org.peerobserver.component.p2p.codec.PayloadDecoder;
import org.peerobserver.component.p2p.codec.PayloadEncoder;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.p2p.AddressAnnouncement;
import org.peerobserver.proto.p2p.InventoryAnnouncement;
import org.peerobserver.proto.p2p.PingDuration;
import org.peerobserver.proto.p2p.p2p;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.proto.primitives.InventoryItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a node, on its event loop: the version handshake the way Bitcoin Core expects it
 * (version; then wtxidrelay and sendaddrv2 before verack), pongs for the node's pings, our own pings whose
 * round trips become {@code PingDuration}, and the node's addrv2, inv and feefilter as upstream's p2p-extractor
 * events. Anything the node does wrong closes the connection with one counted {@link DropReason}.
 */
final class PeerSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinP2pConsumer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MIN_PEER_PROTO_VERSION = 31800;
    private static final int WTXID_RELAY_VERSION = 70016;
    private static final int MAX_OUTSTANDING_PINGS = 8;

    private final BitcoinP2pConsumer consumer;
    private final P2pFrameDecoder decoder;
    private final boolean outbound;
    private final long ourNonce = RANDOM.nextLong();
    private Channel channel;
    private String address = "?";
    private String node;
    private Version peerVersion;
    private boolean admitted;
    private boolean verackReceived;
    private boolean ready;
    private DropReason dropped;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> pingTimer;
    /** {nonce, System.nanoTime() when sent} of our pings not yet answered, oldest first. */
    private final Deque<long[]> pings = new ArrayDeque<>();

    PeerSession(BitcoinP2pConsumer consumer, P2pFrameDecoder decoder, boolean outbound) {
        this.consumer = consumer;
        this.decoder = decoder;
        this.outbound = outbound;
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

    Version peerVersion() {
        return peerVersion;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        address = coreAddress(channel.remoteAddress());
        node = consumer.nodeName(channel.remoteAddress(), address);
        consumer.statistics().connectionsAccepted.incrementAndGet();
        handshakeTimer = ctx.executor().schedule(() -> drop(DropReason.HANDSHAKE_TIMEOUT, "no handshake after "
                + consumer.getEndpoint().getHandshakeTimeout() + " ms"), consumer.getEndpoint().getHandshakeTimeout(), TimeUnit.MILLISECONDS);
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
        BitcoinP2pEndpoint e = consumer.getEndpoint();
        switch (command) {
            case "pong":
                pong(PayloadDecoder.nonce(f.payload()));
                break;
            case "addrv2": {
                List<Address> addresses = PayloadDecoder.addrV2(f.payload());
                if (e.isAddressAnnouncements()) {
                    consumer.publish(p2p.newBuilder().setAddressAnnouncement(AddressAnnouncement.newBuilder().addAllAddresses(addresses)), this);
                }
                break;
            }
            case "inv": {
                List<InventoryItem> items = PayloadDecoder.inventory(f.payload());
                if (e.isInventoryAnnouncements()) {
                    consumer.publish(p2p.newBuilder().setInventoryAnnouncement(InventoryAnnouncement.newBuilder().addAllInventory(items)), this);
                }
                break;
            }
            case "feefilter": {
                long fee = PayloadDecoder.feeFilter(f.payload());
                if (e.isFeefilterAnnouncements()) {
                    consumer.publish(p2p.newBuilder().setFeefilterAnnouncement(fee), this);
                }
                break;
            }
            default:
                // everything else is counted and ignored, as upstream's extractor does
        }
    }

    private void version(Version v) {
        if (Integer.compareUnsigned(v.getVersion(), MIN_PEER_PROTO_VERSION) < 0) {
            drop(DropReason.PROTOCOL, "protocol version " + Integer.toUnsignedString(v.getVersion()) + " is too old");
            return;
        }
        if (v.getNonce() == ourNonce) {
            drop(DropReason.PROTOCOL, "connected to ourselves");
            return;
        }
        if (!consumer.admit()) {
            drop(DropReason.TOO_MANY_PEERS, consumer.getEndpoint().getMaxPeers() + " nodes connected already");
            return;
        }
        admitted = true;
        peerVersion = v;
        if (!outbound) {
            send("version", PayloadEncoder.version(consumer.ourVersion(channel.remoteAddress(), ourNonce)));
        }
        if (Integer.compareUnsigned(v.getVersion(), WTXID_RELAY_VERSION) >= 0) {
            send("wtxidrelay", PayloadEncoder.empty());
            send("sendaddrv2", PayloadEncoder.empty());
        }
        send("verack", PayloadEncoder.empty());
    }

    private void handshakeDone() {
        ready = true;
        handshakeTimer.cancel(false);
        decoder.handshakeDone(PayloadDecoder.MAX_PAYLOAD);
        consumer.statistics().connectedPeers.incrementAndGet();
        consumer.statistics().handshakes.incrementAndGet();
        consumer.peerConnected(this);
        LOG.info("Node {} connected over P2P from {}: {} (protocol {}, services 0x{}, height {})", node, address,
                peerVersion.getUserAgent(), Integer.toUnsignedString(peerVersion.getVersion()),
                Long.toHexString(peerVersion.getServices()), peerVersion.getStartHeight());
        long interval = consumer.getEndpoint().getPingInterval();
        if (interval > 0) {
            pingTimer = channel.eventLoop().scheduleAtFixedRate(this::ping, 0, interval, TimeUnit.MILLISECONDS);
        }
    }

    private void ping() {
        if (!channel.isActive()) {
            return;
        }
        Instant now = Instant.now();
        long nonce = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        if (pings.size() >= MAX_OUTSTANDING_PINGS) {
            pings.removeFirst();
        }
        pings.addLast(new long[] {nonce, System.nanoTime()});
        send("ping", PayloadEncoder.nonce(nonce));
    }

    /** Only a pong that echoes one of our pings counts; the round trip is measured on the monotonic clock. */
    private void pong(long nonce) {
        long received = System.nanoTime();
        for (var it = pings.iterator(); it.hasNext(); ) {
            long[] p = it.next();
            if (p[0] == nonce) {
                it.remove();
                if (consumer.getEndpoint().isPingDuration()) {
                    consumer.publish(p2p.newBuilder().setPingDuration(PingDuration.newBuilder().setDuration(received - p[1])), this);
                }
                return;
            }
        }
    }

    void send(String command, byte[] payload) {
        consumer.statistics().out(command);
        channel.writeAndFlush(Unpooled.wrappedBuffer(FrameHeader.frame(consumer.network(), command, payload)));
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
        if (dropped == null) {
            if (decoder.truncated()) {
                drop(DropReason.TRUNCATED, null);
            } else if (!ready) {
                drop(DropReason.HANDSHAKE_INCOMPLETE, null);
            }
        }
        if (admitted) {
            consumer.statistics().admittedPeers.decrementAndGet();
        }
        if (ready) {
            consumer.statistics().connectedPeers.decrementAndGet();
            if (dropped == null) {
                LOG.info("Node {} ({}) closed its P2P connection", node, address);
            }
        }
        consumer.peerDisconnected(this);
        ctx.fireChannelInactive();
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
