package io.glinerspark.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which files of a remote folder or repository make up a GLiNER bundle for one ONNX variant. Remote sources copy only
 * these: a repository often holds several ONNX variants and PyTorch weights, each hundreds of megabytes.
 * Paths are relative, with '/' separators.
 */
final class BundleFiles {

    static final String CONFIG = "gliner_config.json";
    static final String TOKENIZER = "tokenizer.json";

    /**
     * Files that sit at the bundle root: the configuration and tokenizer every bundle has, then the label encoder and
     * its tokenizer of a bi-encoder, then the tokenizer's optional companions.
     */
    private static final List<String> ROOT_FILES = List.of(CONFIG, TOKENIZER,
            "labels_encoder.onnx", "labels_tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json");

    private static final String ONNX_FOLDER = "onnx/";
    /** The root files the model reads; the others are fetched with a bundle but never read. */
    private static final int MODEL_ROOT_FILES = 4;

    private BundleFiles() {
    }

    /** Whether {@code file} is one of the tokenizer's optional companions at the bundle root. */
    static boolean isRootCompanion(String file) {
        return ROOT_FILES.indexOf(file) >= MODEL_ROOT_FILES;
    }

    /**
     * Where the ONNX file may sit, in order of preference: a bare name at the root, then under {@code onnx/}; a name
     * with a folder exactly there. For {@value BundleGraphs#AUTO}, where the CPU graph may sit.
     */
    static List<String> onnxCandidates(String onnxFile) {
        String name = BundleGraphs.isAuto(onnxFile) ? BundleGraphs.CPU_GRAPH : checkedOnnxFile(onnxFile);
        return name.contains("/") ? List.of(name) : List.of(name, ONNX_FOLDER + name);
    }

    /** Folders (relative, "" = root) whose listing {@link #select} needs. */
    static Set<String> foldersToList(String onnxFile) {
        Set<String> folders = new TreeSet<>(List.of("", "onnx"));
        for (String candidate : onnxCandidates(onnxFile)) {
            int slash = candidate.lastIndexOf('/');
            folders.add(slash < 0 ? "" : candidate.substring(0, slash));
        }
        return folders;
    }

    /**
     * The files of the local bundle {@code folder} that {@link #select} and {@link BundleGraphs#find} look at: those of
     * the folders {@code onnxFile} needs listed, relative with '/' separators.
     *
     * @throws ModelSourceException when a folder cannot be listed
     */
    static TreeSet<String> listed(Path folder, String onnxFile) {
        TreeSet<String> available = new TreeSet<>();
        for (String sub : foldersToList(onnxFile)) {
            Path dir = sub.isEmpty() ? folder : folder.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> listing = Files.list(dir)) {
                listing.filter(Files::isRegularFile)
                        .forEach(file -> available.add(sub.isEmpty() ? file.getFileName().toString()
                                : sub + "/" + file.getFileName()));
            } catch (IOException e) {
                throw new ModelSourceException("cannot list model folder " + dir + ": " + e, e);
            }
        }
        return available;
    }

    /**
     * The files to fetch from {@code available}: the root configuration and tokenizer files that exist, then for each
     * graph of {@link BundleGraphs} (the GPU graph, if the setting takes one and the bundle has it, then the CPU graph)
     * its external-data files and the graph itself, so that the CPU graph comes LAST. A cached copy that holds the CPU
     * graph is therefore complete, which is what offline use checks.
     *
     * @throws ModelSourceException naming {@code source} when the config, the tokenizer or the ONNX file is missing
     */
    static List<String> select(Collection<String> available, String onnxFile, String source) {
        Set<String> files = new TreeSet<>(available);
        List<String> missing = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (String name : ROOT_FILES) {
            if (files.contains(name)) {
                selected.add(name);
            } else if (name.equals(CONFIG) || name.equals(TOKENIZER)) {
                missing.add(name);
            }
        }
        BundleGraphs graphs = BundleGraphs.find(files, onnxFile);
        if (graphs == null) {
            missing.add(String.join(" or ", onnxCandidates(onnxFile)));
        }
        if (!missing.isEmpty()) {
            List<String> onnxPresent = files.stream().filter(f -> f.endsWith(".onnx")).toList();
            throw new ModelSourceException(source + " is not a complete GLiNER ONNX bundle: missing " + String.join(", ", missing)
                    + "; ONNX files present: " + (onnxPresent.isEmpty() ? "none" : String.join(", ", onnxPresent))
                    + (onnxPresent.isEmpty() ? "" : " (choose one with the ONNX file option)"));
        }
        for (String graph : graphs.all()) {
            files.stream().filter(f -> isExternalDataOf(f, graph)).forEach(selected::add);
            selected.add(graph);
        }
        return selected;
    }

    /**
     * External tensor data saved next to the graph, as exporters usually name it: {@code model.onnx_data},
     * {@code model.onnx.data}, or numbered pieces of those. Another variant's data in the same folder is not included.
     */
    private static boolean isExternalDataOf(String file, String onnx) {
        return file.startsWith(onnx + "_data") || file.startsWith(onnx + ".data");
    }

    /**
     * The bundle-relative paths of the external-data files that the ONNX file at {@code onnxPath} names
     * ({@link OnnxExternalData}), read through {@code bytes}; none when the file is not an ONNX model message (ONNX
     * Runtime reports that itself when it loads it).
     *
     * @throws ModelSourceException naming {@code source} when a location leads outside the bundle folder
     */
    static List<String> externalData(String onnxPath, OnnxExternalData.Bytes bytes, String source) throws IOException {
        List<String> locations;
        try {
            locations = OnnxExternalData.locations(bytes);
        } catch (OnnxExternalData.NotOnnxException e) {
            return List.of();
        }
        List<String> paths = new ArrayList<>();
        for (String location : locations) {
            paths.add(OnnxExternalData.bundlePath(onnxPath, location, source));
        }
        return paths;
    }

    private static String checkedOnnxFile(String onnxFile) {
        if (onnxFile == null || onnxFile.isBlank()) {
            throw new ModelSourceException("ONNX file name is empty");
        }
        String name = onnxFile.strip();
        if (name.startsWith("/") || name.contains("\\") || name.endsWith("/")
                || List.of(name.split("/")).stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
            throw new ModelSourceException("ONNX file name '" + onnxFile + "' must be a file name or a relative path inside the bundle");
        }
        return name;
    }
}
