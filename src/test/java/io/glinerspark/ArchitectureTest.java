package io.glinerspark;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package structure, read from the sources' {@code package} and {@code import} lines: the project's packages form
 * no cycle, so each can be understood and tested with only the ones below it, and only the Spark layer sees Spark.
 * References inside one package need no import and are no dependency between packages.
 */
@Tag("core")
class ArchitectureTest {

    private static final Path ROOT = Path.of(System.getProperty("gliner.repo.root", "."));
    private static final String PROJECT = "io.glinerspark";
    private static final String SPARK_LAYER = "io.glinerspark.spark";
    private static final List<String> SPARK_ONLY = List.of("org.apache.spark.", "scala.", "io.delta.");
    private static final Set<String> TIERS = Set.of("core", "spark", "cluster", "tools");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;",
            Pattern.MULTILINE);
    private static final Pattern TAG = Pattern.compile("@Tag\\(\\s*\"([^\"]*)\"\\s*\\)");

    /** One source file: its package and the names it imports (types, static members or wildcard owners). */
    record Source(String file, String packageName, List<String> imports) {

        static Source parse(String file, String text) {
            Matcher pkg = PACKAGE.matcher(text);
            String packageName = pkg.find() ? pkg.group(1) : "";
            List<String> imports = new ArrayList<>();
            Matcher imp = IMPORT.matcher(text);
            while (imp.find()) {
                imports.add(imp.group(2));
            }
            return new Source(file, packageName, imports);
        }
    }

    @Test
    void projectPackagesFormNoCycle() {
        Map<String, Set<String>> graph = packageGraph(mainSources());
        List<List<String>> cycles = cycles(graph);
        assertTrue(cycles.isEmpty(), "package cycles: " + cycles + "; packages on cycles, each set depending on "
                + "itself: " + tangles(graph));
    }

    @Test
    void onlyTheSparkLayerImportsSparkScalaOrDelta() {
        List<String> violations = sparkImportsOutsideSparkLayer(mainSources());
        assertTrue(violations.isEmpty(), "Spark, Scala or Delta imported outside " + SPARK_LAYER + ": " + violations);
    }

    @Test
    void everyTestClassHasExactlyOneTierTag() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/test/java"))) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith("Test.java")).sorted().toList()) {
                String problem = tierProblem(file.getFileName().toString().replace(".java", ""),
                        Files.readString(file));
                if (problem != null) {
                    violations.add(ROOT.relativize(file) + ": " + problem);
                }
            }
        }
        assertTrue(violations.isEmpty(), "test classes without exactly one of the tags " + new TreeSet<>(TIERS)
                + ": " + violations);
    }

    @Test
    void cycleFinderReportsEachCycleAndNothingElse() {
        Map<String, Set<String>> graph = Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"), "d", Set.of(),
                "e", Set.of("a", "f"), "f", Set.of("e"), "g", Set.of("d"));
        assertEquals(List.of(List.of("a", "b", "c", "a"), List.of("e", "f", "e")), cycles(graph));
        assertEquals(List.of(Set.of("a", "b", "c"), Set.of("e", "f")), tangles(graph));
        assertEquals(List.of(), cycles(Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of())));
    }

    @Test
    void packageGraphLinksImportsToTheirPackagesOnly() {
        List<Source> sources = List.of(
                Source.parse("A.java", "package io.glinerspark.a;\nimport io.glinerspark.b.B;\nimport java.util.List;\n"
                        + "import static io.glinerspark.b.B.CONSTANT;\nimport io.glinerspark.a.Other;\n"),
                Source.parse("B.java", "package io.glinerspark.b;\nimport io.glinerspark.Root;\n"
                        + "import io.glinerspark.b.inner.*;\n"),
                Source.parse("Root.java", "package io.glinerspark;\nimport io.glinerspark.a.A.Nested;\n"),
                Source.parse("I.java", "package io.glinerspark.b.inner;\n"));
        Map<String, Set<String>> graph = packageGraph(sources);
        assertEquals(Set.of("io.glinerspark.b"), graph.get("io.glinerspark.a"));
        assertEquals(Set.of("io.glinerspark", "io.glinerspark.b.inner"), graph.get("io.glinerspark.b"));
        assertEquals(List.of(List.of("io.glinerspark", "io.glinerspark.a", "io.glinerspark.b", "io.glinerspark")),
                cycles(graph));
    }

    @Test
    void sparkImportsAreFoundOutsideTheSparkLayerOnly() {
        List<Source> sources = List.of(
                Source.parse("Core.java", "package io.glinerspark.eval;\nimport org.apache.spark.sql.Row;\n"),
                Source.parse("Seq.java", "package io.glinerspark.text;\nimport static scala.jdk.CollectionConverters.*;\n"),
                Source.parse("Lake.java", "package io.glinerspark;\nimport io.delta.tables.DeltaTable;\n"),
                Source.parse("Job.java", "package io.glinerspark.spark.jobs;\nimport org.apache.spark.sql.Row;\n"),
                Source.parse("Top.java", "package io.glinerspark.spark;\nimport scala.collection.Seq;\n"),
                Source.parse("Lookalike.java", "package io.glinerspark.sparkling;\nimport org.apache.spark.sql.Row;\n"));
        assertEquals(List.of("Core.java imports org.apache.spark.sql.Row",
                "Seq.java imports scala.jdk.CollectionConverters",
                "Lake.java imports io.delta.tables.DeltaTable",
                "Lookalike.java imports org.apache.spark.sql.Row"), sparkImportsOutsideSparkLayer(sources));
    }

    @Test
    void tierTagMustBeOneOfTheTiersAndAloneOnTheClass() {
        assertEquals(null, tierProblem("ATest", "@Tag(\"core\")\nclass ATest {\n    @Test void t() {}\n}"));
        assertEquals("no tier tag", tierProblem("ATest", "class ATest {\n    @Tag(\"core\") @Test void t() {}\n}"));
        assertEquals("tags [core, spark]", tierProblem("ATest", "@Tag(\"core\")\n@Tag(\"spark\")\nclass ATest {}"));
        assertEquals("tags [slow]", tierProblem("ATest", "@Tag(\"slow\")\nfinal class ATest {}"));
    }

    private static List<Source> mainSources() {
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().map(p -> {
                try {
                    return Source.parse(ROOT.relativize(p).toString(), Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Package to the other project packages it imports from. An import names a package's type, a type's nested
     * type or member, or (with {@code .*}) a package or type; its package is the longest project package that
     * prefixes it.
     */
    static Map<String, Set<String>> packageGraph(List<Source> sources) {
        Set<String> packages = new TreeSet<>();
        sources.forEach(s -> packages.add(s.packageName()));
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source source : sources) {
            if (!isProject(source.packageName())) {
                continue;
            }
            Set<String> targets = graph.computeIfAbsent(source.packageName(), k -> new TreeSet<>());
            for (String imported : source.imports()) {
                String target = packageOf(imported, packages);
                if (target != null && !target.equals(source.packageName())) {
                    targets.add(target);
                }
            }
        }
        return graph;
    }

    private static String packageOf(String imported, Set<String> packages) {
        String candidate = imported;
        while (!candidate.isEmpty()) {
            if (packages.contains(candidate) && isProject(candidate)) {
                return candidate;
            }
            int dot = candidate.lastIndexOf('.');
            candidate = dot < 0 ? "" : candidate.substring(0, dot);
        }
        return null;
    }

    private static boolean isProject(String packageName) {
        return packageName.equals(PROJECT) || packageName.startsWith(PROJECT + ".");
    }

    /**
     * One cycle through each strongly connected component of more than one node (Tarjan), from the component's
     * least node back to it, e.g. {@code [a, b, c, a]}; the components in the order of their least node.
     */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Set<String>> sorted = sorted(graph);
        List<List<String>> cycles = new ArrayList<>();
        for (Set<String> tangle : tangles(sorted)) {
            cycles.add(cycleThrough(tangle, sorted));
        }
        return cycles;
    }

    /** The strongly connected components of more than one node, in the order of their least node. */
    static List<Set<String>> tangles(Map<String, Set<String>> graph) {
        Map<String, Set<String>> sorted = sorted(graph);
        Tarjan tarjan = new Tarjan(sorted);
        sorted.keySet().forEach(tarjan::visit);
        List<Set<String>> tangles = new ArrayList<>();
        for (Set<String> component : tarjan.components) {
            if (component.size() > 1) {
                tangles.add(component);
            }
        }
        tangles.sort((x, y) -> x.iterator().next().compareTo(y.iterator().next()));
        return tangles;
    }

    /** The graph with every node that is only a target added, nodes and targets in order. */
    private static Map<String, Set<String>> sorted(Map<String, Set<String>> graph) {
        Map<String, Set<String>> sorted = new TreeMap<>();
        graph.forEach((node, targets) -> {
            sorted.computeIfAbsent(node, k -> new TreeSet<>()).addAll(targets);
            targets.forEach(t -> sorted.computeIfAbsent(t, k -> new TreeSet<>()));
        });
        return sorted;
    }

    /** A shortest path from the component's least node back to itself, inside the component (breadth first). */
    private static List<String> cycleThrough(Set<String> component, Map<String, Set<String>> graph) {
        String start = component.iterator().next();
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String node = queue.removeFirst();
            for (String next : graph.get(node)) {
                if (!component.contains(next)) {
                    continue;
                }
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = node; !at.equals(start); at = parent.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (!parent.containsKey(next)) {
                    parent.put(next, node);
                    queue.addLast(next);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + component);
    }

    /** Tarjan's strongly connected components, recursive: a package graph is a few dozen nodes deep at most. */
    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> components = new ArrayList<>();

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        void visit(String node) {
            if (index.containsKey(node)) {
                return;
            }
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : graph.get(node)) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(node));
                components.add(component);
            }
        }
    }

    static List<String> sparkImportsOutsideSparkLayer(List<Source> sources) {
        List<String> violations = new ArrayList<>();
        for (Source source : sources) {
            String pkg = source.packageName();
            if (pkg.equals(SPARK_LAYER) || pkg.startsWith(SPARK_LAYER + ".")) {
                continue;
            }
            for (String imported : source.imports()) {
                if (SPARK_ONLY.stream().anyMatch(imported::startsWith)) {
                    violations.add(source.file() + " imports " + imported);
                }
            }
        }
        return violations;
    }

    /**
     * What is wrong with the tier tags of test class {@code className} in {@code text}, or null: the tags written
     * before its declaration must be exactly one, and a tier.
     */
    static String tierProblem(String className, String text) {
        Matcher declaration = Pattern.compile("^[\\w ]*\\b(class|record|interface)\\s+" + Pattern.quote(className)
                + "\\b", Pattern.MULTILINE).matcher(text);
        if (!declaration.find()) {
            return "no class " + className;
        }
        List<String> tags = new ArrayList<>();
        Matcher tag = TAG.matcher(text.substring(0, declaration.start()));
        while (tag.find()) {
            tags.add(tag.group(1));
        }
        if (tags.isEmpty()) {
            return "no tier tag";
        }
        if (tags.size() > 1 || !TIERS.contains(tags.get(0))) {
            return "tags " + tags;
        }
        return null;
    }
}
