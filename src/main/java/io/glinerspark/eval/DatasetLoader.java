package io.glinerspark.eval;

import io.glinerspark.dataset.ConllReader;
import io.glinerspark.dataset.GlinerJsonReader;
import io.glinerspark.dataset.GlinerJsonReader.PartialWords;
import io.glinerspark.dataset.GoldSpan;
import io.glinerspark.dataset.LabelledSentence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the datasets under an evaluation path and reads them with the project's dataset readers.
 *
 * <p>The path is one of: a GLiNER JSON dataset folder ({@code <split>.json} + {@code labels.json}); a folder whose
 * subfolders are such datasets; a CoNLL column file; a folder of CoNLL column files. A dataset is named after its
 * folder or file, which decides nested decoding by the reference's rule. A partially labelled sentence (its own
 * {@code "types"}) may name only types of its dataset's {@code labels.json}.
 */
public final class DatasetLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetLoader.class);
    private static final String LABELS_FILE = "labels.json";

    private final String split;
    private final Map<String, String> conllTypeNames;
    private final boolean forceNested;
    private final int limit;

    /**
     * @param split          which split file of a GLiNER JSON dataset to read ({@code test} reads {@code test.json});
     *                       in a folder of datasets, those without it are skipped with a warning
     * @param conllTypeNames CoNLL tag type to prompt (PER to person); its values, in order, are the prompts of a
     *                       CoNLL dataset, followed by the lower-cased types it does not name
     * @param forceNested    decode every dataset with nested spans, whatever its name
     * @param limit          read at most this many sentences per dataset (the first ones); 0 reads all
     */
    public DatasetLoader(String split, Map<String, String> conllTypeNames, boolean forceNested, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        this.split = split;
        this.conllTypeNames = Collections.unmodifiableMap(new LinkedHashMap<>(conllTypeNames));
        this.forceNested = forceNested;
        this.limit = limit;
    }

    /** The datasets at {@code path}, sorted by name when it is a folder of datasets. */
    public List<EvaluationDataset> load(Path given) {
        // names come from the last path element: "." or "data/.." must name the real folder
        Path path = given.toAbsolutePath().normalize();
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".json")) {
            throw new IllegalArgumentException(path + " is a JSON file: give the GLiNER dataset folder that holds it"
                    + " and its " + LABELS_FILE);
        }
        if (Files.isRegularFile(path)) {
            return List.of(conllDataset(path));
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such dataset file or folder: " + path);
        }
        if (Files.isRegularFile(path.resolve(LABELS_FILE))) {
            rejectTypeNames(path);
            return List.of(glinerDataset(path));
        }
        return folderDatasets(path);
    }

    /** GLiNER JSON datasets take their prompts from labels.json: a CoNLL type mapping would be silently ignored. */
    private void rejectTypeNames(Path path) {
        if (!conllTypeNames.isEmpty()) {
            throw new IllegalArgumentException("a label mapping applies to CoNLL files only, but " + path
                    + " holds GLiNER JSON datasets whose prompts come from " + LABELS_FILE);
        }
    }

    private List<EvaluationDataset> folderDatasets(Path folder) {
        List<Path> entries = list(folder);
        List<Path> glinerFolders = new ArrayList<>();
        for (Path entry : entries) {
            if (!Files.isDirectory(entry)) {
                continue;
            }
            if (!Files.isRegularFile(entry.resolve(LABELS_FILE))) {
                LOG.warn("skipping {}: no {}", entry, LABELS_FILE);
            } else if (!Files.isRegularFile(entry.resolve(split + ".json"))) {
                // in a benchmark folder some sets lack a split (no test set published): the others still count
                LOG.warn("skipping dataset {}: no {}.json", entry.getFileName(), split);
            } else {
                glinerFolders.add(entry);
            }
        }
        if (!glinerFolders.isEmpty()) {
            rejectTypeNames(folder);
            return glinerFolders.stream().map(this::glinerDataset).toList();
        }
        List<EvaluationDataset> datasets = entries.stream().filter(Files::isRegularFile).map(this::conllDataset).toList();
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("no dataset in " + folder + ": expected " + LABELS_FILE
                    + " with " + split + ".json, subfolders holding them, or CoNLL column files");
        }
        return datasets;
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private EvaluationDataset glinerDataset(Path folder) {
        String name = folder.getFileName().toString();
        Path splitFile = folder.resolve(split + ".json");
        if (!Files.isRegularFile(splitFile)) {
            throw new IllegalArgumentException("dataset " + name + " has no split file " + splitFile);
        }
        Path labelsFile = folder.resolve(LABELS_FILE);
        List<String> labels = distinctPrompts(GlinerJsonReader.readLabels(labelsFile), labelsFile);
        List<LabelledSentence> sentences = GlinerJsonReader.read(splitFile, name, PartialWords.UNMATCHABLE);
        Set<String> known = Set.copyOf(labels);
        for (int i = 0; i < sentences.size(); i++) {
            for (String type : sentences.get(i).annotatedTypes().orElse(List.of())) {
                if (!known.contains(type)) {
                    throw new IllegalArgumentException(splitFile + ": sentence " + i + ": type '" + type
                            + "' of its \"types\" is not in " + labelsFile);
                }
            }
        }
        long partial = sentences.stream().flatMap(sentence -> sentence.spans().stream())
                .filter(span -> span.start() < 0 || span.end() < 0).count();
        if (partial > 0) {
            LOG.warn("{}: {} gold entities cut through a word; as in the reference evaluation they count as gold"
                    + " that no prediction can match", splitFile, partial);
        }
        return dataset(name, labels, sentences);
    }

    private EvaluationDataset conllDataset(Path file) {
        String name = file.getFileName().toString();
        List<LabelledSentence> sentences = ConllReader.read(file, name, conllTypeNames);
        List<String> prompts = new ArrayList<>(conllTypeNames.values());
        Set<String> mapped = new LinkedHashSet<>();
        conllTypeNames.values().forEach(type -> mapped.add(type.toLowerCase(Locale.ROOT)));
        Set<String> unmapped = new TreeSet<>();
        for (LabelledSentence sentence : sentences) {
            for (GoldSpan span : sentence.spans()) {
                if (!mapped.contains(span.type())) {
                    unmapped.add(span.type());
                }
            }
        }
        if (!unmapped.isEmpty() && !conllTypeNames.isEmpty()) {
            LOG.warn("{}: types {} have no prompt in the label mapping; prompting them by their lower-cased names",
                    file, unmapped);
        }
        prompts.addAll(unmapped);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException(file + " has no entity and no label mapping: nothing to prompt for");
        }
        return dataset(name, distinctPrompts(prompts, file), sentences);
    }

    /** Lower-cased as the reference does, duplicates dropped as the engine would; blank labels are an error. */
    private static List<String> distinctPrompts(List<String> labels, Path source) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String label : labels) {
            if (label.isBlank()) {
                throw new IllegalArgumentException(source + ": blank label '" + label + "' cannot be a prompt");
            }
            distinct.add(label.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(distinct);
    }

    private EvaluationDataset dataset(String name, List<String> labels, List<LabelledSentence> sentences) {
        List<LabelledSentence> kept = limit > 0 && sentences.size() > limit ? sentences.subList(0, limit) : sentences;
        return new EvaluationDataset(name, labels, forceNested || EvaluationDataset.nestedByName(name), kept);
    }
}
