package org.peerobserver.tool.websocket;

import java.util.ArrayDeque;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import org.peerobserver.event.EventFilter;

/**
 * One connected browser or program: what it asked for, and a bounded queue in front of its socket.
 * Publishers only queue; the socket is written on its own event loop while Vert.x has room, so a publisher
 * never waits for a client and never touches Vert.x under this object's lock. When the socket stops
 * draining (a stalled or slow reader) frames wait in the queue; once it is full they are dropped and
 * counted, and the count goes to the client as a notice before the next frame it gets, so it knows where the gap is.
 */
final class FeedClient {
    static final int FRAMES_PER_PASS = 256;
    private final ServerWebSocket socket;
    private final Context eventLoop;
    private final EventFilter filter;
    private final FeedFormat format;
    private final int queueSize;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean draining;
    private long missedSinceNotice;
    private long missed;

    /** {@code eventLoop} is the socket's. */
    FeedClient(ServerWebSocket socket, Context eventLoop, EventFilter filter, FeedFormat format, int queueSize) {
        this.socket = socket;
        this.eventLoop = eventLoop;
        this.filter = filter;
        this.format = format;
        this.queueSize = queueSize;
    }

    boolean wants(String subject, String kind) {
        return filter.matches(subject, kind);
    }

    FeedFormat format() {
        return format;
    }

    /** Queues one frame; returns false if it was dropped for want of room. */
    boolean offer(Supplier<String> frame) {
        if (!hasRoom()) {
            return false;
        }
        // made outside the lock: a block's frame takes long, and the socket's event loop takes this lock to drain
        String text = frame.get();
        synchronized (this) {
            queue.add(text);
            if (draining) {
                return true;
            }
            draining = true;
        }
        eventLoop.runOnContext(v -> drain());
        return true;
    }

    /** Only the publishing route adds, so room seen here is still there when it adds. */
    private synchronized boolean hasRoom() {
        if (queue.size() >= queueSize) {
            missed++;
            missedSinceNotice++;
            return false;
        }
        return true;
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /**
     * On the socket's event loop: writes while Vert.x has room, then waits for it to say it drained. A pass
     * writes at most {@link #FRAMES_PER_PASS} and then yields, so a client whose queue never empties (a browser
     * takes in frames faster than its page handles them) does not starve the other sockets of its event loop.
     */
    private void drain() {
        for (int written = 0; ; written++) {
            if (written == FRAMES_PER_PASS) {
                eventLoop.runOnContext(v -> drain());
                return;
            }
            if (socket.isClosed()) {
                synchronized (this) {
                    queue.clear();
                    draining = false;
                }
                return;
            }
            if (socket.writeQueueFull()) {
                // still draining; nothing can change writability between the check and this, on this thread
                socket.drainHandler(v -> drain());
                return;
            }
            String next;
            long notice;
            long total;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
                notice = missedSinceNotice;
                missedSinceNotice = 0;
                total = missed;
            }
            // upstream's pages know no such frame
            if (notice > 0 && format == FeedFormat.PROTO_JSON) {
                socket.writeTextMessage(FeedFrames.missed(notice, total));
            }
            socket.writeTextMessage(next);
        }
    }
}
