package io.glinerspark.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A model on the Hugging Face hub ({@code hf://owner/name[@revision]}), downloaded into a cache laid out like the
 * hub client's own: {@code models--owner--name/blobs/<sha256 or git blob id>} holds each file once,
 * {@code snapshots/<commit>/<path>} links to the blobs, and {@code refs/<revision>} holds the commit a branch or tag
 * pointed to at the last download.
 *
 * <p>Only the files of a GLiNER bundle are fetched ({@link BundleFiles}), with every file the ONNX file names as
 * its tensors' external data ({@link OnnxExternalData}). Files already in the cache are reused only when they match
 * the listing's checksum (SHA-256 for large files, the git blob id otherwise); anything else is fetched again. A download goes to
 * {@code blobs/<name>.incomplete} and is renamed once its size and checksum match the hub's listing; a broken-off
 * download is kept and resumed with an HTTP range request on the next call. Every write happens under a per-repository
 * {@link CacheLock}, so concurrent threads and JVMs fetch each file once.
 */
final class HuggingFaceSource {

    private final HubRepoRef ref;
    private final String onnxFile;
    private final Path hubCache;
    private final Path repoDir;
    private final SourceSettings settings;

    private HuggingFaceSource(HubRepoRef ref, String onnxFile, Path hubCache, SourceSettings settings) {
        this.ref = ref;
        this.onnxFile = onnxFile;
        this.hubCache = hubCache;
        this.repoDir = hubCache.resolve(ref.cacheFolderName());
        this.settings = settings;
    }

    /**
     * The snapshot folder of {@code ref} holding the bundle with {@code onnxFile}, downloaded unless cached, and its
     * commit (the snapshot folder's name).
     */
    static ResolvedModel resolve(HubRepoRef ref, String onnxFile, Path hubCache, SourceSettings settings) {
        Path snapshot = new HuggingFaceSource(ref, onnxFile, hubCache, settings).resolve();
        return new ResolvedModel(snapshot, snapshot.getFileName().toString());
    }

    /**
     * The commit of a folder that is a snapshot of this cache layout ({@code models--owner--name/snapshots/<commit>},
     * named by the exact commit whatever revision was asked for), or null for any other folder: a task handed the
     * driver's snapshot folder as a local source still knows which commit it holds.
     */
    static String commitOfSnapshot(Path folder) {
        Path snapshots = folder.getParent();
        Path repo = snapshots == null ? null : snapshots.getParent();
        if (repo == null || repo.getFileName() == null || !snapshots.getFileName().toString().equals("snapshots")
                || !repo.getFileName().toString().startsWith("models--")
                || !HubRepoRef.isCommit(folder.getFileName().toString())) {
            return null;
        }
        return folder.getFileName().toString();
    }

    private Path resolve() {
        BundleFiles.onnxCandidates(onnxFile); // reject a bad file name before any request
        if (settings.hubOffline()) {
            return cachedSnapshot().orElseThrow(() -> new ModelSourceException(ref + " with ONNX file " + onnxFile
                    + " is not in the cache " + repoDir + " and HF_HUB_OFFLINE is set: run once with hub access or unset HF_HUB_OFFLINE"));
        }
        HubClient client = new HubClient(settings);
        HubClient.RepoInfo info;
        try {
            info = client.repoInfo(ref);
        } catch (HubClient.HubUnavailableException e) {
            return cachedSnapshot().orElseThrow(() -> new ModelSourceException(
                    e.getMessage() + "; and " + ref + " with ONNX file " + onnxFile + " is not in the cache " + repoDir, e));
        } catch (IOException e) {
            throw new ModelSourceException("cannot list " + ref + ": " + e, e);
        }
        Map<String, HubClient.RepoFile> byPath = info.files().stream()
                .collect(Collectors.toMap(HubClient.RepoFile::path, Function.identity(), (a, b) -> a));
        List<String> selected = BundleFiles.select(byPath.keySet(), onnxFile, ref.toString());
        Path snapshot = repoDir.resolve("snapshots").resolve(info.commit());
        try {
            CacheLock.holding(hubCache.resolve(".locks").resolve(ref.cacheFolderName() + ".lock"), () -> {
                String onnx = selected.get(selected.size() - 1);
                for (String file : selected.subList(0, selected.size() - 1)) {
                    ensureSnapshotFile(client, info.commit(), byPath.get(file), snapshot);
                }
                // The ONNX file is linked last, once every file it names for its tensors' data is in place.
                HubClient.RepoFile onnxListed = byPath.get(onnx);
                Path onnxTarget = snapshot.resolve(onnx);
                Path onnxBlob = holdsListed(onnxTarget, onnxListed) ? onnxTarget : ensureBlob(client, info.commit(), onnxListed);
                for (String file : namedExternalData(onnx, onnxBlob)) {
                    HubClient.RepoFile data = byPath.get(file);
                    if (data == null) {
                        throw new ModelSourceException("ONNX file " + onnx + " of " + ref + " keeps tensor data in " + file
                                + ", which the repository does not have at commit " + info.commit());
                    }
                    if (!selected.contains(file)) {
                        ensureSnapshotFile(client, info.commit(), data, snapshot);
                    }
                }
                if (onnxBlob != onnxTarget) {
                    link(onnxBlob, onnxTarget);
                }
                if (!ref.revision().equals(info.commit())) {
                    writeAtomically(repoDir.resolve("refs").resolve(ref.revision()), info.commit().getBytes(StandardCharsets.UTF_8));
                }
            });
        } catch (IOException e) {
            throw new ModelSourceException("cannot write " + ref + " into the cache " + repoDir + ": " + e, e);
        }
        return snapshot;
    }

    /**
     * The cached snapshot for the revision, if it holds the config, the tokenizer, the ONNX file and its external data,
     * each matching the checksum its blob is named by.
     */
    private Optional<Path> cachedSnapshot() {
        String commit = ref.revision();
        if (!HubRepoRef.isCommit(commit)) {
            Path refFile = repoDir.resolve("refs").resolve(ref.revision());
            try {
                commit = Files.isRegularFile(refFile) ? Files.readString(refFile).strip() : "";
            } catch (IOException e) {
                throw new ModelSourceException("cannot read cache file " + refFile + ": " + e, e);
            }
            if (!HubRepoRef.isCommit(commit)) {
                return Optional.empty();
            }
        }
        Path snapshot = repoDir.resolve("snapshots").resolve(commit);
        if (!Files.isDirectory(snapshot)) {
            return Optional.empty();
        }
        try {
            for (String file : BundleFingerprint.files(snapshot, onnxFile)) {
                if (!verifiedOffline(snapshot.resolve(file))) {
                    return Optional.empty();
                }
            }
        } catch (ModelSourceException | IOException e) {
            return Optional.empty(); // incomplete or unreadable: not a usable copy
        }
        return Optional.of(snapshot);
    }

    private void ensureSnapshotFile(HubClient client, String commit, HubClient.RepoFile file, Path snapshot) throws IOException {
        Path target = snapshot.resolve(file.path());
        if (holdsListed(target, file)) {
            return;
        }
        link(ensureBlob(client, commit, file), target);
    }

    /** The blob of {@code file}, verified against the listing: reused when it matches, downloaded again otherwise. */
    private Path ensureBlob(HubClient client, String commit, HubClient.RepoFile file) throws IOException {
        Path blobs = repoDir.resolve("blobs");
        String knownName = expectedChecksum(file);
        Path blob = knownName == null ? null : blobs.resolve(knownName);
        if (blob != null && holdsListed(blob, file)) {
            return blob;
        }
        if (blob != null) {
            // A damaged or truncated copy left by a crash or a partial clean-up: fetch it again.
            Files.deleteIfExists(blob);
        }
        return download(client, commit, file, blobs);
    }

    private List<String> namedExternalData(String onnx, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return BundleFiles.externalData(onnx, OnnxExternalData.of(channel), ref.toString());
        }
    }

    private static void link(Path blob, Path target) throws IOException {
        CacheFolders.createPrivateDirectories(target.getParent());
        Files.deleteIfExists(target);
        try {
            Files.createSymbolicLink(target, target.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            // No symbolic links here (e.g. Windows without the privilege): a copy serves the same.
            Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".incomplete");
            try {
                Files.copy(blob, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }

    /** The checksum the hub lists for {@code file}'s content: SHA-256 for large (LFS) files, else the git blob id. */
    private static String expectedChecksum(HubClient.RepoFile file) {
        return file.lfsSha256() != null ? file.lfsSha256() : file.blobId();
    }

    /**
     * Whether {@code path} holds exactly the listed file: its size and, when the hub lists one, its checksum (hashed
     * once per JVM while the file is unchanged). A link to a missing blob holds nothing.
     */
    private static boolean holdsListed(Path path, HubClient.RepoFile file) throws IOException {
        if (!Files.isRegularFile(path) || (file.size() >= 0 && Files.size(path) != file.size())) {
            return false;
        }
        String expected = expectedChecksum(file);
        return expected == null || Checksums.of(path).matches(expected);
    }

    /**
     * Whether a snapshot file read without the hub's listing is intact: the blob it links to is named by a checksum
     * of its content (a copied file: a blob of that checksum exists).
     */
    private boolean verifiedOffline(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Path blobs = repoDir.resolve("blobs").toRealPath();
        Path real = file.toRealPath();
        Checksums.FileDigests digests = Checksums.of(real);
        if (real.getParent().equals(blobs)) {
            return digests.matches(real.getFileName().toString());
        }
        return Files.isRegularFile(blobs.resolve(digests.sha256())) || Files.isRegularFile(blobs.resolve(digests.gitBlobId()));
    }

    /** Downloads one file into {@code blobs}, resuming a partial download; returns the verified blob. */
    private Path download(HubClient client, String commit, HubClient.RepoFile file, Path blobs) throws IOException {
        String knownName = expectedChecksum(file);
        // Without a checksum from the hub the blob is named by its content's SHA-256, known only at the end.
        String partialName = knownName != null ? knownName
                : Checksums.sha256Hex((commit + "/" + file.path()).getBytes(StandardCharsets.UTF_8));
        CacheFolders.createPrivateDirectories(blobs);
        Path partial = blobs.resolve(partialName + ".incomplete");
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        if (file.size() >= 0 && have > file.size()) {
            Files.delete(partial);
            have = 0;
        }
        if (file.size() < 0 || have < file.size()) {
            fetch(client, commit, file, partial, have);
        }
        long size = Files.size(partial);
        if (file.size() >= 0 && size != file.size()) {
            throw new ModelSourceException("download of " + describe(file) + " is truncated: got " + size + " of " + file.size()
                    + " bytes; the partial file " + partial + " is kept and the next call resumes it");
        }
        String contentSha256 = verify(file, partial);
        Path blob = blobs.resolve(knownName != null ? knownName : contentSha256);
        Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return blob;
    }

    private void fetch(HubClient client, String commit, HubClient.RepoFile file, Path partial, long have) throws IOException {
        try {
            if (!client.download(ref, commit, file.path(), file.size(), partial, have)) {
                // The server does not accept our partial length: start over.
                Files.delete(partial);
                client.download(ref, commit, file.path(), file.size(), partial, 0);
            }
        } catch (IOException e) {
            long kept = Files.isRegularFile(partial) ? Files.size(partial) : 0;
            throw new ModelSourceException("download of " + describe(file) + " broke off after " + kept
                    + (file.size() >= 0 ? " of " + file.size() : "") + " bytes (" + e.getMessage() + "); the partial file "
                    + partial + " is kept and the next call resumes it", e);
        }
    }

    /**
     * Checks the file against the hub's checksum (SHA-256 for LFS files, the git blob id otherwise) and returns its
     * SHA-256. A mismatching file is deleted: resuming it would only extend the damage.
     */
    private String verify(HubClient.RepoFile file, Path partial) throws IOException {
        MessageDigest sha256 = Checksums.sha256();
        MessageDigest gitBlob = Checksums.sha1();
        gitBlob.update(("blob " + Files.size(partial) + "\0").getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                gitBlob.update(buffer, 0, n);
            }
        }
        String actualSha256 = Checksums.hex(sha256.digest());
        String expected = file.lfsSha256() != null ? file.lfsSha256() : file.blobId();
        String actual = file.lfsSha256() != null ? actualSha256 : Checksums.hex(gitBlob.digest());
        if (expected != null && !expected.equalsIgnoreCase(actual)) {
            Files.delete(partial);
            throw new ModelSourceException("checksum mismatch for " + describe(file) + ": the hub lists "
                    + (file.lfsSha256() != null ? "sha256 " : "git blob id ") + expected + ", the download has " + actual
                    + "; the bad download was deleted, retry");
        }
        return actualSha256;
    }

    private String describe(HubClient.RepoFile file) {
        return "file " + file.path() + " of " + ref;
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        CacheFolders.createPrivateDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".incomplete");
        try {
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
