package org.peerobserver.extractor.ebpf;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Attaching a USDT probe that another tracer already registered with another semaphore offset.
 *
 * <p>The kernel keeps one uprobe per probe site and refuses a second registration whose semaphore
 * offset ({@code ref_ctr_offset}) differs ("ref_ctr_offset mismatch", EINVAL). Debian 12's BCC 0.26
 * registers a wrong one (its Python binding leaves the argument out, so a stray stack value is passed:
 * 0x6 on Debian 12), so libbpf's attach, which always hands the real semaphore to the kernel, fails beside
 * it, and BCC fails beside libbpf. Here the probe is attached with the offset already registered
 * (the kernel reports it in its log with the refusal), which the kernel never finds in a writable
 * mapping, and the semaphore is raised in the target's memory ({@code /proc/PID/mem}) instead, as BCC
 * does, and lowered again on detach.
 */
final class SharedUsdt {
    /** What Debian 12's BCC 0.26 registers: attaching with it lets that BCC attach after us. */
    static final long BCC_REF_CTR_OFFSET = 6;
    private static final int EINVAL = 22;
    private static final int EPIPE = 32;
    private static final int O_NONBLOCK = 04000;
    private static final Pattern MISMATCH = Pattern.compile(
            "ref_ctr_offset mismatch\\. inode: 0x(\\p{XDigit}+) offset: 0x(\\p{XDigit}+) ref_ctr_offset\\(old\\): 0x(\\p{XDigit}+)");

    private SharedUsdt() {
    }

    /** A probe attached here: its links, and the semaphore raised for it (null: none, or the kernel keeps it). */
    record Attached(List<Pointer> links, Semaphore semaphore) {
        void detach() {
            if (semaphore != null) {
                semaphore.lower();
            }
            links.forEach(LibBpf::bpf_link__destroy);
        }
    }

    static boolean refused(int errno) {
        return errno == EINVAL;
    }

    /**
     * The semaphore offset registered for the site at {@code fileOffset} of {@code binary}, from the
     * kernel's last refusal of it; empty when the kernel log says nothing (or cannot be read).
     */
    static OptionalLong registeredOffset(Path binary, long fileOffset) {
        long inode;
        try {
            inode = ((Number) Files.getAttribute(binary, "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        int fd = LibBpf.LibC.open("/dev/kmsg", O_NONBLOCK);
        if (fd < 0) {
            return OptionalLong.empty();
        }
        OptionalLong found = OptionalLong.empty();
        try (Memory record = new Memory(8192)) {
            while (true) {
                long n = LibBpf.LibC.read(fd, record, record.size());
                if (n < 0 && Native.getLastError() == EPIPE) {
                    continue;   // records overwritten while reading: the next read goes on with the oldest left
                }
                if (n <= 0) {   // EAGAIN: no more records
                    break;
                }
                Matcher m = MISMATCH.matcher(new String(record.getByteArray(0, (int) n), StandardCharsets.US_ASCII));
                if (m.find() && Long.parseUnsignedLong(m.group(1), 16) == inode
                        && Long.parseUnsignedLong(m.group(2), 16) == fileOffset) {
                    found = OptionalLong.of(Long.parseUnsignedLong(m.group(3), 16));   // the latest wins
                }
            }
        } finally {
            LibBpf.LibC.close(fd);
        }
        return found;
    }

    /**
     * Attaches {@code program} to every site of {@code tracepoint} with semaphore offset {@code refCtrOffset},
     * each site's arguments in spec slot {@code specIds[i]} of map {@code specsFd}; raises the semaphore
     * unless the kernel keeps it (the offset is the semaphore's).
     */
    static Attached attach(Pointer program, int pid, Path binary, UsdtNotes.Site[] sites, long refCtrOffset,
            int specsFd, int[] specIds) {
        List<Pointer> links = new ArrayList<>();
        try (Memory key = new Memory(4); Memory spec = new Memory(UsdtNotes.SPEC_SIZE); Memory opts = new Memory(40)) {
            for (int i = 0; i < sites.length; i++) {
                key.setInt(0, specIds[i]);
                byte[] bytes = sites[i].spec();
                spec.write(0, bytes, 0, bytes.length);
                if (LibBpf.bpf_map_update_elem(specsFd, key, spec, 0) < 0) {
                    throw new IllegalStateException("cannot store the USDT argument spec: errno " + Native.getLastError());
                }
                opts.clear();
                opts.setLong(0, 40);                // sz
                opts.setLong(8, refCtrOffset);      // ref_ctr_offset
                opts.setLong(16, specIds[i]);       // bpf_cookie: bpf_usdt_arg finds the spec by it
                Pointer link = LibBpf.bpf_program__attach_uprobe_opts(program, pid, binary.toString(),
                        sites[i].fileOffset(), opts);
                if (link == null) {
                    throw new IllegalStateException("uprobe at 0x" + Long.toHexString(sites[i].fileOffset())
                            + " with semaphore offset 0x" + Long.toHexString(refCtrOffset) + ": errno " + Native.getLastError());
                }
                links.add(link);
            }
            long semaphore = sites[0].semaphoreFileOffset();
            // raised once the uprobes are in place, so the first event the target fires is seen
            Semaphore raised = semaphore == 0 || semaphore == refCtrOffset ? null : Semaphore.raise(pid, binary, semaphore);
            return new Attached(links, raised);
        } catch (RuntimeException e) {
            links.forEach(LibBpf::bpf_link__destroy);
            throw e;
        }
    }

    /** A USDT semaphore (an unsigned short in the target's data) raised by one. */
    record Semaphore(int pid, long address) {
        static Semaphore raise(int pid, Path binary, long fileOffset) {
            Semaphore s = new Semaphore(pid, address(pid, binary, fileOffset));
            s.add(1);
            return s;
        }

        void lower() {
            try {
                add(-1);
            } catch (IllegalStateException e) {
                // the target is gone, and its semaphores with it
            }
        }

        private void add(int delta) {
            try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "rw")) {
                mem.seek(address);
                int value = Short.toUnsignedInt(Short.reverseBytes(mem.readShort()));
                mem.seek(address);
                mem.writeShort(Short.reverseBytes((short) Math.max(0, value + delta)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot change the USDT semaphore of process " + pid + ": " + e.getMessage(), e);
            }
        }

        /** Where file offset {@code fileOffset} of {@code binary} is mapped in process {@code pid}. */
        private static long address(int pid, Path binary, long fileOffset) {
            try {
                long inode = ((Number) Files.getAttribute(binary, "unix:ino")).longValue();
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"), StandardCharsets.UTF_8)) {
                    // start-end perms offset dev inode path
                    String[] f = line.trim().split("\\s+", 6);
                    if (f.length < 6 || Long.parseLong(f[4]) != inode || f[1].charAt(1) != 'w') {
                        continue;
                    }
                    String[] range = f[0].split("-");
                    long start = Long.parseUnsignedLong(range[0], 16);
                    long end = Long.parseUnsignedLong(range[1], 16);
                    long offset = Long.parseUnsignedLong(f[2], 16);
                    if (fileOffset >= offset && fileOffset < offset + (end - start)) {
                        return start + fileOffset - offset;
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the memory map of process " + pid + ": " + e.getMessage(), e);
            }
            throw new IllegalStateException("the USDT semaphore of " + binary + " is not mapped writable in process " + pid);
        }
    }
}
