package org.peerobserver.extractor.ebpf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Reads BPF ring buffers straight from their shared memory, the way libbpf's ring_buffer__poll does,
 * but without a native-to-Java callback per record: that callback alone costs about as much as
 * decoding the record. Each ring is mapped as the kernel lays it out (a writable consumer position
 * page, then the producer position page and the data area mapped twice, so a record that wraps
 * around reads contiguously); one epoll set waits on all of them. Not thread-safe: one thread polls.
 */
final class RingReader implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_EVENT_SIZE = 16;
    /** Records taken from one ring per poll, so a flood still lets the polling thread do its other work. */
    private static final int MAX_PER_RING = 65_536;

    /** Receives every record: little-endian, position 0, limit its length; valid only during the call. */
    interface RecordHandler {
        void record(ByteBuffer record);
    }

    private static final class Ring {
        final Pointer consumerMap;
        final Pointer producerMap;
        final ByteBuffer consumer;
        final ByteBuffer producer;
        final long producerLength;
        final int page;
        final long mask;

        Ring(Pointer consumerMap, Pointer producerMap, long producerLength, int page, int size) {
            this.consumerMap = consumerMap;
            this.producerMap = producerMap;
            this.consumer = consumerMap.getByteBuffer(0, page);
            this.producer = producerMap.getByteBuffer(0, producerLength);
            this.producerLength = producerLength;
            this.page = page;
            this.mask = size - 1L;
        }
    }

    private final List<Ring> rings = new ArrayList<>();
    private final RecordHandler handler;
    private final int page;
    private final int epoll;
    private final Memory events = new Memory(EPOLL_EVENT_SIZE * 16L);

    /** Maps the ring buffer maps {@code fds}, of {@code sizes} bytes each. */
    RingReader(int[] fds, int[] sizes, RecordHandler handler) {
        this.handler = handler;
        this.page = LibBpf.LibC.getpagesize();
        this.epoll = LibBpf.LibC.epoll_create1(EPOLL_CLOEXEC);
        if (epoll < 0) {
            throw new IllegalStateException("cannot create an epoll set: errno " + Native.getLastError());
        }
        try (Memory event = new Memory(EPOLL_EVENT_SIZE)) {
            for (int i = 0; i < fds.length; i++) {
                if (sizes[i] > BitcoinEbpfConfiguration.MAX_RING) {
                    throw new IllegalStateException("a ring buffer of " + sizes[i] + " bytes is over the 512 MiB this reader maps");
                }
                rings.add(map(fds[i], sizes[i]));
                event.clear();
                event.setInt(0, EPOLLIN);
                if (LibBpf.LibC.epoll_ctl(epoll, EPOLL_CTL_ADD, fds[i], event) < 0) {
                    throw new IllegalStateException("cannot wait on a ring buffer: errno " + Native.getLastError());
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Ring map(int fd, int size) {
        Pointer consumer = LibBpf.LibC.mmap(null, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (Pointer.nativeValue(consumer) == -1) {
            throw new IllegalStateException("cannot map a ring buffer's consumer page: errno " + Native.getLastError());
        }
        long length = page + 2L * size;
        Pointer producer = LibBpf.LibC.mmap(null, length, PROT_READ, MAP_SHARED, fd, page);
        if (Pointer.nativeValue(producer) == -1) {
            LibBpf.LibC.munmap(consumer, page);
            throw new IllegalStateException("cannot map a ring buffer's data: errno " + Native.getLastError());
        }
        return new Ring(consumer, producer, length, page, size);
    }

    /**
     * Hands every waiting record to the handler; when there is none, waits up to {@code timeoutMs} for
     * one first. Returns the number of records, or a negative errno.
     */
    int poll(int timeoutMs) {
        int n = drainAll();
        if (n > 0) {
            return n;
        }
        int ready = LibBpf.LibC.epoll_wait(epoll, events, 16, timeoutMs);
        if (ready < 0) {
            return -Native.getLastError();
        }
        return ready == 0 ? 0 : drainAll();
    }

    private int drainAll() {
        int n = 0;
        for (Ring ring : rings) {
            n += drain(ring);
        }
        return n;
    }

    /** libbpf's ringbuf_process_ring: read up to the producer, skip discarded records, stop at a busy one. */
    private int drain(Ring ring) {
        long consumed = (long) LONG.getAcquire(ring.consumer, 0);
        int n = 0;
        boolean more = true;
        while (more && n < MAX_PER_RING) {
            more = false;
            long produced = (long) LONG.getAcquire(ring.producer, 0);
            while (consumed < produced && n < MAX_PER_RING) {
                int header = ring.page + (int) (consumed & ring.mask);
                int length = (int) INT.getAcquire(ring.producer, header);
                if ((length & BUSY) != 0) {
                    return n;
                }
                more = true;
                int size = length & ~(BUSY | DISCARD);
                consumed += (size + HEADER + 7) & ~7L;
                if ((length & DISCARD) == 0) {
                    n++;
                    handler.record(ring.producer.slice(header + HEADER, size).order(ByteOrder.LITTLE_ENDIAN));
                }
                LONG.setRelease(ring.consumer, 0, consumed);
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (Ring ring : rings) {
            LibBpf.LibC.munmap(ring.consumerMap, ring.page);
            LibBpf.LibC.munmap(ring.producerMap, ring.producerLength);
        }
        rings.clear();
        if (epoll >= 0) {
            LibBpf.LibC.close(epoll);
        }
        events.close();
    }
}
