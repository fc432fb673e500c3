package org.peerobserver.tool.fibre;

/** The ways a new block reaches the node, as named in metrics labels and race events. */
enum Mechanism {
    FIBRE_UDP("fibre_udp"),
    CMPCTBLOCK("cmpctblock"),
    HEADERS("headers"),
    INV("inv"),
    BLOCK("block");

    final String label;

    Mechanism(String label) {
        this.label = label;
    }
}
