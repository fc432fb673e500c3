package org.peerobserver.extractor.p2p;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Locale;
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
    @UriParam
    private final BitcoinP2pConfiguration configuration;

    BitcoinP2pEndpoint(String uri, BitcoinP2pComponent component, Mode mode, BitcoinP2pConfiguration configuration) {
        super(uri, component);
        this.mode = mode;
        this.configuration = configuration;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (mode == Mode.HANDSHAKE) {
            throw new IllegalArgumentException("bitcoin-p2p:handshake is a producer; consume from bitcoin-p2p:listen or :connect");
        }
        configuration.validate();
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
        configuration.validate();
        return new BitcoinP2pProducer(this);
    }

    int effectivePort() {
        if (configuration.getPort() != 0) {
            return configuration.getPort();
        }
        return mode == Mode.LISTEN ? DEFAULT_LISTEN_PORT : configuration.p2pNetwork().p2pPort();
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
                .setNonce(nonce).setUserAgent(configuration.getUserAgent()).setStartHeight(0).setRelay(true).build();
    }

    public Mode getMode() {
        return mode;
    }

    public BitcoinP2pConfiguration getConfiguration() {
        return configuration;
    }
}
