package org.peerobserver.extractor.uptime;

import java.time.Duration;
import java.time.Instant;

import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.rpc.rpc;

/**
 * The example extractor of docs/architecture.md: how long a process (bitcoind) has run, read from the operating
 * system instead of RPC, as upstream's {@code rpc.uptime} event, so every tool already understands it.
 * Its route, examples/routes/extractors/uptime.camel.yaml, calls {@link #event()} on a timer and publishes the result.
 */
public class ProcessUptime {
    private long pid;

    public void setPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("a PID is above 0");
        }
        this.pid = pid;
    }

    public Event event() {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        Instant started = process.info().startInstant()
                .orElseThrow(() -> new IllegalStateException("the start time of process " + pid + " is unknown"));
        Instant now = Instant.now();
        return Event.newBuilder()
                .setTimestamp(now.toEpochMilli())
                .setRpcExtractor(rpc.newBuilder().setUptime((int) Duration.between(started, now).toSeconds()))
                .build();
    }
}
