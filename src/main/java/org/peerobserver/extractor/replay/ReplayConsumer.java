package org.peerobserver.extractor.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.bus.BusComponent;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.ReceivedEvent;
import org.peerobserver.proto.event.Event;
import org.peerobserver.support.SourceHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the capture on its own thread, once every route has started (so the first events are not
 * lost to tools still starting), and waits between events as the recorded timestamps say. A damaged
 * capture is replayed up to the damage: every event before it is published, then the replay stops,
 * naming the record and counting the bytes lost; its health check is then DOWN with the reason, as it
 * is when the capture cannot be read. With exitAtEnd the application stops once the
 * replay is over (the capture ended, unless it loops; or it was damaged).
 */
public class ReplayConsumer extends DefaultConsumer implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayConsumer.class);
    private static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;
    /** Global option of the context holding the exit status its end should give ("1" after a damaged capture). */
    public static final String EXIT_STATUS = "peerobserver.exitStatus";
    /** A file {@code jetstream:STREAM} is a JetStream stream (a hub's archive), read by time window. */
    static final String ARCHIVE = "jetstream:";

    private ExecutorService executor;
    /** Why the capture cannot be replayed (read by the health check), or null while it can. */
    private volatile String problem;

    ReplayConsumer(ReplayEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        SourceHealthCheck.install(this, () -> problem);
    }

    @Override
    public ReplayEndpoint getEndpoint() {
        return (ReplayEndpoint) super.getEndpoint();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // a route added to a running context (a reload) is told before it starts: doStart begins then
        if (isRunAllowed()) {
            begin();
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (getEndpoint().getCamelContext().isStarted()) {
            begin();
        }
    }

    /** One replay per start of the consumer. */
    private synchronized void begin() {
        if (executor == null) {
            problem = null;
            executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "replay");
            executor.submit(this::replay);
        }
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
        ReplayConfiguration configuration = getEndpoint().getConfiguration();
        boolean damaged;
        try {
            damaged = file.startsWith(ARCHIVE) ? !replayArchive(file.substring(ARCHIVE.length())) : !replayCapture(file);
        } catch (InterruptedException e) {
            return;
        }
        if (configuration.isExitAtEnd() && isRunAllowed()) {
            LOG.info("Replay over: stopping");
            CamelContext context = getEndpoint().getCamelContext();
            if (damaged) {
                context.getGlobalOptions().put(EXIT_STATUS, "1");
            }
            // not on this thread: stopping the context stops this consumer, which waits for no one
            context.getExecutorServiceManager().newThread("replay-end", context::stop).start();
        }
    }

    /** The capture file, once or in a loop; false when it is damaged or cannot be read. */
    private boolean replayCapture(String file) throws InterruptedException {
        ReplayConfiguration configuration = getEndpoint().getConfiguration();
        do {
            try (CaptureReader reader = new CaptureReader(file, configuration.getMaxEventSize())) {
                LOG.info("Replaying {}{} at {}", file, reader.isGzip() ? " (gzip)" : "", pace());
                long started = System.nanoTime();
                if (!replayPass(reader)) {
                    return false;
                }
                if (isRunAllowed()) {
                    LOG.info("Replay of {} finished: {} events in {} s{}", file, reader.eventsRead(),
                            (System.nanoTime() - started) / 1_000_000_000L, configuration.isLoop() ? "; starting again" : "");
                }
            } catch (IOException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.error("Replay of {} stopped: {}", file, why);
                problem = "cannot read the capture " + file + ": " + why;
                return false;
            }
        } while (configuration.isLoop() && isRunAllowed());
        return true;
    }

    /**
     * The events of the archive's window, in the order the hub stored them, each with the node that
     * published it; false when the archive cannot be read.
     */
    private boolean replayArchive(String stream) throws InterruptedException {
        ReplayConfiguration c = getEndpoint().getConfiguration();
        String servers = c.getArchiveServers() == null || c.getArchiveServers().isBlank()
                ? getEndpoint().getCamelContext().getComponent("bus", BusComponent.class).getConfiguration().getServers()
                : c.getArchiveServers();
        String window = "from " + (c.getFrom() == null || c.getFrom().isBlank() ? "the oldest event" : c.getFrom()) + " to "
                + (c.getTo() == null || c.getTo().isBlank() ? "the newest" : c.getTo());
        try (ArchiveReader reader = new ArchiveReader(
                getEndpoint().getCamelContext().getComponent("bus", BusComponent.class).natsOptions(servers).build(), stream,
                ReplayConfiguration.instant("from", c.getFrom()), ReplayConfiguration.instant("to", c.getTo()),
                ReplayConfiguration.list(c.getSubjects()), ReplayConfiguration.list(c.getKinds()),
                Set.copyOf(ReplayConfiguration.list(c.getNodes())))) {
            LOG.info("Replaying the archive {} {}", stream, window);
            List<ReceivedEvent> batch = new ArrayList<>();
            long emitted = 0;
            ReceivedEvent event;
            while (isRunAllowed() && (event = reader.next()) != null) {
                batch.add(event);
                if (batch.size() >= c.getBatchSize()) {
                    emitted += emitArchived(batch);
                    batch = new ArrayList<>();
                }
            }
            emitted += emitArchived(batch);
            LOG.info("Replay of the archive {} finished: {} events {}; {} read in the window were other nodes', subjects' or kinds'{}",
                    stream, emitted, window, reader.skipped(),
                    reader.malformed() == 0 ? "" : ", " + reader.malformed() + " were no events (skipped)");
            return true;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("Replay of the archive {} stopped: {}", stream, why);
            problem = "cannot read the archive " + stream + ": " + why;
            return false;
        }
    }

    private int emitArchived(List<ReceivedEvent> batch) {
        if (batch.size() == 1) {
            ReceivedEvent e = batch.get(0);
            EventExchanges.emit(this, e.event(), e.kind(), e.node());
        } else if (!batch.isEmpty()) {
            EventExchanges.emitBatch(this, batch);
        }
        return batch.size();
    }

    /**
     * Events that are due go to the route together, up to batchSize: at full speed batches fill up; at
     * the recorded pace an event is usually due alone. False when the capture is damaged: the events
     * before the damage are published first.
     */
    private boolean replayPass(CaptureReader reader) throws InterruptedException {
        double speed = getEndpoint().getConfiguration().getSpeed();
        int batchSize = getEndpoint().getConfiguration().getBatchSize();
        List<ReceivedEvent> batch = new ArrayList<>();
        long firstRecorded = -1;
        long startNanos = System.nanoTime();
        long lastProgress = startNanos;
        try {
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
                batch.add(ReceivedEvent.fromSource(event, -1));
                if (batch.size() >= batchSize) {
                    batch = emit(batch);
                }
                if (System.nanoTime() - lastProgress > PROGRESS_INTERVAL_NANOS) {
                    lastProgress = System.nanoTime();
                    LOG.info("Replayed {} events of {} so far", reader.eventsRead(), getEndpoint().getFile());
                }
            }
        } catch (IOException e) {
            emit(batch);
            long lost = reader.bytesFromRecordStart();
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            String where = reader.recordStart() + (reader.isGzip() ? " (uncompressed)" : "");
            problem = "the capture " + getEndpoint().getFile() + " is damaged at byte " + where + ": " + why
                    + "; replay stopped after " + reader.eventsRead() + " events";
            LOG.error("Replay of {} stopped at byte {}: {}; the {} events before it were published, {} lost",
                    getEndpoint().getFile(), where, why, reader.eventsRead(),
                    lost < 0 ? "the rest of the capture (unreadable) is" : "the " + lost + " bytes from there to the end are");
            return false;
        }
        emit(batch);
        return true;
    }

    /** Hands {@code batch} to the route; returns the list for the next one. */
    private List<ReceivedEvent> emit(List<ReceivedEvent> batch) {
        if (batch.isEmpty()) {
            return batch;
        }
        EventExchanges.emitFromSource(this, batch, getEndpoint().getConfiguration().getBatchSize());
        return new ArrayList<>();
    }

    private String pace() {
        double speed = getEndpoint().getConfiguration().getSpeed();
        return speed == 0 ? "full speed" : speed == 1 ? "the recorded pace" : speed + " times the recorded pace";
    }
}
