package org.peerobserver.extractor.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.peerobserver.support.EndpointDefaults;

/**
 * Options of {@code replay:}. The component holds one instance, set once from application.properties
 * ({@code camel.component.replay.configuration.*}); each endpoint gets a copy and may override options
 * in its URI.
 */
@UriParams
@Configurer
public class ReplayConfiguration extends EndpointDefaults<ReplayConfiguration> {

    @UriParam(defaultValue = "1.0",
              description = "Pace: 1 replays at the recorded pace, 2 twice as fast; 0 as fast as possible")
    private double speed = 1.0;
    @UriParam(defaultValue = "false", description = "Start again from the beginning at the end of the capture")
    private boolean loop;
    @UriParam(defaultValue = "1", description = "Most events per exchange: 1 gives one event per exchange with the event"
            + " headers; above 1, the events due at once go as one list (bus:publish publishes each), which a replay at"
            + " full speed needs to be fast")
    private int batchSize = 1;
    @UriParam(defaultValue = "16777216", description = "Largest event accepted, in bytes")
    private int maxEventSize = 16 * 1024 * 1024;
    @UriParam(defaultValue = "false", description = "Stop the application when the replay is over: at the end of the"
            + " capture (unless loop), or at a damaged record")
    private boolean exitAtEnd;
    @UriParam(description = "With a file jetstream:STREAM: the NATS servers of the archive, comma-separated (its credentials and"
            + " TLS are the bus's NATS settings)")
    private String archiveServers;
    @UriParam(description = "Archive: the first moment of the window (ISO-8601, e.g. 2026-12-01T10:00:00Z), when the hub stored"
            + " the event; empty: the oldest event kept")
    private String from;
    @UriParam(description = "Archive: the last moment of the window (ISO-8601); empty: up to the newest event")
    private String to;
    @UriParam(description = "Archive: only these nodes' events, comma-separated; empty: every node")
    private String nodes;
    @UriParam(description = "Archive: only these subjects, comma-separated, NATS wildcards allowed (netmsg,ext.*); empty: every subject")
    private String subjects;
    @UriParam(description = "Archive: only these kinds of event, or groups of them, comma-separated (message.ping,connection); empty: every kind")
    private String kinds;

    /** Fails early, at route start, on settings that could never work. */
    void validate() {
        if (speed < 0) {
            throw new IllegalArgumentException("replay speed must be 0 (as fast as possible) or more, not " + speed);
        }
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("replay window ends (" + to + ") before it starts (" + from + ")");
        }
        if (batchSize < 1 || maxEventSize < 1) {
            throw new IllegalArgumentException("replay batchSize and maxEventSize must be at least 1, not " + batchSize
                    + " and " + maxEventSize);
        }
    }

    /** A time of the window, or null when not given. */
    static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("replay " + name + " must be an ISO-8601 time such as 2026-12-01T10:00:00Z, not '"
                    + text + "'");
        }
    }

    static List<String> list(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s*,\\s*"));
    }

    public double getSpeed() {
        return speed;
    }

    public void setSpeed(double speed) {
        this.speed = speed;
    }

    public boolean isLoop() {
        return loop;
    }

    public void setLoop(boolean loop) {
        this.loop = loop;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxEventSize() {
        return maxEventSize;
    }

    public void setMaxEventSize(int maxEventSize) {
        this.maxEventSize = maxEventSize;
    }

    public boolean isExitAtEnd() {
        return exitAtEnd;
    }

    public void setExitAtEnd(boolean exitAtEnd) {
        this.exitAtEnd = exitAtEnd;
    }


    public String getArchiveServers() {
        return archiveServers;
    }

    public void setArchiveServers(String archiveServers) {
        this.archiveServers = archiveServers;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getNodes() {
        return nodes;
    }

    public void setNodes(String nodes) {
        this.nodes = nodes;
    }

    public String getSubjects() {
        return subjects;
    }

    public void setSubjects(String subjects) {
        this.subjects = subjects;
    }

    public String getKinds() {
        return kinds;
    }

    public void setKinds(String kinds) {
        this.kinds = kinds;
    }
}
