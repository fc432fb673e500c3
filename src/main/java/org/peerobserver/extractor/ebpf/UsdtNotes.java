package org.peerobserver.extractor.ebpf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The USDT probe sites of an x86-64 ELF binary (its {@code .note.stapsdt} notes), and each site's
 * arguments encoded as libbpf's {@code struct __bpf_usdt_spec} (usdt.bpf.h), which the BPF side's
 * {@code bpf_usdt_arg} reads. Needed where the probes are attached without libbpf's USDT attach (which
 * always hands the semaphore to the kernel): see {@link SharedUsdt}.
 */
final class UsdtNotes {
    private UsdtNotes() {
    }

    /** Size of libbpf 1.x's {@code struct __bpf_usdt_spec}: 12 args of 16 bytes, a u64 cookie, a short count. */
    static final int SPEC_SIZE = 208;
    private static final int MAX_ARGS = 12;
    private static final int ARG_CONST = 0;
    private static final int ARG_REG = 1;
    private static final int ARG_REG_DEREF = 2;
    private static final int NT_STAPSDT = 3;
    private static final int PT_LOAD = 1;

    /**
     * One probe site: the file offset a uprobe is placed at, the semaphore's file offset (0: none), and
     * the argument spec as the compiler wrote it ("8@%rdi -4@-12(%rbp) ...").
     */
    record Site(long fileOffset, long semaphoreFileOffset, String arguments) {
        byte[] spec() {
            return encode(arguments);
        }
    }

