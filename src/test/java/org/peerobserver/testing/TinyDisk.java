package org.peerobserver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A tmpfs of a few KiB (needs root, as the BPF tests do), to fill a disk for real and then give room back. */
public final class TinyDisk implements AutoCloseable {
    private final Path dir;

    public TinyDisk(String size) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("tiny-disk");
        assumeTrue(mount("-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()), "cannot mount a tmpfs here (not root?)");
    }

    public Path dir() {
        return dir;
    }

    /** Room returns: the same file system, larger. */
    public void grow(String size) throws IOException, InterruptedException {
        if (!mount("-o", "remount,size=" + size, dir.toString())) {
            throw new IOException("cannot remount " + dir + " with size " + size);
        }
    }

    private static boolean mount(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "mount";
        System.arraycopy(args, 0, command, 1, args.length);
        return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", dir.toString()).start().waitFor();
        Files.deleteIfExists(dir);
    }
}
