package org.peerobserver.tool.websocket;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;

import io.vertx.core.http.ServerWebSocket;
import org.peerobserver.bus.SubjectFilter;

/**
 * One connected browser or program: what it asked for, and a bounded queue in front of its socket.
 * Frames go straight to the socket while Vert.x has room for them; when the socket stops draining (a
 * stalled or slow reader) they wait in the queue, and once the queue is full they are dropped and
 * counted. The count goes to the client as a notice before the next frame it gets, so it knows where the gap is.
 */
final class FeedClient {
    private final ServerWebSocket socket;
    private final SubjectFilter subjects;
    private final List<String> kinds;
    private final int queueSize;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean waitingForDrain;
    private long missedSinceNotice;
    private long missed;

    /** {@code subjects} and {@code kinds} empty: everything. */
    FeedClient(ServerWebSocket socket, List<String> subjects, List<String> kinds, int queueSize) {
        this.socket = socket;
        this.subjects = subjects.isEmpty() ? null : new SubjectFilter(subjects);
        this.kinds = kinds;
        this.queueSize = queueSize;
    }

    /** A kind filter entry is a kind ({@code message.ping}) or a group of them ({@code message}). */
    boolean wants(String subject, String kind) {
        return (subjects == null || subjects.matches(subject))
                && (kinds.isEmpty() || kinds.stream().anyMatch(k -> kind.equals(k) || kind.startsWith(k + ".")));
    }

    /** Queues or sends one frame; returns false if it was dropped for want of room. */
    synchronized boolean offer(Supplier<String> frame) {
        if (waitingForDrain || !queue.isEmpty()) {
            if (queue.size() >= queueSize) {
                missed++;
                missedSinceNotice++;
                return false;
            }
            queue.add(frame.get());
            return true;
        }
        queue.add(frame.get());
        drain();
        return true;
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /** Writes while the socket has room; otherwise waits for Vert.x to say it drained. */
    private synchronized void drain() {
        waitingForDrain = false;
        while (!queue.isEmpty()) {
            if (socket.isClosed()) {
                queue.clear();
                return;
            }
            if (socket.writeQueueFull()) {
                waitingForDrain = true;
                socket.drainHandler(v -> drain());
                // it may have drained between the check and setting the handler, which would then never run
                if (socket.writeQueueFull()) {
                    return;
                }
                waitingForDrain = false;
            }
            if (missedSinceNotice > 0) {
                socket.writeTextMessage(FeedFrames.missed(missedSinceNotice, missed));
                missedSinceNotice = 0;
            }
            socket.writeTextMessage(queue.poll());
        }
    }
}
