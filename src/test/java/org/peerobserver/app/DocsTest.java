package org.peerobserver.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.peerobserver.testing.DocBlocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README and docs/ hold together: short README, links that lead somewhere, examples that are the real files. */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void readmeIsShortAndListsEveryDocsPage() throws IOException {
        Path readme = Path.of("README.md");
        assertTrue(Files.size(readme) <= 12_000, "README.md has " + Files.size(readme) + " bytes");
        String text = Files.readString(readme);
        for (Path page : DocBlocks.pages().subList(1, DocBlocks.pages().size())) {
            assertTrue(text.contains("](docs/" + page.getFileName() + ")"), "README.md's table lacks " + page);
        }
    }

    @Test
    void everyLinkBetweenThePagesLeadsToAFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : DocBlocks.pages()) {
            Matcher m = LINK.matcher(withoutCode(Files.readString(page)));
            while (m.find()) {
                String link = m.group(1);
                if (link.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = link.indexOf('#');
                Path target = hash == 0 ? page : page.resolveSibling(hash < 0 ? link : link.substring(0, hash)).normalize();
                if (!Files.exists(target)) {
                    broken.add(page + ": " + link + ": no such file");
                } else if (hash >= 0 && !anchors(target).contains(link.substring(hash + 1))) {
                    broken.add(page + ": " + link + ": no such heading");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void everyFileThePagesShowIsShownWordForWord() throws IOException {
        int shown = 0;
        for (Path page : DocBlocks.pages()) {
            for (DocBlocks b : DocBlocks.of(page)) {
                if (b.shows() != null) {
                    assertEquals(Files.readString(Path.of(b.shows())), b.text(), b.where() + " shows " + b.shows());
                    shown++;
                }
            }
        }
        assertTrue(shown >= 4, shown + " files shown");
    }

    /** ReadmeCommandsIT runs every shell block but those that say why not. */
    @Test
    void everyShellBlockIsRunOrSaysWhyNot() throws IOException {
        int run = 0;
        for (Path page : DocBlocks.pages()) {
            for (DocBlocks b : DocBlocks.of(page)) {
                if (!b.language().equals("sh") || b.notRun() != null) {
                    continue;
                }
                assertTrue(!b.commands().isEmpty(), b.where());
                for (String command : b.commands()) {
                    assertTrue(command.equals(DocBlocks.BUILD) || DocBlocks.LAUNCH.matcher(command).matches(),
                            b.where() + ": `" + command + "` cannot be run by ReadmeCommandsIT: mark the block <!-- not run: why -->");
                }
                run++;
            }
        }
        assertTrue(run >= 2, run + " blocks run");
    }

    private static String withoutCode(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : withoutCode(Files.readString(page)).split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
