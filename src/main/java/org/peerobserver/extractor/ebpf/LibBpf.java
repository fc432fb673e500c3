package org.peerobserver.extractor.ebpf;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The few libbpf calls the component needs, bound directly to Debian's {@code libbpf.so.1} (1.1+). */
final class LibBpf {
    private LibBpf() {
    }

    /** perf_buffer_sample_fn: one record from CPU {@code cpu}. */
    interface PerfSampleFn extends Callback {
        void invoke(Pointer ctx, int cpu, Pointer data, int size);
    }

    /** libbpf_print_fn_t; {@code args} is the va_list, handed on to vsnprintf. */
    interface PrintFn extends Callback {
        int invoke(int level, String format, Pointer args);
    }

    private static final Logger LOG = LoggerFactory.getLogger("org.peerobserver.extractor.ebpf.libbpf");
    private static final int LIBBPF_WARN = 0;
    // static: libbpf keeps the pointer for the life of the process
    private static final PrintFn PRINT = LibBpf::print;
    private static volatile String loadError = "not tried";

    /** Binds the natives once; returns null when done, or why libbpf cannot be used. */
    static synchronized String load() {
        if (loadError != null && loadError.equals("not tried")) {
            try {
                Native.register(LibBpf.class, NativeLibrary.getInstance("libbpf.so.1"));
                Native.register(LibC.class, NativeLibrary.getInstance("c"));
                libbpf_set_print(PRINT);
                loadError = null;
            } catch (UnsatisfiedLinkError e) {
                loadError = "libbpf.so.1 not loadable (install libbpf1): " + e.getMessage();
            }
        }
        return loadError;
    }

    /** libbpf's own messages into our log instead of stderr, one line each. */
    private static int print(int level, String format, Pointer args) {
        if (level != LIBBPF_WARN && !LOG.isDebugEnabled()) {
            return 0;
        }
        byte[] line = new byte[512];
        int n = LibC.vsnprintf(line, line.length, format, args);
        String text = new String(line, 0, Math.max(0, Math.min(n, line.length - 1)), StandardCharsets.UTF_8).strip();
        if (level == LIBBPF_WARN) {
            LOG.warn(text);
        } else {
            LOG.debug(text);
        }
        return n;
    }

    static final class LibC {
        private LibC() {
        }

        static native int vsnprintf(byte[] buffer, long size, String format, Pointer args);

        static native int getpagesize();

        static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        static native int munmap(Pointer addr, long length);

        static native int epoll_create1(int flags);

        static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

        static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs);

        static native int close(int fd);

        static native int open(String path, int flags);

        static native long read(int fd, Pointer buffer, long count);
    }

    static native Pointer libbpf_set_print(PrintFn fn);

    static native Pointer bpf_object__open_mem(Pointer objBuf, long size, Pointer opts);

    static native int bpf_object__load(Pointer obj);

    static native void bpf_object__close(Pointer obj);

    static native Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    static native Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    static native Pointer bpf_map__initial_value(Pointer map, LongByReference size);

    static native int bpf_map__set_initial_value(Pointer map, byte[] data, long size);

    static native int bpf_map__set_max_entries(Pointer map, int maxEntries);

    static native int bpf_map__fd(Pointer map);

    static native int bpf_map__max_entries(Pointer map);

    static native int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    static native Pointer bpf_program__attach_usdt(Pointer prog, int pid, String binaryPath, String provider,
            String name, Pointer opts);

    static native Pointer bpf_program__attach_uprobe_opts(Pointer prog, int pid, String binaryPath, long funcOffset,
            Pointer opts);

    static native int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    static native int bpf_link__destroy(Pointer link);

    static native Pointer perf_buffer__new(int mapFd, long pageCount, PerfSampleFn sample, Callback lost, Pointer ctx,
            Pointer opts);

    static native int perf_buffer__poll(Pointer pb, int timeoutMs);

    static native void perf_buffer__free(Pointer pb);
}
