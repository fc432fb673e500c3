package org.peerobserver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the README and the docs pages, with the HTML comment on the line before each
 * ({@code <!-- not run: why -->}, {@code <!-- file: path -->}) and, for a shell block, the plain block that
 * shows what it prints (the first one after it, before any heading or other code block).
 */
public record DocBlocks(Path file, int line, String language, String note, String text, String output) {
    private static final Pattern NOTE = Pattern.compile("^<!-- (.+?) -->$");
    /** A shell line that starts the application: environment assignments, the launcher, its arguments. */
    public static final Pattern LAUNCH = Pattern.compile("^((?:[A-Z_][A-Z0-9_]*=\\S*\\s+)*)bin/peer-observer(\\s.*)?$");
    /** The build the launcher itself runs when the jar is missing; the tests run after it. */
    public static final String BUILD = "mvn -B -q package -DskipTests";

    /** README.md and every page of docs/. */
    public static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    public static List<DocBlocks> of(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<DocBlocks> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            String language = lines.get(i).substring(3).strip();
            int end = closing(lines, i, file);
            String note = null;
            for (int j = i - 1; j >= 0 && note == null; j--) {
                if (!lines.get(j).isBlank()) {
                    Matcher m = NOTE.matcher(lines.get(j).strip());
                    note = m.matches() ? m.group(1) : "";
                }
            }
            String output = null;
            if (language.equals("sh")) {
                for (int j = end + 1; j < lines.size() && !lines.get(j).startsWith("#"); j++) {
                    if (lines.get(j).startsWith("```")) {
                        if (lines.get(j).equals("```")) {
                            output = String.join("\n", lines.subList(j + 1, closing(lines, j, file)));
                        }
                        break;
                    }
                }
            }
            blocks.add(new DocBlocks(file, i + 1, language, note == null || note.isEmpty() ? null : note,
                    String.join("\n", lines.subList(i + 1, end)) + "\n", output));
            i = end;
        }
        return blocks;
    }

    private static int closing(List<String> lines, int open, Path file) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).startsWith("```")) {
                return j;
            }
        }
        throw new AssertionError(file + ":" + (open + 1) + ": a code block that is never closed");
    }

    /** The block's reason not to be run ({@code <!-- not run: why -->}), or null. */
    public String notRun() {
        return note != null && note.startsWith("not run: ") ? note.substring("not run: ".length()).strip() : null;
    }

    /** The file the block shows, word for word ({@code <!-- file: path -->}), or null. */
    public String shows() {
        return note != null && note.startsWith("file: ") ? note.substring("file: ".length()).strip() : null;
    }

    /** The shell commands: continuation lines joined, comments and blank lines left out. */
    public List<String> commands() {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String code = line.replaceFirst("(^|\\s+)#.*", "").strip();
            if (code.endsWith("\\")) {
                current.append(code, 0, code.length() - 1).append(' ');
            } else if (!code.isEmpty() || current.length() > 0) {
                commands.add(current.append(code).toString().strip());
                current.setLength(0);
            }
        }
        return commands;
    }

    public String where() {
        return file + ":" + line;
    }
}
