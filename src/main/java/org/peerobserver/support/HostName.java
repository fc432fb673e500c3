package org.peerobserver.support;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This host's name: the default node name of what this process publishes and exports. */
public final class HostName {
    private HostName() {
    }

    /** Without a DNS lookup where the system already knows it. */
    public static String local() {
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return "localhost";
            }
        }
    }
}
