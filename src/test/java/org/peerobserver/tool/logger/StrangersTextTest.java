package org.peerobserver.tool.logger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.message.Addr;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.primitives.Address;
import org.peerobserver.support.SafeText;
import org.peerobserver.support.SafeTextConverter;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.HostileEvents;
import org.peerobserver.testing.HostileText;
import org.peerobserver.testing.NatsServer;
import org.peerobserver.testing.RenderedLog;
import org.peerobserver.testing.SampleEvents;

/**
 * Events of every kind whose every string is a newline-forged line, a CR, ANSI escapes, a NUL or 4 KB,
 * through the tools that log what events carry (logger; connectivity-check at DEBUG) and those that only
 * count it (metrics, fibre-exporter), rendered by the application's own log layout.
 */
class StrangersTextTest extends AppTestSupport {
    /** The logger tool's longest line: EventText's 2000 characters, an ellipsis, and the layout's prefix (date, level, logger). */
    private static final int LOGGER_LINE = 2000 + 1 + 52;

    @Override
    protected Properties settings() {
        try {
            return props("tools", "logger,metrics,connectivity-check,fibre-exporter",
                    "metrics.address", "127.0.0.1:" + NatsServer.freePort(),
                    "connectivity.metrics-address", "127.0.0.1:" + NatsServer.freePort(),
                    "connectivity.csv-dir", Files.createTempDirectory("strangers-csv").toString(),
                    "fibre.metrics-port", Integer.toString(NatsServer.freePort()),
                    "fibre.health-port", Integer.toString(NatsServer.freePort()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noEventKindCanForgeColourOrFloodALogLine() {
        List<Event> events = new ArrayList<>();
        HostileText.INPUTS.forEach(text -> events.addAll(HostileEvents.all(text)));
        SampleEvents sample = new SampleEvents(1, 1_700_000_000_000L);
        for (String text : HostileText.INPUTS) {
            // a getaddr answer: connectivity-check names its sender at DEBUG
            events.add(sample.message(3, text, "addr", true, 30_003,
                    b -> b.setAddr(Addr.newBuilder().addAllAddresses(Collections.nCopies(1000,
                            Address.newBuilder().setTimestamp(1).setIpv4("192.0.2.1").setServices(1).setPort(8333).build())))));
        }
        Level before = LogManager.getLogger("tool-connectivity-check").getLevel();
        Configurator.setLevel("tool-connectivity-check", Level.DEBUG);
        try (RenderedLog log = new RenderedLog()) {
            events.forEach(e -> template.sendBody("bus:publish", e));
            await().atMost(20, TimeUnit.SECONDS).until(() -> loggerLines(log).size() >= events.size()
                    && log.lines().stream().filter(l -> l.contains("with 1000 addresses from")).count() >= HostileText.INPUTS.size());
            HostileText.assertSafe(log, SafeTextConverter.DEFAULT_MAX + 100);
            List<String> loggerLines = loggerLines(log);
            // a line per event published, and the races the fibre exporter publishes back
            assertTrue(loggerLines.size() >= events.size(), loggerLines.size() + " logger lines");
            assertTrue(loggerLines.stream().allMatch(l -> l.length() <= LOGGER_LINE), "a logger line over its bound");
            for (String kind : List.of("message.version", "message.reject", "connection.inbound", "connection.misbehaving",
                    "addrman.new", "mempool.rejected", "rpc.peer_infos", "p2p.address_announcement", "log.unknown_log_message",
                    "ext.rpc_result", "ext.race")) {
                HostileText.assertAllShown(log, "tool-logger - " + kind + " ");
            }
            HostileText.assertAllShown(log, "with 1000 addresses from");
            // connectivity-check cuts the sender's address as Core cuts a user agent
            assertTrue(log.lines().stream().filter(l -> l.contains("with 1000 addresses from"))
                    .allMatch(l -> l.length() < SafeText.DEFAULT_MAX + 200), "a connectivity-check line over its bound");
        } finally {
            Configurator.setLevel("tool-connectivity-check", before);
        }
    }

    private static List<String> loggerLines(RenderedLog log) {
        return log.lines().stream().filter(l -> l.contains(" tool-logger - ")).toList();
    }
}
