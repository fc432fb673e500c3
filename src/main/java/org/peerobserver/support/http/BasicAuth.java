package org.peerobserver.support.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP basic authentication for one user. The comparison takes the same time wherever the given
 * credentials differ, so response timing tells an attacker nothing about how close a guess was.
 */
public final class BasicAuth {
    private static final String SCHEME = "Basic ";

    private final byte[] expected;
    private final String realm;

    public BasicAuth(String username, String password, String realm) {
        if (username.isEmpty() || password.isEmpty() || username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("basic auth needs a user name without ':' and a non-empty password");
        }
        this.expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        this.realm = realm;
    }

    /**
     * The basic auth two settings ask for: null when both are empty (the port is open), refused when
     * only one is set, as that is a half-done configuration rather than a wish for an open port.
     */
    public static BasicAuth optional(String username, String password, String realm, String userSetting,
            String passwordSetting) {
        if (username.isEmpty() != password.isEmpty()) {
            throw new IllegalArgumentException("Set both " + userSetting + " and " + passwordSetting + ", or neither");
        }
        return username.isEmpty() ? null : new BasicAuth(username, password, realm);
    }

    /** Whether an {@code Authorization} header value (null if absent) carries this user's credentials. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        // MessageDigest.isEqual is constant-time in the contents (it leaks only the length, which is public anyway)
        return MessageDigest.isEqual(given, expected);
    }

    /** The {@code WWW-Authenticate} value of a 401. */
    public String challenge() {
        return "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
    }
}
