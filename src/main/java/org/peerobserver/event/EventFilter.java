package org.peerobserver.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which events a subscriber wants, by subject (NATS wildcards, {@link SubjectFilter}) and by kind: a kind
 * ({@code message.ping}) or a group of them ({@code message}). Empty lists want everything. The lists come
 * from strangers (websocket query parameters) and from route files, so both are bounded and checked.
 */
public final class EventFilter {
    public static final int MAX_ENTRIES = 32;
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9_.*>-]{1,100}");

    private final SubjectFilter subjects;
    private final List<String> kinds;

    public EventFilter(List<String> subjects, List<String> kinds) {
        this.subjects = subjects.isEmpty() ? null : new SubjectFilter(subjects);
        this.kinds = List.copyOf(kinds);
    }

    public boolean matches(String subject, String kind) {
        return (subjects == null || subjects.matches(subject)) && wantsKind(kind);
    }

    public boolean wantsKind(String kind) {
        if (kinds.isEmpty()) {
            return true;
        }
        for (String k : kinds) {
            if (kind.equals(k) || (kind.startsWith(k) && kind.length() > k.length() && kind.charAt(k.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    /**
     * The comma-separated entries of {@code parts} (one value, or a parameter given several times), at most
     * {@value #MAX_ENTRIES}, each a subject or kind; {@code name} names the parameter in the error.
     */
    public static List<String> entries(String name, Iterable<?> parts) {
        List<String> entries = new ArrayList<>();
        for (Object part : parts) {
            Arrays.stream(part.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(entries::add);
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(name + ": more than " + MAX_ENTRIES + " entries");
        }
        for (String entry : entries) {
            if (!ENTRY.matcher(entry).matches()) {
                throw new IllegalArgumentException(name + ": '" + (entry.length() > 40 ? entry.substring(0, 40) + "..." : entry)
                        + "' is not a subject or kind");
            }
        }
        return entries;
    }
}
