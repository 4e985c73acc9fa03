package io.glinerspark.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a local bundle folder holds, by content: the files the model uses for one ONNX variant and a SHA-256
 * fingerprint over their bytes. Two folders with the same files (a Hugging Face snapshot and a local copy of it,
 * an ONNX file at the root or under {@code onnx/}) have the same fingerprint; one changed byte changes it.
 *
 * <p>The fingerprint covers, in this order, {@code gliner_config.json}, {@code tokenizer.json}, and for each graph the
 * setting takes (with {@value BundleGraphs#AUTO}: the GPU graph when the bundle has one, then the CPU graph; both are
 * the one model whichever device loads it) the graph's external-data files (those named like {@code model.onnx_data}
 * or {@code model.onnx.data}, and every file the graph itself names as the location of a tensor's data, whatever its
 * name) and the graph; each enters as its path relative to the CPU graph's folder (other files: their name), its size and the SHA-256 of its bytes, which are
 * streamed, never held in memory. Each folder is hashed once per JVM: the result is kept for as long as the files'
 * paths, sizes and modification times stay the same. Thread-safe.
 */
public final class BundleFingerprint {

    private static final int BUFFER_BYTES = 1 << 20;
    private static final Map<String, String> KNOWN = new ConcurrentHashMap<>();

    private BundleFingerprint() {
    }

    /**
     * The files of {@code folder} that the model uses with {@code onnxFile}, relative with '/' separators, in
     * fingerprint order: configuration, tokenizer, then each graph's external data and the graph, for every graph the
     * setting takes ({@link BundleGraphs}: the GPU graph, if any, then the CPU graph last).
     *
     * @throws ModelSourceException when the folder lacks the configuration, the tokenizer or the ONNX file
     */
    public static List<String> files(Path folder, String onnxFile) {
        TreeSet<String> available = BundleFiles.listed(folder, onnxFile);
        List<String> selected = BundleFiles.select(available, onnxFile, folder.toString());
        List<String> graphs = BundleGraphs.find(available, onnxFile).all();
        List<String> used = new ArrayList<>();
        for (String file : selected) {
            // The tokenizer's companion files are fetched with a bundle but never read by the model.
            if (BundleFiles.isRootCompanion(file)) {
                continue;
            }
            // Every graph ONNX Runtime loads, the label encoder of a bi-encoder included.
            if (graphs.contains(file) || file.endsWith(".onnx")) {
                for (String data : namedExternalData(folder, file)) {
                    if (!used.contains(data)) {
                        used.add(data);
                    }
                }
            }
            if (!used.contains(file)) {
                used.add(file);
            }
        }
        return used;
    }

    /** The external-data files the ONNX file names inside itself, checked to exist in the folder. */
    private static List<String> namedExternalData(Path folder, String onnx) {
        Path onnxPath = folder.resolve(onnx);
        List<String> named;
        try (FileChannel channel = FileChannel.open(onnxPath, StandardOpenOption.READ)) {
            named = BundleFiles.externalData(onnx, OnnxExternalData.of(channel), folder.toString());
        } catch (IOException e) {
            throw new ModelSourceException("cannot read ONNX file " + onnxPath + ": " + e, e);
        }
        for (String file : named) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                throw new ModelSourceException("ONNX file " + onnx + " of " + folder + " keeps tensor data in " + file
                        + ", which is missing from the folder");
            }
        }
        return named;
    }

    /**
     * The content fingerprint (64 hex digits) of the bundle in {@code folder} for {@code onnxFile}.
     *
     * @throws ModelSourceException when the bundle is incomplete or a file cannot be read
     */
    public static String of(Path folder, String onnxFile) {
        List<String> files = files(folder, onnxFile);
        StringBuilder key = new StringBuilder();
        try {
            for (String file : files) {
                Path path = folder.resolve(file).toAbsolutePath();
                key.append(path).append('\t').append(Files.size(path)).append('\t')
                        .append(Files.getLastModifiedTime(path).toMillis()).append('\n');
            }
        } catch (IOException e) {
            throw new ModelSourceException("cannot read model folder " + folder + ": " + e, e);
        }
        return KNOWN.computeIfAbsent(key.toString(), k -> hash(folder, files));
    }

    private static String hash(Path folder, List<String> files) {
        String onnx = files.get(files.size() - 1);
        String onnxFolder = onnx.substring(0, onnx.lastIndexOf('/') + 1);
        MessageDigest bundle = Checksums.sha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        for (String file : files) {
            Path path = folder.resolve(file);
            MessageDigest content = Checksums.sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(path)) {
                for (int read; (read = in.read(buffer)) > 0; ) {
                    content.update(buffer, 0, read);
                    size += read;
                }
            } catch (IOException e) {
                throw new ModelSourceException("cannot read model file " + path + ": " + e, e);
            }
            // Named relative to the ONNX file's folder, so that the same bundle has one fingerprint wherever its ONNX file sits.
            String name = file.startsWith(onnxFolder) ? file.substring(onnxFolder.length()) : file.substring(file.lastIndexOf('/') + 1);
            bundle.update((name + '\t' + size + '\t' + Checksums.hex(content.digest()) + '\n')
                    .getBytes(StandardCharsets.UTF_8));
        }
        return Checksums.hex(bundle.digest());
    }
}
