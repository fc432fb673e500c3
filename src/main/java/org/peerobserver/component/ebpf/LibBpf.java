package org.peerobserver.component.ebpf;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** The few libbpf calls the component needs, bound directly to Debian's {@code libbpf.so.1} (1.1+). */
final class LibBpf {
    private LibBpf() {
    }

    /** libbpf's ring_buffer_sample_fn: called on the polling thread for every record. */
    interface SampleFn extends Callback {
        int invoke(Pointer ctx, Pointer data, long size);
    }

    private static volatile String loadError = "not tried";

    /** Binds the natives once; returns null when done, or why libbpf cannot be used. */
    static synchronized String load() {
        if (loadError != null && loadError.equals("not tried")) {
            try {
                Native.register(LibBpf.class, NativeLibrary.getInstance("libbpf.so.1"));
                loadError = null;
            } catch (UnsatisfiedLinkError e) {
                loadError = "libbpf.so.1 not loadable (install libbpf1): " + e.getMessage();
            }
        }
        return loadError;
    }

    static native Pointer bpf_object__open_mem(Pointer objBuf, long size, Pointer opts);

    static native int bpf_object__load(Pointer obj);

    static native void bpf_object__close(Pointer obj);

    static native Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    static native Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    static native int bpf_map__set_max_entries(Pointer map, int maxEntries);

    static native int bpf_map__fd(Pointer map);

    static native int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    static native Pointer bpf_program__attach_usdt(Pointer prog, int pid, String binaryPath, String provider,
            String name, Pointer opts);

    static native int bpf_link__destroy(Pointer link);

    static native Pointer ring_buffer__new(int mapFd, SampleFn sample, Pointer ctx, Pointer opts);

    static native int ring_buffer__add(Pointer rb, int mapFd, SampleFn sample, Pointer ctx);

    static native int ring_buffer__poll(Pointer rb, int timeoutMs);

    static native void ring_buffer__free(Pointer rb);
}
