package org.peerobserver.tool.record;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.peerobserver.proto.event.Event;
import org.peerobserver.testing.AppTestSupport;
import org.peerobserver.testing.CapturedLog;
import org.peerobserver.testing.SampleCapture;
import org.peerobserver.testing.TinyDisk;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record tool on a 64 KiB tmpfs: one clear error when the disk is full, every lost event counted,
 * another tool on the same bus unaffected, and recording again once there is room.
 */
class RecordFullDiskTest extends AppTestSupport {
    static TinyDisk disk;

    @Override
    protected Properties settings() {
        try {
            disk = new TinyDisk("64k");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return props("tools", "record", "record.directory", disk.dir().toString(), "record.gzip", "false",
                "record.max-file-size", "1048576", "record.max-files", "10");
    }

    @AfterAll
    static void unmount() throws Exception {
        disk.close();
    }

    @Test
    void aFullDiskIsReportedOnceTheRestRunsOnAndRecordingResumes() throws Exception {
        AtomicLong rest = new AtomicLong();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("bus:subscribe?subjects=*,ext.*").routeId("another-tool").process(x -> rest.incrementAndGet());
            }
        });
        CaptureWriter writer = context.getRegistry().lookupByNameAndType("recordWriter", CaptureWriter.class);
        List<Event> batch = SampleCapture.events();
        long sent = 0;
        try (CapturedLog log = new CapturedLog(CaptureWriter.class)) {
            for (int round = 0; round < 100 && writer.getFailed() == 0; round++) {
                batch.forEach(e -> template.sendBody("bus:publish", e));
                long expected = sent += batch.size();
                await().atMost(10, TimeUnit.SECONDS).until(() -> writer.getWritten() + writer.getFailed() == expected);
                Thread.sleep(1100);   // the writer flushes once a second: the disk fills at a flush
            }
            assertTrue(writer.getFailed() > 0, "the disk filled up");
            List<String> errors = log.lines("ERROR");
            assertEquals(1, errors.size(), errors::toString);
            assertTrue(errors.get(0).contains("No space left on device"), errors.get(0));
            long total = sent;
            await().atMost(10, TimeUnit.SECONDS).until(() -> rest.get() == total);

            disk.grow("4m");
            long writtenBefore = writer.getWritten();
            await().atMost(20, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
                batch.forEach(e -> template.sendBody("bus:publish", e));
                return log.lines("INFO").stream().anyMatch(l -> l.contains("works again"));
            });
            assertTrue(writer.getWritten() > writtenBefore, "recording again");
            assertEquals(1, log.lines("ERROR").size(), "still the one error");
            System.out.printf("Full disk (record, 64 KiB tmpfs): %d events written before it filled, %d counted as lost%n",
                    writtenBefore, writer.getFailed());
        }
    }
}
