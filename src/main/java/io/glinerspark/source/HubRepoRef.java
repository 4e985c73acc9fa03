package io.glinerspark.source;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A Hugging Face model reference {@code hf://owner/name[@revision]}; the revision is a branch, tag or commit and
 * defaults to {@code main}.
 *
 * @param repoId   {@code owner/name} (or a bare legacy {@code name})
 * @param revision branch, tag, {@code refs/pr/N} or 40-hex commit
 */
record HubRepoRef(String repoId, String revision) {

    static final String PREFIX = "hf://";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    static boolean isHubSource(String source) {
        return source.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    static HubRepoRef parse(String source) {
        String rest = source.substring(PREFIX.length());
        int at = rest.indexOf('@');
        String repoId = (at < 0 ? rest : rest.substring(0, at)).replaceAll("/+$", "");
        String revision = at < 0 ? "main" : rest.substring(at + 1);
        String[] parts = repoId.split("/", -1);
        boolean validId = parts.length <= 2 && List.of(parts).stream()
                .allMatch(p -> NAME.matcher(p).matches() && !p.contains("..") && !p.contains("--"));
        if (!validId) {
            throw new ModelSourceException("'" + source + "' is not a Hugging Face model id: expected hf://owner/name[@revision]");
        }
        if (revision.isEmpty() || revision.chars().anyMatch(Character::isWhitespace) || revision.contains("\\")
                || List.of(revision.split("/", -1)).stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
            throw new ModelSourceException("'" + source + "' has an invalid revision '" + revision + "'");
        }
        return new HubRepoRef(repoId, revision);
    }

    static boolean isCommit(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** The cache folder name the hub's own client uses for this repository. */
    String cacheFolderName() {
        return "models--" + repoId.replace("/", "--");
    }

    @Override
    public String toString() {
        return PREFIX + repoId + "@" + revision;
    }
}
