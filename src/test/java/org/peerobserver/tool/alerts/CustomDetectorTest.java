package org.peerobserver.tool.alerts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.ebpf.ebpf;
import org.peerobserver.proto.ebpf.message.MessageEvent;
import org.peerobserver.proto.ebpf.message.Version;
import org.peerobserver.proto.event.Event;
import org.peerobserver.proto.ext.Alert;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.DocBlocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** docs/alerting.md's YAML-only detector, as written there, in the application: 21 versions from one /24 fire it, 20 do not. */
class CustomDetectorTest extends AppTestSupport {
    @TempDir
    static Path dir;

    @Override
    protected Properties settings() {
        try {
            String yaml = DocBlocks.of(Path.of("docs/alerting.md")).stream().filter(b -> "docs/examples/version-flood.camel.yaml".equals(b.shows()))
                    .findFirst().orElseThrow().text();
            Files.writeString(dir.resolve("version-flood.camel.yaml"), yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return props("camel.main.routes-include-pattern", "file:" + dir.resolve("version-flood.camel.yaml"));
    }

    private static Event version(long at, int i, String subnet) {
        Version v = Version.newBuilder().setVersion(70016).setServices(1).setTimestamp(1).setReceiver(Events.addrv2(0, 0, 1)
                .getEbpfExtractor().getMessage().getAddrv2().getAddresses(0)).setSender(Events.addrv2(0, 0, 1)
                .getEbpfExtractor().getMessage().getAddrv2().getAddresses(0)).setNonce(i).setUserAgent("/x/").setStartHeight(1)
                .setRelay(true).buildPartial();
        return Events.ebpf(at, ebpf.newBuilder().setMessage(MessageEvent.newBuilder().setMeta(Events.meta(i, "version").toBuilder()
                .setAddr(subnet + (i + 1) + ":8333")).setVersion(v)).buildPartial());
    }

    @Test
    void theCookbooksDetectorRunsAsWritten() {
        consumer.start();
        assertNull(consumer.receiveBody("bus:subscribe?subjects=ext.alert", 100, Event.class));
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20; i++) {
            template.sendBody("bus:publish", version(now + i, i, "198.51.100."));
            template.sendBody("bus:publish", version(now + i, i, "203.0.113."));
        }
        assertNull(consumer.receiveBody("bus:subscribe?subjects=ext.alert", 1000, Event.class), "20 within a minute is no flood");
        template.sendBody("bus:publish", version(now + 30, 30, "203.0.113."));
        Alert a = consumer.receiveBody("bus:subscribe?subjects=ext.alert", 10_000, Event.class).getExtension().getAlert();
        assertEquals("version_flood", a.getName());
        assertEquals("info", a.getSeverity());
        assertEquals("203.0.113.0", a.getKey());
    }
}
