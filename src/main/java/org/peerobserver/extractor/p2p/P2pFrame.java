package org.peerobserver.extractor.p2p;

/** One checked v1 message: its command and payload. */
record P2pFrame(String command, byte[] payload) {
}
