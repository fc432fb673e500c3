package org.peerobserver.extractor.p2p;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An attacker holding many connections to the listener from chosen loopback source addresses (all of 127/8 is
 * local on Linux, so each address stands for a host elsewhere): idle, or sending one message (a version) and
 * nothing more. Whatever the listener closes is opened again, as the attack in the wild did, after at most
 * 50 ms. One thread, non-blocking sockets.
 */
final class Flood implements AutoCloseable {
    private final InetSocketAddress target;
    private final byte[] firstBytes;
    private final List<InetSocketAddress> sources = new ArrayList<>();
    private final Selector selector;
    private final Thread thread;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong reopened = new AtomicLong();
    private volatile boolean running = true;

    /**
     * {@code perSource} connections from each of {@code sourceAddresses} to 127.0.0.1:{@code port}, each sending
     * {@code firstBytes} once connected (null: nothing).
     */
    Flood(int port, List<String> sourceAddresses, int perSource, byte[] firstBytes) throws IOException {
        target = new InetSocketAddress("127.0.0.1", port);
        this.firstBytes = firstBytes;
        for (String source : sourceAddresses) {
            for (int i = 0; i < perSource; i++) {
                sources.add(new InetSocketAddress(source, 0));
            }
        }
        selector = Selector.open();
        thread = new Thread(this::run, "flood");
        thread.setDaemon(true);
        thread.start();
    }

    /** Connections open right now (connected, not yet closed by the listener). */
    int connected() {
        return connected.get();
    }

    /** Connections opened again after the listener closed them. */
    long reopened() {
        return reopened.get();
    }

    private void run() {
        List<InetSocketAddress> toOpen = new ArrayList<>(sources);
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        long nextOpen = 0;
        try {
            while (running) {
                if (!toOpen.isEmpty() && System.nanoTime() - nextOpen >= 0) {
                    for (InetSocketAddress source : toOpen) {
                        open(source);
                    }
                    toOpen.clear();
                    nextOpen = System.nanoTime() + 50_000_000L;
                }
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    InetSocketAddress source = (InetSocketAddress) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            connected.incrementAndGet();
                            if (firstBytes != null) {
                                ch.write(ByteBuffer.wrap(firstBytes));
                            }
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            sink.clear();
                            if (ch.read(sink) < 0) {
                                throw new IOException("closed by the listener");
                            }
                        }
                    } catch (IOException closed) {
                        if (key.interestOps() == SelectionKey.OP_READ) {
                            connected.decrementAndGet();
                        }
                        key.cancel();
                        ch.close();
                        toOpen.add(source);
                        reopened.incrementAndGet();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private void open(InetSocketAddress source) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.bind(source);
        ch.connect(target);
        ch.register(selector, SelectionKey.OP_CONNECT, source);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        running = false;
        selector.wakeup();
        thread.join(10_000);
        selector.close();
    }
}
