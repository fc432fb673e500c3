package org.peerobserver.support.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Authorization header values a scraper or an attacker may send. */
class BasicAuthTest {
    private final BasicAuth auth = new BasicAuth("prometheus", "pä:ss", "test");

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsOnlyTheExactCredentials() {
        assertTrue(auth.accepts(basic("prometheus:pä:ss")));
        assertTrue(auth.accepts("basic " + basic("prometheus:pä:ss").substring(6)), "the scheme is case-insensitive");
        assertFalse(auth.accepts(basic("prometheus:pä:s")));
        assertFalse(auth.accepts(basic("prometheus:pä:ss ")));
        assertFalse(auth.accepts(basic("prometheu:pä:ss")));
        assertFalse(auth.accepts(basic("")));
    }

    @Test
    void refusesMissingOtherSchemesAndGarbage() {
        assertFalse(auth.accepts(null));
        assertFalse(auth.accepts("Bearer " + basic("prometheus:pä:ss").substring(6)));
        assertFalse(auth.accepts("Basic %%%not-base64"));
        assertFalse(auth.accepts("Basic"));
    }

    @Test
    void unusableSettingsFailAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> new BasicAuth("user", "", "r"));
        assertThrows(IllegalArgumentException.class, () -> new BasicAuth("", "password", "r"));
        assertThrows(IllegalArgumentException.class, () -> new BasicAuth("us:er", "password", "r"));
    }
}
