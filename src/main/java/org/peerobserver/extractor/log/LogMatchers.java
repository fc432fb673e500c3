package org.peerobserver.extractor.log;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.CompactBlockReconstructed;
import org.peerobserver.proto.ext.Extension;
import org.peerobserver.proto.ext.FibreBlockRace;
import org.peerobserver.proto.ext.FibreBlockReconstructed;
import org.peerobserver.proto.ext.LogMatch;
import org.peerobserver.proto.log.BlockCheckedLog;
import org.peerobserver.proto.log.BlockConnectedLog;
import org.peerobserver.proto.log.UnknownLogMessage;
import org.peerobserver.proto.log.log;

/**
 * Every log matcher, in one place: adding a kind of line is adding one entry to a list below (plus,
 * for a new ext kind, its message in {@code ext.proto}). Messages are matched after the timestamp and
 * category are removed, and anywhere in the message, as upstream does.
 */
final class LogMatchers {
    private static final String HASH = "([0-9a-f]{64})";
    private static final String NA = "n/a";

    /** Upstream's log events, in upstream's order; a line none of them fits is an unknown_log_message. */
    static final List<LineMatcher<log.Builder>> UPSTREAM = List.of(
            // also matches "Enqueuing BlockConnected: ...", as upstream's does
            new LineMatcher<>("BlockConnected: ",
                    "BlockConnected: block hash=" + HASH + " block height=(\\d+)",
                    (m, b) -> b.setBlockConnectedLog(BlockConnectedLog.newBuilder()
                            .setBlockHash(m.group(1)).setBlockHeight(uint32(m.group(2))))),
            // the state is the validation result, then ", " and a debug message if there is one
            new LineMatcher<>("BlockChecked: ",
                    "BlockChecked: block hash=" + HASH + " state=(.*?)(?:, (.*))?$",
                    (m, b) -> b.setBlockCheckedLog(BlockCheckedLog.newBuilder().setBlockHash(m.group(1))
                            .setState(m.group(2)).setDebugMessage(m.group(3) == null ? "" : m.group(3)))));

    /** Our ext.log events; the first that fits a line is published beside the upstream event. */
    static final List<LineMatcher<LogMatch.Builder>> EXTENSION = List.of(
            // Core [cmpctblock]; v30 (PR #32582) added " (N bytes)" after the requested count
            new LineMatcher<>("Successfully reconstructed block ",
                    "Successfully reconstructed block " + HASH + " with (\\d+) txn prefilled, (\\d+) txn from mempool"
                            + " \\(incl at least (\\d+) from extra pool\\) and (\\d+) txn(?: \\((\\d+) bytes\\))? requested",
                    (m, b) -> b.setCompactBlockReconstructed(compactBlock(m))),
            // FIBRE bench line, printed when a block was rebuilt from its FEC chunks
            new LineMatcher<>("UDP: Block ",
                    "UDP: Block " + HASH + "(?: \\(pool=([^)]*)\\))? reconstructed from (.+?) with (\\d+) chunks"
                            + " in (\\d+(?:\\.\\d+)?) ms \\((\\d+) recvd from (\\d+) peers\\)",
                    (m, b) -> b.setFibreBlockReconstructed(fibreReconstructed(m))),
            // FIBRE race summary, printed when the block connects: who delivered it first, and how fast each was
            new LineMatcher<>("UDP: block=",
                    "UDP: block=" + HASH + " height=(-?\\d+) winner=(\\S+) winner_peer=(\\S+)"
                            + " udp=(n/a|-?\\d+(?:\\.\\d+)?ms) udp_peer=(\\S+) cmpct=(n/a|-?\\d+(?:\\.\\d+)?ms) cmpct_peer=(\\S+)",
                    (m, b) -> b.setFibreBlockRace(fibreRace(m))));

    private LogMatchers() {
    }

    /**
     * The events for one line: upstream's log event, and an ext.log event if an extension matcher fits.
     * {@code nowMillis} is the publisher time every event carries.
     */
    static List<Event> events(String rawLine, long nowMillis) {
        LogLine line = LogLine.parse(rawLine);
        log.Builder upstream = log.newBuilder().setLogTimestamp(line.timestampMicros()).setCategory(line.category());
        if (!line.parsed() || UPSTREAM.stream().noneMatch(m -> m.apply(line.message(), upstream))) {
            upstream.setUnknownLogMessage(UnknownLogMessage.newBuilder().setRawMessage(line.message()));
        }
        List<Event> events = new ArrayList<>(2);
        events.add(Event.newBuilder().setTimestamp(nowMillis).setLogExtractor(upstream).build());
        if (line.parsed()) {
            LogMatch.Builder match = LogMatch.newBuilder().setLogTimestamp(line.timestampMicros());
            if (EXTENSION.stream().anyMatch(m -> m.apply(line.message(), match))) {
                events.add(Event.newBuilder().setTimestamp(nowMillis)
                        .setExtension(Extension.newBuilder().setLog(match)).build());
            }
        }
        return events;
    }

    private static CompactBlockReconstructed compactBlock(Matcher m) {
        CompactBlockReconstructed.Builder b = CompactBlockReconstructed.newBuilder().setBlockHash(m.group(1))
                .setPrefilled(uint32(m.group(2))).setFromMempool(uint32(m.group(3)))
                .setFromExtraPool(uint32(m.group(4))).setRequested(uint32(m.group(5)));
        if (m.group(6) != null) {
            b.setRequestedBytes(Long.parseUnsignedLong(m.group(6)));
        }
        return b.build();
    }

    private static FibreBlockReconstructed fibreReconstructed(Matcher m) {
        FibreBlockReconstructed.Builder b = FibreBlockReconstructed.newBuilder().setBlockHash(m.group(1))
                .setSource(m.group(3)).setChunksUsed(uint32(m.group(4))).setDurationMs(Double.parseDouble(m.group(5)))
                .setChunksReceived(uint32(m.group(6))).setPeers(uint32(m.group(7)));
        if (m.group(2) != null) {
            b.setPool(m.group(2));
        }
        return b.build();
    }

    private static FibreBlockRace fibreRace(Matcher m) {
        FibreBlockRace.Builder b = FibreBlockRace.newBuilder().setBlockHash(m.group(1))
                .setHeight(Integer.parseInt(m.group(2))).setWinner(m.group(3));
        if (!m.group(4).equals(NA)) {
            b.setWinnerPeer(m.group(4));
        }
        if (!m.group(5).equals(NA)) {
            b.setUdpMs(millis(m.group(5)));
        }
        if (!m.group(6).equals(NA)) {
            b.setUdpPeer(m.group(6));
        }
        if (!m.group(7).equals(NA)) {
            b.setCmpctMs(millis(m.group(7)));
        }
        if (!m.group(8).equals(NA)) {
            b.setCmpctPeer(m.group(8));
        }
        return b.build();
    }

    /** "12.34ms" as 12.34. */
    private static double millis(String value) {
        return Double.parseDouble(value.substring(0, value.length() - 2));
    }

    private static int uint32(String digits) {
        return Integer.parseUnsignedInt(digits);
    }
}
