package org.peerobserver.event;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectFilterTest {

    @Test
    void natsWildcards() {
        SubjectFilter upstream = new SubjectFilter(List.of("*"));
        assertTrue(upstream.matches("netmsg"));
        assertFalse(upstream.matches("ext.race"), "upstream tools subscribed to * must not see ext subjects");

        SubjectFilter ours = new SubjectFilter(List.of("*", "ext.*"));
        assertTrue(ours.matches("ext.race"));
        assertFalse(ours.matches("ext.race.more"));

        SubjectFilter all = new SubjectFilter(List.of(">"));
        assertTrue(all.matches("netmsg"));
        assertTrue(all.matches("ext.race.more"));

        SubjectFilter exact = new SubjectFilter(List.of("rpc", "ext.>"));
        assertTrue(exact.matches("rpc"));
        assertFalse(exact.matches("netmsg"));
        assertFalse(exact.matches("ext"));
        assertTrue(exact.matches("ext.log"));
    }
}
