package io.glinerspark.source;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bundle folder on any Hadoop FileSystem ({@code hdfs://}, {@code s3a://}, {@code abfss://}, {@code gs://},
 * {@code dbfs:/}, ...), copied to the local cache because ONNX Runtime and the tokenizer read local files. The copy is
 * keyed by the URI, the ONNX file chosen and the size and modification time of every copied file, so a changed remote
 * model gets a fresh copy and an unchanged one costs one listing. A copy is reused only while its
 * {@link BundleFingerprint} equals the one recorded when it was written; a damaged copy is written anew.
 *
 * <p>The only class of this package that touches Hadoop: it is loaded only when a Hadoop URI is resolved.
 */
final class HadoopFolderSource {

    private HadoopFolderSource() {
    }

    static Path resolve(String source, String onnxFile, Path cacheRoot, Map<String, String> hadoopConf) {
        Configuration conf = new Configuration();
        hadoopConf.forEach(conf::set);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(source);
        // A private instance: closing a cached FileSystem would break every other user of it in this JVM (Spark's own).
        try (FileSystem fs = FileSystem.newInstance(root.toUri(), conf)) {
            FileStatus rootStatus = fs.getFileStatus(root);
            if (!rootStatus.isDirectory()) {
                throw new ModelSourceException("model source " + source + " is a file, not a folder holding a GLiNER bundle");
            }
            Map<String, FileStatus> listing = list(fs, root, BundleFiles.foldersToList(onnxFile));
            List<String> selected = new ArrayList<>(BundleFiles.select(listing.keySet(), onnxFile, source));
            String onnx = selected.get(selected.size() - 1);
            List<String> named;
            try (FSDataInputStream in = fs.open(listing.get(onnx).getPath())) {
                long size = listing.get(onnx).getLen();
                named = BundleFiles.externalData(onnx, new OnnxExternalData.Bytes() {
                    @Override
                    public long size() {
                        return size;
                    }

                    @Override
                    public int read(long position, byte[] into, int offset, int length) throws IOException {
                        return in.read(position, into, offset, length);
                    }
                }, source);
            }
            for (String file : named) {
                if (!selected.contains(file)) {
                    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(root, file);
                    FileStatus status;
                    try {
                        status = fs.getFileStatus(path);
                    } catch (FileNotFoundException e) {
                        throw new ModelSourceException("ONNX file " + onnx + " of " + source + " keeps tensor data in " + file
                                + ", which the folder does not have", e);
                    }
                    listing.put(file, status);
                    // Before the ONNX file, which stays last.
                    selected.add(selected.size() - 1, file);
                }
            }
            Path target = cacheRoot.resolve(folderName(root) + "-" + key(source, onnxFile, selected, listing));
            return AtomicFolder.publish(target, folder -> {
                for (String file : selected) {
                    copy(fs, listing.get(file), folder.resolve(file), source, file);
                }
            }, new FingerprintCheck(onnxFile));
        } catch (UnsupportedFileSystemException e) {
            throw new ModelSourceException("no Hadoop FileSystem for the scheme of model source " + source
                    + " (add its connector, e.g. hadoop-aws for s3a://, or set fs.<scheme>.impl): " + e.getMessage(), e);
        } catch (FileNotFoundException e) {
            throw new ModelSourceException("model folder " + source + " does not exist: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelSourceException("cannot copy model folder " + source + " into " + cacheRoot + ": " + e, e);
        }
    }

    /**
     * A copy proves itself by its {@link BundleFingerprint}, recorded in {@code .verified/<folder name>} next to it when
     * it was written: the remote store gives no checksums of its own.
     */
    private record FingerprintCheck(String onnxFile) implements AtomicFolder.Check {

        @Override
        public void record(Path filled, Path target) throws IOException {
            Path record = recordOf(target);
            CacheFolders.createPrivateDirectories(record.getParent());
            Path partial = Files.createTempFile(record.getParent(), "." + record.getFileName(), ".incomplete");
            try {
                Files.writeString(partial, BundleFingerprint.of(filled, onnxFile));
                Files.move(partial, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        }

        @Override
        public boolean holds(Path target) throws IOException {
            Path record = recordOf(target);
            return Files.isRegularFile(record) && Files.readString(record).strip().equals(BundleFingerprint.of(target, onnxFile));
        }

        private static Path recordOf(Path target) {
            return target.resolveSibling(".verified").resolve(target.getFileName().toString());
        }
    }

    /** Files of the given sub-folders (relative, "" = root) by relative path; absent sub-folders are skipped. */
    private static Map<String, FileStatus> list(FileSystem fs, org.apache.hadoop.fs.Path root, Iterable<String> folders) throws IOException {
        Map<String, FileStatus> files = new TreeMap<>();
        for (String folder : folders) {
            org.apache.hadoop.fs.Path dir = folder.isEmpty() ? root : new org.apache.hadoop.fs.Path(root, folder);
            if (!folder.isEmpty() && !fs.exists(dir)) {
                continue;
            }
            for (FileStatus status : fs.listStatus(dir)) {
                if (status.isFile()) {
                    String name = status.getPath().getName();
                    files.put(folder.isEmpty() ? name : folder + "/" + name, status);
                }
            }
        }
        return files;
    }

    private static String key(String source, String onnxFile, List<String> selected, Map<String, FileStatus> listing) {
        StringBuilder text = new StringBuilder(source).append('\n').append(onnxFile).append('\n');
        for (String file : selected) {
            FileStatus status = listing.get(file);
            text.append(file).append('\t').append(status.getLen()).append('\t').append(status.getModificationTime()).append('\n');
        }
        return Checksums.sha256Hex(text.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The remote folder's own name, kept readable in the cache; the hash suffix makes it unique. */
    private static String folderName(org.apache.hadoop.fs.Path root) {
        String name = root.getName().replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "model" : name;
    }

    private static void copy(FileSystem fs, FileStatus status, Path target, String source, String file) throws IOException {
        Files.createDirectories(target.getParent());
        long copied;
        try (InputStream in = fs.open(status.getPath())) {
            copied = Files.copy(in, target);
        }
        if (copied != status.getLen()) {
            throw new ModelSourceException("model file " + file + " of " + source + " changed while being copied: listed "
                    + status.getLen() + " bytes, read " + copied + "; retry");
        }
    }
}
