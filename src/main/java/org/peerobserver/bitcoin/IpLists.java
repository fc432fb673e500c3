package org.peerobserver.bitcoin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The IP lists upstream's list metrics match peers against, exact host strings one per line
 * ({@code #} starts a comment). They are read from a directory holding files named as upstream
 * names them; a missing file is an empty list, so those metrics stay 0.
 */
public record IpLists(Set<String> torExits, Set<String> gmaxBan, Set<String> moneroBan, Set<String> bitprojects) {
    /** Bounds memory if a wrong file is pointed at. */
    static final int MAX_ENTRIES = 1_000_000;

    public static IpLists none() {
        return new IpLists(Set.of(), Set.of(), Set.of(), Set.of());
    }

    /**
     * The lists a host is on, by short name, LinkingLion's ranges included ({@code linkinglion}, {@code tor_exit},
     * {@code gmax_ban}, {@code monero_ban}, {@code bitprojects}); empty for most hosts.
     */
    public List<String> flags(String host) {
        List<String> flags = new ArrayList<>(1);
        if (Addresses.isLinkingLion(host)) {
            flags.add("linkinglion");
        }
        if (torExits.contains(host)) {
            flags.add("tor_exit");
        }
        if (gmaxBan.contains(host)) {
            flags.add("gmax_ban");
        }
        if (moneroBan.contains(host)) {
            flags.add("monero_ban");
        }
        if (bitprojects.contains(host)) {
            flags.add("bitprojects");
        }
        return flags;
    }

    public static IpLists load(String directory) {
        if (directory == null || directory.isBlank()) {
            return none();
        }
        Path dir = Path.of(directory);
        return new IpLists(read(dir.resolve("torbulkexitlist")), read(dir.resolve("gmaxbanlist.txt")),
                read(dir.resolve("monerobanlist.txt")), read(dir.resolve("bitprojects-io.txt")));
    }

    private static Set<String> read(Path file) {
        Set<String> hosts = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int hash = line.indexOf('#');
                String host = (hash < 0 ? line : line.substring(0, hash)).trim();
                if (!host.isEmpty()) {
                    if (hosts.size() >= MAX_ENTRIES) {
                        throw new IllegalArgumentException(file + " has more than " + MAX_ENTRIES + " entries");
                    }
                    hosts.add(host);
                }
            }
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IP list " + file + ": " + e.getMessage(), e);
        }
        return hosts;
    }
}
