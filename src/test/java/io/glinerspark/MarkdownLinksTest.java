package io.glinerspark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README and the pages under docs/ link to each other by relative paths; a moved or renamed page, or a renamed
 * heading, must not leave a link pointing nowhere.
 */
@Tag("core")
class MarkdownLinksTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", ".")).toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

    @Test
    void everyRelativeLinkPointsToAnExistingFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : links(page)) {
                if (EXTERNAL.matcher(target).matches()) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no file " + ROOT.relativize(resolved) + ")");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading in "
                            + ROOT.relativize(resolved) + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "links that point nowhere");
    }

    @Test
    void theReadmeLinksEveryPageOfTheDocs() throws IOException {
        Set<Path> linked = new HashSet<>();
        Path readme = ROOT.resolve("README.md");
        for (String target : links(readme)) {
            int hash = target.indexOf('#');
            linked.add(ROOT.resolve(hash < 0 ? target : target.substring(0, hash)).normalize());
        }
        List<Path> unlinked = pages().stream().filter(page -> !page.equals(readme) && !linked.contains(page))
                .map(ROOT::relativize).toList();
        assertEquals(List.of(), unlinked, "docs pages the README does not link");
    }

    @Test
    void headingsBecomeTheAnchorsGitHubGivesThem() {
        assertEquals("python-pyspark-spark-connect-databricks", slug("Python: PySpark, Spark Connect, Databricks"));
        assertEquals("spark-the-extraction-job-spark-submit", slug("Spark: the extraction job (spark-submit)"));
        assertEquals("the-engine-java-no-spark-needed", slug("The engine (Java, no Spark needed)"));
        assertTrue(EXTERNAL.matcher("https://arxiv.org/abs/2311.08526").matches());
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Link targets of a page, outside code: fenced blocks and inline code hold examples, not links. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher matcher = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (matcher.find()) {
                targets.add(matcher.group(1));
            }
        }
        return targets;
    }

    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : prose(page)) {
            if (line.startsWith("#")) {
                anchors.add(slug(line.replaceFirst("^#+\\s*", "")));
            }
        }
        return anchors;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
    private static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static List<String> prose(Path page) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }
}
