package org.peerobserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The rooms of the main code and which way their arrows point.
 *
 * <ul>
 *   <li>{@code app}: {@code org.peerobserver} itself and {@code cli}; it wires everything, and nothing uses it;</li>
 *   <li>each tool ({@code tool.<name>}) and each extractor ({@code extractor.<name>}) is a room of its own: no tool
 *       uses another tool or an extractor, no extractor uses another extractor or a tool;</li>
 *   <li>what they share sits below them, and each shared room uses only those under it: {@code bus} uses
 *       {@code event}, {@code bitcoin} and {@code support}; {@code event} uses {@code bitcoin} and {@code support};
 *       {@code bitcoin} uses {@code support}; {@code support} uses nothing of ours;</li>
 *   <li>{@code proto}, generated from src/main/proto, may be used by all and uses none of them.</li>
 * </ul>
 * A package outside every room fails: a new one must find its place here first. The rule is checked on the compiled
 * classes and on the sources' references, as javac copies a constant into the class that reads it, so reading only
 * another room's constants leaves no trace in the bytecode.
 */
@AnalyzeClasses(packages = "org.peerobserver", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ROOT = "org.peerobserver";
    /** What each kind of room may use besides itself and proto. */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "app", Set.of("tool", "extractor", "bus", "event", "bitcoin", "support"),
            "tool", Set.of("bus", "event", "bitcoin", "support"),
            "extractor", Set.of("bus", "event", "bitcoin", "support"),
            "bus", Set.of("event", "bitcoin", "support"),
            "event", Set.of("bitcoin", "support"),
            "bitcoin", Set.of("support"),
            "support", Set.of(),
            "proto", Set.of());
    /** A class named in source: the packages before its first capitalised name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.peerobserver(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

    /** The room of one of our packages: app, tool.&lt;name&gt;, extractor.&lt;name&gt;, bus, ...; null if none. */
    static String room(String pkg) {
        if (pkg.equals(ROOT) || pkg.equals(ROOT + ".cli") || pkg.startsWith(ROOT + ".cli.")) {
            return "app";
        }
        String[] parts = pkg.substring(ROOT.length() + 1).split("\\.");
        return switch (parts[0]) {
            case "tool", "extractor" -> parts.length > 1 ? parts[0] + "." + parts[1] : null;
            case "bus", "event", "bitcoin", "support", "proto" -> parts[0];
            default -> null;
        };
    }

    static boolean ours(String pkg) {
        return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
    }

    /** Why {@code from} may not use {@code to}, or null if it may. */
    static String refusal(String fromPackage, String toPackage) {
        String from = room(fromPackage);
        String to = room(toPackage);
        if (from == null || to == null) {
            return (from == null ? fromPackage : toPackage) + " is in no room";
        }
        if (from.equals(to) || to.equals("proto") || MAY_USE.get(kind(from)).contains(kind(to))) {
            return null;
        }
        return from + " may not use " + to;
    }

    private static String kind(String room) {
        int dot = room.indexOf('.');
        return dot < 0 ? room : room.substring(0, dot);
    }

    private static final ArchCondition<JavaClass> USE_ONLY_ROOMS_BELOW =
            new ArchCondition<>("use only their own room, the shared rooms below it and proto") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    String own = c.getPackageName();
                    if (room(own) == null) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + ": " + own + " is in no room"));
                        return;
                    }
                    for (Dependency d : c.getDirectDependenciesFromSelf()) {
                        String target = d.getTargetClass().getBaseComponentType().getPackageName();
                        String refusal = ours(target) ? refusal(own, target) : null;
                        if (refusal != null) {
                            events.add(SimpleConditionEvent.violated(d, d.getDescription() + ": " + refusal));
                        }
                    }
                }
            };

    @ArchTest
    static final ArchRule ARROWS_POINT_DOWN = classes().that().resideInAPackage(ROOT + "..").should(USE_ONLY_ROOMS_BELOW);

    @ArchTest
    static void sourcesPointDownToo(JavaClasses ignored) throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(file);
                Matcher p = PACKAGE.matcher(text);
                String own = p.find() ? p.group(1) : "";
                Matcher m = REFERENCE.matcher(text);
                while (m.find()) {
                    String refusal = refusal(own, m.group(1));
                    if (refusal != null) {
                        wrong.add(file + ": " + m.group() + ": " + refusal);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @ArchTest
    static void theRulesThemselves(JavaClasses ignored) {
        assertNull(refusal(ROOT + ".tool.fibre", ROOT + ".support.prometheus"));
        assertNull(refusal(ROOT, ROOT + ".extractor.replay"));
        assertNull(refusal(ROOT + ".bus", ROOT + ".proto.event"));
        assertEquals("tool.fibre may not use tool.metrics", refusal(ROOT + ".tool.fibre", ROOT + ".tool.metrics"));
        assertEquals("tool.connectivity may not use extractor.p2p", refusal(ROOT + ".tool.connectivity", ROOT + ".extractor.p2p"));
        assertEquals("extractor.ebpf may not use extractor.p2p", refusal(ROOT + ".extractor.ebpf", ROOT + ".extractor.p2p"));
        assertEquals("extractor.p2p may not use tool.connectivity", refusal(ROOT + ".extractor.p2p", ROOT + ".tool.connectivity"));
        assertEquals("support may not use event", refusal(ROOT + ".support.http", ROOT + ".event"));
        assertEquals("bitcoin may not use event", refusal(ROOT + ".bitcoin", ROOT + ".event"));
        assertEquals("event may not use bus", refusal(ROOT + ".event", ROOT + ".bus"));
        assertEquals("bus may not use tool.metrics", refusal(ROOT + ".bus", ROOT + ".tool.metrics"));
        assertEquals("tool.metrics may not use app", refusal(ROOT + ".tool.metrics", ROOT));
        assertEquals("proto may not use support", refusal(ROOT + ".proto.event", ROOT + ".support"));
        assertEquals(ROOT + ".tool is in no room", refusal(ROOT + ".tool", ROOT + ".support"));
        assertEquals(ROOT + ".shared is in no room", refusal(ROOT + ".bus", ROOT + ".shared"));
    }
}
