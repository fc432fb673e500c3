package org.peerobserver.component.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.proto.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the capture on its own thread, once every route has started (so the first events are not
 * lost to tools still starting), and waits between events as the recorded timestamps say.
 */
public class ReplayConsumer extends DefaultConsumer implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayConsumer.class);
    private static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;

    private ExecutorService executor;

    ReplayConsumer(ReplayEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public ReplayEndpoint getEndpoint() {
        return (ReplayEndpoint) super.getEndpoint();
    }

    @Override
    public synchronized void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (executor != null || !isRunAllowed()) {
            return;  // routes reloaded into a running context call this again; one replay per start
        }
        executor = context.getExecutorServiceManager().newSingleThreadExecutor(this, "replay");
        executor.submit(this::replay);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        super.doStop();
    }

    private void replay() {
        String file = getEndpoint().getFile();
        do {
            try (CaptureReader reader = new CaptureReader(file, getEndpoint().getMaxEventSize())) {
                LOG.info("Replaying {}{} at {}", file, reader.isGzip() ? " (gzip)" : "", pace());
                long started = System.nanoTime();
                replayPass(reader);
                if (isRunAllowed()) {
                    LOG.info("Replay of {} finished: {} events in {} s{}", file, reader.eventsRead(),
                            (System.nanoTime() - started) / 1_000_000_000L, getEndpoint().isLoop() ? "; starting again" : "");
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.error("Replay of {} stopped: {}", file, e.getMessage() == null ? e.toString() : e.getMessage());
                return;
            }
        } while (getEndpoint().isLoop() && isRunAllowed());
    }

    /**
     * Events that are due go to the route together, up to batchSize: at full speed batches fill up; at
     * the recorded pace an event is usually due alone.
     */
    private void replayPass(CaptureReader reader) throws IOException, InterruptedException {
        double speed = getEndpoint().getSpeed();
        int batchSize = getEndpoint().getBatchSize();
        List<Event> batch = new ArrayList<>();
        long firstRecorded = -1;
        long startNanos = System.nanoTime();
        long lastProgress = startNanos;
        Event event;
        while (isRunAllowed() && (event = reader.next()) != null) {
            if (firstRecorded < 0) {
                firstRecorded = event.getTimestamp();
            }
            if (speed > 0) {
                long dueNanos = startNanos + (long) ((event.getTimestamp() - firstRecorded) * 1_000_000L / speed);
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    batch = emit(batch);
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
            }
            batch.add(event);
            if (batch.size() >= batchSize) {
                batch = emit(batch);
            }
            if (System.nanoTime() - lastProgress > PROGRESS_INTERVAL_NANOS) {
                lastProgress = System.nanoTime();
                LOG.info("Replayed {} events of {} so far", reader.eventsRead(), getEndpoint().getFile());
            }
        }
        emit(batch);
    }

    /** Hands {@code batch} to the route; returns the list for the next one. */
    private List<Event> emit(List<Event> batch) {
        if (batch.isEmpty()) {
            return batch;
        }
        EventExchanges.emitFromSource(this, batch, getEndpoint().getBatchSize());
        return new ArrayList<>();
    }

    private String pace() {
        double speed = getEndpoint().getSpeed();
        return speed == 0 ? "full speed" : speed == 1 ? "the recorded pace" : speed + " times the recorded pace";
    }
}
