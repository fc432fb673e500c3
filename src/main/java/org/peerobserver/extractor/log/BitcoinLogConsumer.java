package org.peerobserver.extractor.log;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultConsumer;
import org.peerobserver.event.EventExchanges;
import org.peerobserver.event.EventKind;
import org.peerobserver.proto.event.Event;
import org.peerobserver.support.DurationText;
import org.peerobserver.support.SourceHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the log on its own thread, started once every route is up (so a log read from its start is
 * not lost to tools still starting), and emits upstream's log event for every line plus an ext.log
 * event for each line a matcher recognises. The counters say what was read and what was dropped. Its
 * health check is DOWN, with the reason, while the log cannot be read (missing, not a file, an I/O error).
 */
@ManagedResource(description = "Follows a Bitcoin Core debug.log")
public class BitcoinLogConsumer extends DefaultConsumer implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(BitcoinLogConsumer.class);

    private ExecutorService executor;
    private volatile LogFollower follower;
    private volatile long matches;
    /** Why the log cannot be read now (read by the health check), or null while it can. */
    private volatile String unreadable = "not following yet";

    BitcoinLogConsumer(BitcoinLogEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        SourceHealthCheck.install(this, () -> unreadable);
    }

    @Override
    public BitcoinLogEndpoint getEndpoint() {
        return (BitcoinLogEndpoint) super.getEndpoint();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        BitcoinLogEndpoint endpoint = getEndpoint();
        unreadable = "not following yet";
        BitcoinLogConfiguration configuration = endpoint.getConfiguration();
        follower = new LogFollower(endpoint.path(), configuration.isFromStart(), configuration.getMaxLineLength(), this::line);
        executor = context.getExecutorServiceManager().newSingleThreadExecutor(this, "bitcoin-log");
        executor.submit(this::follow);
    }

    @Override
    protected void doStop() throws Exception {
        if (executor != null) {
            // interrupting also ends a read blocked on a FIFO; the follow thread closes the file
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        LogFollower f = follower;
        if (f != null) {
            LOG.info("Stopped following {}: {} lines, {} matched, {} too long (skipped), {} partial lines dropped,"
                    + " {} rotations, {} truncations", f.path(), f.linesRead(), matches, f.linesTooLong(),
                    f.partialLinesDropped(), f.rotations(), f.truncations());
        }
        super.doStop();
    }

    private void follow() {
        try (LogFollower f = follower) {
            String lastError = null;
            while (isRunAllowed()) {
                try {
                    long read = f.poll();
                    unreadable = f.following() ? null : f.path() + " does not exist (yet)";
                    if (read == 0) {
                        Thread.sleep(pollInterval());
                    }
                    lastError = null;
                } catch (InterruptedException | ClosedByInterruptException e) {
                    return;
                } catch (IOException e) {
                    String error = e.getMessage() == null ? e.toString() : e.getMessage();
                    unreadable = "cannot read " + f.path() + ": " + error;
                    if (isRunAllowed() && !error.equals(lastError)) {
                        LOG.warn("Cannot read {}: {}; trying again every {}", f.path(), error,
                                DurationText.of(getEndpoint().getConfiguration().getPollInterval()));
                        lastError = error;
                    }
                    f.close();
                    Thread.sleep(pollInterval());
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            // a bug, not bad input: say so loudly rather than let the executor swallow it
            LOG.error("Stopped following {} after an unexpected error", getEndpoint().path(), e);
            unreadable = "stopped following " + getEndpoint().path() + " after an unexpected error: " + e;
        }
    }

    private long pollInterval() {
        return getEndpoint().getConfiguration().getPollInterval().toMillis();
    }

    private void line(String line) {
        long now = System.currentTimeMillis();
        for (Event event : LogMatchers.events(line, now)) {
            if (event.hasExtension()) {
                matches++;
            }
            EventExchanges.emit(this, event, EventKind.of(event), null);
        }
    }

    @ManagedAttribute(description = "Lines read so far")
    public long getLinesRead() {
        LogFollower f = follower;
        return f == null ? 0 : f.linesRead();
    }

    @ManagedAttribute(description = "Lines an ext.log matcher recognised")
    public long getLinesMatched() {
        return matches;
    }

    @ManagedAttribute(description = "Lines skipped for being longer than maxLineLength")
    public long getLinesTooLong() {
        LogFollower f = follower;
        return f == null ? 0 : f.linesTooLong();
    }

    @ManagedAttribute(description = "Unfinished lines thrown away because the file was truncated under them")
    public long getPartialLinesDropped() {
        LogFollower f = follower;
        return f == null ? 0 : f.partialLinesDropped();
    }

    @ManagedAttribute(description = "Bytes read from the log")
    public long getBytesRead() {
        LogFollower f = follower;
        return f == null ? 0 : f.bytesRead();
    }
}
