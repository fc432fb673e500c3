package org.peerobserver.tool.websocket;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.Test;
import org.peerobserver.event.EventFilter;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Two clients on one real Vert.x event loop. The sockets are Mockito stand-ins that always have room: the test
 * needs the exact order of the writes on the loop, which real sockets on two connections cannot show.
 */
class FeedClientTest {

    @Test
    void aClientWhoseQueueNeverEmptiesLeavesTheEventLoopToTheOthers() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            Context loop = vertx.getOrCreateContext();
            AtomicInteger busyWritten = new AtomicInteger();
            AtomicInteger busyWhenQuietGotItsFrame = new AtomicInteger(-1);
            FeedClient busy = new FeedClient(socket(frame -> busyWritten.incrementAndGet()), loop, everything(), FeedFormat.PROTO_JSON, 10_000);
            FeedClient quiet = new FeedClient(socket(frame -> busyWhenQuietGotItsFrame.set(busyWritten.get())), loop, everything(),
                    FeedFormat.PROTO_JSON, 10_000);
            // the loop waits while both queues fill, so the first drain of each is queued in this order
            CountDownLatch filled = new CountDownLatch(1);
            loop.runOnContext(v -> {
                try {
                    filled.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int frames = 5 * FeedClient.FRAMES_PER_PASS;
            for (int i = 0; i < frames; i++) {
                busy.offer(() -> "frame");
            }
            quiet.offer(() -> "its one frame");
            filled.countDown();
            await().atMost(10, TimeUnit.SECONDS).until(() -> busyWritten.get() == frames && busyWhenQuietGotItsFrame.get() >= 0);
            // one pass of the busy client, then the quiet one, not all of the busy one's frames first
            assertEquals(FeedClient.FRAMES_PER_PASS, busyWhenQuietGotItsFrame.get());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private interface Writes {
        void write(String frame);
    }

    private static ServerWebSocket socket(Writes writes) {
        ServerWebSocket socket = mock(ServerWebSocket.class);
        when(socket.isClosed()).thenReturn(false);
        when(socket.writeQueueFull()).thenReturn(false);
        doAnswer(call -> {
            writes.write(call.getArgument(0));
            return null;
        }).when(socket).writeTextMessage(anyString());
        return socket;
    }

    private static EventFilter everything() {
        return new EventFilter(List.of(), List.of());
    }
}
