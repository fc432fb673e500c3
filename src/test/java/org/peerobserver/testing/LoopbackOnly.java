package org.peerobserver.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Keeps every test in the JVM on loopback: a socket connect to any other address is stopped before it reaches
 * the network (tests may only dial loopback or a network namespace they made). Registered for the whole test
 * run through META-INF/services; the application under an IT runs in its own process and dials what its test
 * gives it.
 */
public final class LoopbackOnly implements LauncherSessionListener {
    private SocketDials dials;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        dials = SocketDials.record();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (dials != null) {
            dials.close();
        }
    }
}
