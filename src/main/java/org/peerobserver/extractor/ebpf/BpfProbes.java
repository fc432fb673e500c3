package org.peerobserver.extractor.ebpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded BPF object: its buffers (ring buffers, or per-CPU perf buffers in perf mode, polled
 * together), its drop counters, and the USDT links of the tracepoints currently attached to one
 * process. Not thread-safe: one thread polls, attaches and closes; only {@link #drops()} may be
 * called from others.
 */
final class BpfProbes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfProbes.class);
    static final String RESOURCE = "/native/probes.bpf.o";
    /** Smallest ring buffer: what they are shrunk to in perf mode, where they stay unused. */
    private static final int MIN_RING = 4096;
    private static final int PERF_IDLE_WAIT_MS = 20;
    /** BPF_USDT_MAX_SPEC_CNT of usdt.bpf.h: entries of __bpf_usdt_specs. */
    private static final int SPEC_SLOTS = 256;

    private final Pointer object;
    private final Memory image;
    private int dropsFd = -1;
    /** The drop counters as they were when closed; null while open. */
    private volatile long[] closedDrops;
    private final RingReader.RecordHandler handler;
    // libbpf keeps only a native pointer to this callback: held here so the GC never frees it
    private final LibBpf.PerfSampleFn perfSample = this::perfSample;
    private RingReader rings;
    private final List<Pointer> perfBuffers = new ArrayList<>();
    private final List<Pointer> links = new ArrayList<>();
    private final List<SharedUsdt.Attached> shared = new ArrayList<>();
    private final boolean bccCompatible;
    private int specsFd = -1;
    /** Spec slots for probes attached by SharedUsdt: from the top, below them libbpf's own from 0 up. */
    private int nextSpecId = SPEC_SLOTS - 1;
    private boolean closed;

    /**
     * Opens and loads the BPF object. Ring buffer mode ({@code perfPages} 0): every ring buffer sized
     * {@code ringBufferSize} bytes (0: the sizes built into the object). Perf mode: per-CPU perf
     * buffers of {@code perfPages} pages each. {@code bccCompatible}: every probe registered as Debian 12's
     * BCC registers it, semaphores kept in the target's memory (see {@link SharedUsdt}), so a BCC tool
     * can attach after this one.
     */
    BpfProbes(int ringBufferSize, int perfPages, boolean bccCompatible, RingReader.RecordHandler handler) {
        this.bccCompatible = bccCompatible;
        String error = LibBpf.load();
        if (error != null) {
            throw new IllegalStateException(error);
        }
        this.handler = handler;
        boolean perf = perfPages > 0;
        byte[] bytes = objectBytes();
        image = new Memory(bytes.length);
        image.write(0, bytes, 0, bytes.length);
        object = LibBpf.bpf_object__open_mem(image, bytes.length, null);
        if (object == null) {
            throw new IllegalStateException("cannot open the BPF object: " + errno());
        }
        try {
            int ringSize = perf ? MIN_RING : ringBufferSize;
            if (ringSize > 0) {
                for (String ring : Records.RINGS) {
                    check(LibBpf.bpf_map__set_max_entries(map(ring), ringSize), "size ring buffer " + ring);
                }
            }
            setPerfMode(perf);
            check(LibBpf.bpf_object__load(object), "load the BPF programs (root or CAP_BPF+CAP_PERFMON needed)");
            dropsFd = LibBpf.bpf_map__fd(map("drops"));
            specsFd = LibBpf.bpf_map__fd(map("__bpf_usdt_specs"));
            rings = perf ? null : openRings();
            if (perf) {
                openPerfBuffers(perfPages);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static byte[] objectBytes() {
        try (InputStream in = BpfProbes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the BPF object " + RESOURCE + " is not in this build: build with clang,"
                        + " llvm, libbpf-dev and systemtap-sdt-dev installed (see docs/ebpf-extractor.md)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** perf_mode is the one variable in .rodata (probes.bpf.c), read by the verifier at load. */
    private void setPerfMode(boolean perf) {
        Pointer rodata = map(".rodata");
        LongByReference size = new LongByReference();
        if (LibBpf.bpf_map__initial_value(rodata, size) == null || size.getValue() != 1) {
            throw new IllegalStateException("the BPF object's .rodata is not just perf_mode: it does not match this build");
        }
        check(LibBpf.bpf_map__set_initial_value(rodata, new byte[] {(byte) (perf ? 1 : 0)}, 1), "set perf_mode");
    }

    private RingReader openRings() {
        int[] fds = new int[Records.RINGS.length];
        int[] sizes = new int[fds.length];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = LibBpf.bpf_map__fd(map(Records.RINGS[i]));
            sizes[i] = LibBpf.bpf_map__max_entries(map(Records.RINGS[i]));
        }
        return new RingReader(fds, sizes, handler);
    }

    private void openPerfBuffers(int pages) {
        for (String ring : Records.RINGS) {
            String name = "pb_" + ring.substring(3);
            // no lost-sample callback: the BPF programs count failed outputs in the drop counters at once
            Pointer pb = LibBpf.perf_buffer__new(LibBpf.bpf_map__fd(map(name)), pages, perfSample, null, null, null);
            if (pb == null) {
                throw new IllegalStateException("cannot create perf buffer " + name + ": " + errno());
            }
            perfBuffers.add(pb);
        }
    }

    private void perfSample(Pointer ctx, int cpu, Pointer data, int size) {
        handler.record(data.getByteBuffer(0, Integer.toUnsignedLong(size)).order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * Attaches {@code tracepoints} to process {@code pid} running {@code binary}; returns the ones the
     * binary does not have (or that failed), each with its reason. A probe another tracer registered
     * with another semaphore offset is attached beside it (see {@link SharedUsdt}).
     */
    Map<Tracepoint, String> attach(int pid, String binary, Collection<Tracepoint> tracepoints) {
        Map<Tracepoint, String> failed = new LinkedHashMap<>();
        for (Tracepoint t : tracepoints) {
            Pointer program = LibBpf.bpf_object__find_program_by_name(object, t.program());
            if (program == null) {
                failed.put(t, "no such program");
                continue;
            }
            if (bccCompatible) {
                attachShared(program, pid, binary, t, SharedUsdt.BCC_REF_CTR_OFFSET, failed);
                continue;
            }
            Pointer link = LibBpf.bpf_program__attach_usdt(program, pid, binary, t.provider, t.name, null);
            int errno = Native.getLastError();
            if (link != null) {
                links.add(link);
            } else if (SharedUsdt.refused(errno)) {
                attachBeside(program, pid, binary, t, failed);
            } else {
                failed.put(t, strerror(errno));
            }
        }
        return failed;
    }

    /** After the kernel refused {@code t}: attached with the semaphore offset it has, if its log says which. */
    private void attachBeside(Pointer program, int pid, String binary, Tracepoint t, Map<Tracepoint, String> failed) {
        List<UsdtNotes.Site> sites;
        try {
            sites = UsdtNotes.sites(Path.of(binary), t.provider, t.name);
        } catch (IllegalStateException e) {
            failed.put(t, e.getMessage());
            return;
        }
        OptionalLong registered = sites.isEmpty() ? OptionalLong.empty()
                : SharedUsdt.registeredOffset(Path.of(binary), sites.get(0).fileOffset());
        if (registered.isEmpty()) {
            failed.put(t, strerror(22) + "; if another tracer registered it with another semaphore offset, the kernel"
                    + " log (/dev/kmsg, not readable here) would have said which");
            return;
        }
        LOG.info("Tracepoint {} is registered by another tracer with semaphore offset 0x{} (ours: 0x{}): attaching beside"
                + " it, keeping the semaphore in the target's memory", t, Long.toHexString(registered.getAsLong()),
                Long.toHexString(sites.get(0).semaphoreFileOffset()));
        attachShared(program, pid, binary, t, registered.getAsLong(), failed);
    }

    private void attachShared(Pointer program, int pid, String binary, Tracepoint t, long refCtrOffset,
            Map<Tracepoint, String> failed) {
        try {
            UsdtNotes.Site[] sites = UsdtNotes.sites(Path.of(binary), t.provider, t.name).toArray(UsdtNotes.Site[]::new);
            if (sites.length == 0) {
                failed.put(t, strerror(2));
                return;
            }
            int[] ids = new int[sites.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = nextSpecId--;
            }
            shared.add(SharedUsdt.attach(program, pid, Path.of(binary), sites, refCtrOffset, specsFd, ids));
        } catch (IllegalStateException e) {
            failed.put(t, e.getMessage());
        }
    }

    int attached() {
        return links.size() + shared.size();
    }

    // detach and close may meet from the poll thread and a stopping route: libbpf must see each link once
    synchronized void detach() {
        shared.forEach(SharedUsdt.Attached::detach);
        shared.clear();
        nextSpecId = SPEC_SLOTS - 1;
        links.forEach(LibBpf::bpf_link__destroy);
        links.clear();
    }

    /** Hands every waiting record to the handler, waiting up to {@code timeoutMs} for one. */
    int poll(int timeoutMs) {
        if (rings != null) {
            return rings.poll(timeoutMs);
        }
        // libbpf waits on one perf buffer at a time: drain all, then wait briefly on the busiest kind
        int total = 0;
        for (Pointer pb : perfBuffers) {
            int n = LibBpf.perf_buffer__poll(pb, 0);
            if (n < 0) {
                return n;
            }
            total += n;
        }
        return total > 0 ? total : LibBpf.perf_buffer__poll(perfBuffers.get(0), Math.min(timeoutMs, PERF_IDLE_WAIT_MS));
    }

    /** Records dropped so far per buffer (full), plus messages too large to capture. */
    Map<String, Long> drops() {
        Map<String, Long> drops = new LinkedHashMap<>();
        for (int slot = 0; slot <= Records.RINGS.length; slot++) {
            drops.put(slot < Records.RINGS.length ? Records.RINGS[slot] : Records.OVERSIZED, drops(slot));
        }
        return drops;
    }

    /** Records dropped so far in drop counter {@code slot} (a ring buffer's index, or the one after: oversized). */
    long drops(int slot) {
        long[] last = closedDrops;
        if (last != null) {
            return last[slot];
        }
        if (dropsFd < 0) {
            return 0;
        }
        try (Memory key = new Memory(4); Memory value = new Memory(8)) {
            key.setInt(0, slot);
            value.setLong(0, 0);
            LibBpf.bpf_map_lookup_elem(dropsFd, key, value);
            return value.getLong(0);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // kept past the map's end: the stop summary is read after the poll thread has closed it
        long[] last = new long[Records.RINGS.length + 1];
        for (int slot = 0; slot < last.length; slot++) {
            last[slot] = drops(slot);
        }
        closedDrops = last;
        detach();
        perfBuffers.forEach(LibBpf::perf_buffer__free);
        perfBuffers.clear();
        if (rings != null) {
            rings.close();
            rings = null;
        }
        LibBpf.bpf_object__close(object);
        image.close();
    }

    private Pointer map(String name) {
        Pointer map = LibBpf.bpf_object__find_map_by_name(object, name);
        if (map == null) {
            throw new IllegalStateException("the BPF object has no map " + name + ": it does not match this build");
        }
        return map;
    }

    private static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException("cannot " + what + ": " + strerror(-result));
        }
    }

    private static String errno() {
        return strerror(Native.getLastError());
    }

    private static String strerror(int errno) {
        return switch (errno) {
            case 1 -> "EPERM (operation not permitted)";
            case 2 -> "ENOENT (no such tracepoint, file or process)";
            case 3 -> "ESRCH (no such process)";
            case 7 -> "E2BIG";
            case 13 -> "EACCES (permission denied)";
            case 22 -> "EINVAL (invalid argument)";
            default -> "errno " + errno;
        };
    }
}
