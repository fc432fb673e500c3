package org.peerobserver.cli;

import java.util.List;

/**
 * A way to run the application: which extractor and tool routes it enables, and the flags it takes.
 * {@code ownBus} is true for one-role subcommands (one extractor, or one tool), which, like upstream's
 * binaries, only make sense on NATS shared with other processes.
 */
record Subcommand(String name, String summary, String extractors, String tools, boolean ownBus, List<Flag> flags) {
}
