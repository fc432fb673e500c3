package org.peerobserver.component.ebpf;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The loaded BPF object: its ring buffers (polled together), its drop counters, and the USDT links
 * of the tracepoints currently attached to one process. Not thread-safe: one thread polls, attaches
 * and closes; only {@link #drops()} may be called from others.
 */
final class BpfProbes implements AutoCloseable {
    static final String RESOURCE = "/native/probes.bpf.o";

    private final Pointer object;
    private final Memory image;
    private final int dropsFd;
    private final LibBpf.SampleFn sample;   // held here: libbpf keeps only the native pointer
    private final Pointer ringBuffer;
    private final List<Pointer> links = new ArrayList<>();

    /**
     * Opens and loads the BPF object with every ring buffer sized {@code ringBufferSize} bytes (0: the
     * sizes built into the object), polling them into {@code sample}.
     */
    BpfProbes(int ringBufferSize, LibBpf.SampleFn sample) {
        String error = LibBpf.load();
        if (error != null) {
            throw new IllegalStateException(error);
        }
        this.sample = sample;
        byte[] bytes = objectBytes();
        image = new Memory(bytes.length);
        image.write(0, bytes, 0, bytes.length);
        object = LibBpf.bpf_object__open_mem(image, bytes.length, null);
        if (object == null) {
            throw new IllegalStateException("cannot open the BPF object: " + errno());
        }
        try {
            if (ringBufferSize > 0) {
                for (String ring : Records.RINGS) {
                    check(LibBpf.bpf_map__set_max_entries(map(ring), ringBufferSize), "size ring buffer " + ring);
                }
            }
            check(LibBpf.bpf_object__load(object), "load the BPF programs (root or CAP_BPF+CAP_PERFMON needed)");
            dropsFd = LibBpf.bpf_map__fd(map("drops"));
            Pointer rb = null;
            for (String ring : Records.RINGS) {
                int fd = LibBpf.bpf_map__fd(map(ring));
                if (rb == null) {
                    rb = LibBpf.ring_buffer__new(fd, sample, null, null);
                    if (rb == null) {
                        throw new IllegalStateException("cannot create the ring buffer reader: " + errno());
                    }
                } else {
                    check(LibBpf.ring_buffer__add(rb, fd, sample, null), "add ring buffer " + ring);
                }
            }
            ringBuffer = rb;
        } catch (RuntimeException e) {
            LibBpf.bpf_object__close(object);
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

    /**
     * Attaches {@code tracepoints} to process {@code pid} running {@code binary}; returns the ones the
     * binary does not have (or that failed), each with its reason.
     */
    Map<Tracepoint, String> attach(int pid, String binary, Collection<Tracepoint> tracepoints) {
        Map<Tracepoint, String> failed = new LinkedHashMap<>();
        for (Tracepoint t : tracepoints) {
            Pointer program = LibBpf.bpf_object__find_program_by_name(object, t.program());
            Pointer link = program == null ? null
                    : LibBpf.bpf_program__attach_usdt(program, pid, binary, t.provider, t.name, null);
            if (link == null) {
                failed.put(t, program == null ? "no such program" : errno());
            } else {
                links.add(link);
            }
        }
        return failed;
    }

    int attached() {
        return links.size();
    }

    void detach() {
        links.forEach(LibBpf::bpf_link__destroy);
        links.clear();
    }

    /** Hands every waiting record to the sample callback, waiting up to {@code timeoutMs} for one. */
    int poll(int timeoutMs) {
        return LibBpf.ring_buffer__poll(ringBuffer, timeoutMs);
    }

    /** Records dropped so far per ring buffer (a full buffer), plus messages too large to capture. */
    Map<String, Long> drops() {
        Map<String, Long> drops = new LinkedHashMap<>();
        try (Memory key = new Memory(4); Memory value = new Memory(8)) {
            for (int slot = 0; slot <= Records.RINGS.length; slot++) {
                key.setInt(0, slot);
                value.setLong(0, 0);
                LibBpf.bpf_map_lookup_elem(dropsFd, key, value);
                drops.put(slot < Records.RINGS.length ? Records.RINGS[slot] : Records.OVERSIZED, value.getLong(0));
            }
        }
        return drops;
    }

    @Override
    public void close() {
        detach();
        LibBpf.ring_buffer__free(ringBuffer);
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