    /** The sites of {@code provider:name} in {@code binary} (a probe inlined in several places has several). */
    static List<Site> sites(Path binary, String provider, String name) {
        try (FileChannel file = FileChannel.open(binary, StandardOpenOption.READ)) {
            MappedByteBuffer elf = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size());
            elf.order(ByteOrder.LITTLE_ENDIAN);
            return sites(elf, provider, name);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the USDT notes of " + binary + ": " + e.getMessage(), e);
        }
    }

    private static List<Site> sites(ByteBuffer elf, String provider, String name) {
        if (elf.getInt(0) != 0x464c457f || elf.get(4) != 2 || elf.get(5) != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        }
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3a));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(elf.getShort(0x3e));
        long names = elf.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        long baseAddress = 0;
        List<long[]> notes = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            String section = cString(elf, (int) (names + Integer.toUnsignedLong(elf.getInt(sh))));
            if (section.equals(".stapsdt.base")) {
                baseAddress = elf.getLong(sh + 0x10);
            } else if (section.equals(".note.stapsdt")) {
                notes.add(new long[] {elf.getLong(sh + 0x18), elf.getLong(sh + 0x20)});
            }
        }
        List<Site> sites = new ArrayList<>();
        for (long[] section : notes) {
            int at = (int) section[0];
            int end = (int) (section[0] + section[1]);
            while (at + 12 <= end) {
                int nameSize = elf.getInt(at);
                int descSize = elf.getInt(at + 4);
                int type = elf.getInt(at + 8);
                int desc = at + 12 + align4(nameSize);
                if (type == NT_STAPSDT && cString(elf, at + 12).equals("stapsdt")) {
                    long pc = elf.getLong(desc);
                    long noteBase = elf.getLong(desc + 8);
                    long semaphore = elf.getLong(desc + 16);
                    String p = cString(elf, desc + 24);
                    String n = cString(elf, desc + 25 + p.length());
                    String args = cString(elf, desc + 26 + p.length() + n.length());
                    if (p.equals(provider) && n.equals(name)) {
                        // a prelinked binary moved: the note's base says by how much
                        long shift = noteBase != 0 && baseAddress != 0 ? baseAddress - noteBase : 0;
                        sites.add(new Site(fileOffset(elf, pc + shift),
                                semaphore == 0 ? 0 : fileOffset(elf, semaphore + shift), args));
                    }
                }
                at = desc + align4(descSize);
            }
        }
        return sites;
    }

    /** Where virtual address {@code address} lies in the file (through the loadable segment holding it). */
    private static long fileOffset(ByteBuffer elf, long address) {
        long phoff = elf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
        int phnum = Short.toUnsignedInt(elf.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            long vaddr = elf.getLong(ph + 0x10);
            if (elf.getInt(ph) == PT_LOAD && address >= vaddr && address < vaddr + elf.getLong(ph + 0x20)) {
                return address - vaddr + elf.getLong(ph + 0x08);
            }
        }
        throw new IllegalArgumentException("address 0x" + Long.toHexString(address) + " is in no loaded segment");
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static String cString(ByteBuffer elf, int at) {
        int end = at;
        while (elf.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        elf.get(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    // x86-64 operands as gcc/clang write them into the notes (libbpf 1.1 reads the same three forms)
    private static final Pattern CONSTANT = Pattern.compile("(-?\\d+)@\\$(-?\\d+)");
    private static final Pattern DEREF = Pattern.compile("(-?\\d+)@(-?\\d*)\\(%(\\w+)\\)");
    private static final Pattern REGISTER = Pattern.compile("(-?\\d+)@%(\\w+)");

    /** Offsets in the kernel's x86-64 {@code struct pt_regs}, by every name of the register and its parts. */
    private static final Map<String, Integer> PT_REGS = ptRegs();

    private static Map<String, Integer> ptRegs() {
        Map<String, Integer> regs = new java.util.HashMap<>();
        String[][] legacy = {
            {"rip", "eip", "ip"}, {"rax", "eax", "ax", "al"}, {"rbx", "ebx", "bx", "bl"}, {"rcx", "ecx", "cx", "cl"},
            {"rdx", "edx", "dx", "dl"}, {"rsi", "esi", "si", "sil"}, {"rdi", "edi", "di", "dil"},
            {"rbp", "ebp", "bp", "bpl"}, {"rsp", "esp", "sp", "spl"},
        };
        int[] legacyOffsets = {128, 80, 40, 88, 96, 104, 112, 32, 152};
        for (int i = 0; i < legacy.length; i++) {
            for (String n : legacy[i]) {
                regs.put(n, legacyOffsets[i]);
            }
        }
        // r15 at 0 up to r12 at 24, then rbp and rbx, then r11 at 48 up to r8 at 72
        int[] numbered = {72, 64, 56, 48, 24, 16, 8, 0};
        for (int r = 8; r <= 15; r++) {
            for (String suffix : new String[] {"", "d", "w", "b"}) {
                regs.put("r" + r + suffix, numbered[r - 8]);
            }
        }
        return Map.copyOf(regs);
    }

    /** The arguments {@code arguments} as libbpf's spec (little-endian, usdt_cookie 0). */
    static byte[] encode(String arguments) {
        String[] args = arguments.isBlank() ? new String[0] : arguments.trim().split("\\s+");
        if (args.length > MAX_ARGS) {
            throw new IllegalArgumentException("more than " + MAX_ARGS + " USDT arguments: " + arguments);
        }
        ByteBuffer spec = ByteBuffer.allocate(SPEC_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < args.length; i++) {
            int at = i * 16;
            Matcher m;
            int size;
            if ((m = CONSTANT.matcher(args[i])).matches()) {
                size = Integer.parseInt(m.group(1));
                spec.putLong(at, Long.parseLong(m.group(2))).putInt(at + 8, ARG_CONST);
            } else if ((m = DEREF.matcher(args[i])).matches()) {
                size = Integer.parseInt(m.group(1));
                spec.putLong(at, m.group(2).isEmpty() ? 0 : Long.parseLong(m.group(2))).putInt(at + 8, ARG_REG_DEREF)
                        .putShort(at + 12, register(m.group(3), args[i]));
            } else if ((m = REGISTER.matcher(args[i])).matches()) {
                size = Integer.parseInt(m.group(1));
                spec.putInt(at + 8, ARG_REG).putShort(at + 12, register(m.group(2), args[i]));
            } else {
                throw new IllegalArgumentException("USDT argument not understood: " + args[i]);
            }
            int bytes = Math.abs(size);
            if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
                throw new IllegalArgumentException("USDT argument of size " + size + ": " + args[i]);
            }
            spec.put(at + 14, (byte) (size < 0 ? 1 : 0)).put(at + 15, (byte) (64 - bytes * 8));
        }
        spec.putShort(MAX_ARGS * 16 + 8, (short) args.length);
        return spec.array();
    }

    private static short register(String name, String arg) {
        Integer offset = PT_REGS.get(name);
        if (offset == null) {
            throw new IllegalArgumentException("USDT argument in an unknown register: " + arg);
        }
        return offset.shortValue();
    }
}
