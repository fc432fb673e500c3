package org.peerobserver.extractor.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/** USDT argument specs as libbpf 1.1's usdt.bpf.h reads them, and the notes of the USDT test target. */
class UsdtNotesTest {
    @Test
    void argumentsAreEncodedAsLibbpfsSpec() {
        ByteBuffer spec = ByteBuffer.wrap(UsdtNotes.encode("8@%rdi -4@-12(%rbp) 2@$5 -8@%r11 1@(%rax)")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(208, spec.capacity());
        // register rdi (pt_regs offset 112), unsigned, no shift
        assertArg(spec, 0, 0, 1, 112, 0, 0);
        // -12(%rbp): dereference at offset -12 from rbp (32), signed, 32 bits cleared
        assertArg(spec, 1, -12, 2, 32, 1, 32);
        // the constant 5, 16 bits wide
        assertArg(spec, 2, 5, 0, 0, 0, 48);
        assertArg(spec, 3, 0, 1, 48, 1, 0);
        assertArg(spec, 4, 0, 2, 80, 0, 56);
        assertEquals(5, spec.getShort(200));
        assertEquals(0, spec.getLong(192));
    }

    @Test
    void operandsLibbpfCannotReadAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> UsdtNotes.encode("8@(%rax,%rdi,8)"));
        assertThrows(IllegalArgumentException.class, () -> UsdtNotes.encode("3@%rax"));
        assertThrows(IllegalArgumentException.class, () -> UsdtNotes.encode("8@%xmm0"));
    }

    @Test
    void theTestTargetsProbeSitesAndSemaphores() {
        UsdtTarget.requireNativeParts();
        List<UsdtNotes.Site> sites = UsdtNotes.sites(UsdtTarget.BINARY, "udp", "block_reconstructed");
        assertEquals(1, sites.size());
        // what readelf -n and the program headers say for this build: a site in the text, a semaphore in .probes
        assertEquals(7, sites.get(0).arguments().split(" ").length, sites.get(0).arguments());
        assertEquals(0, UsdtNotes.sites(UsdtTarget.BINARY, "udp", "no_such_probe").size());
        long semaphore = sites.get(0).semaphoreFileOffset();
        assertEquals(semaphore, UsdtNotes.sites(UsdtTarget.BINARY, "udp", "block_reconstructed").get(0).semaphoreFileOffset());
        assertEquals(true, semaphore > sites.get(0).fileOffset(), "the semaphore is in data, after the text");
    }

    private static void assertArg(ByteBuffer spec, int i, long valOff, int type, int regOff, int signed, int shift) {
        int at = i * 16;
        assertEquals(valOff, spec.getLong(at), "val_off of " + i);
        assertEquals(type, spec.getInt(at + 8), "arg_type of " + i);
        assertEquals(regOff, spec.getShort(at + 12), "reg_off of " + i);
        assertEquals(signed, spec.get(at + 14), "arg_signed of " + i);
        assertEquals(shift, spec.get(at + 15), "arg_bitshift of " + i);
    }
}
