package io.glinerspark.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two Hugging Face hub requests a download needs: the file listing of a revision and a file's bytes. Turns hub
 * answers into {@link ModelSourceException}s that say what to do; transport failures and hub-side (5xx) errors come
 * out as {@link HubUnavailableException} so the caller can fall back to its cache.
 */
final class HubClient {

    /** One file of a repository revision. {@code size} is -1 when the hub did not say. */
    record RepoFile(String path, long size, String blobId, String lfsSha256) {
    }

    /** A revision resolved to its commit, with its files. */
    record RepoInfo(String commit, List<RepoFile> files) {
    }

    /** The hub could not be reached or failed on its side; a cached copy may stand in. */
    static final class HubUnavailableException extends IOException {
        private static final long serialVersionUID = 1L;

        HubUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int MAX_REDIRECTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    // HttpClient owns a selector thread: keep one per timeout rather than one per download.
    private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private final SourceSettings settings;
    private final HttpClient http;

    HubClient(SourceSettings settings) {
        this.settings = settings;
        // Redirects are followed by hand: the hub sends large files to a CDN on another host, which must not get the token.
        this.http = CLIENTS.computeIfAbsent(settings.hubTimeout(), timeout -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** Resolves {@code ref}'s revision to a commit and lists its files with sizes and checksums. */
    RepoInfo repoInfo(HubRepoRef ref) throws IOException {
        URI uri = URI.create(settings.hubEndpoint() + "/api/models/" + ref.repoId() + "/revision/"
                + encode(ref.revision()) + "?blobs=true");
        String what = "model repository " + ref.repoId() + " at revision " + ref.revision();
        HttpResponse<InputStream> response = get(uri, 0, what);
        if (response.statusCode() != 200) {
            throw failure(response, what);
        }
        JsonNode root;
        try (InputStream body = response.body()) {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new HubUnavailableException("unreadable answer from " + uri + ": " + e, e);
        }
        String commit = root.path("sha").asText("");
        if (!HubRepoRef.isCommit(commit)) {
            throw new ModelSourceException("the hub's answer for " + what + " at " + uri + " has no commit id (field 'sha')");
        }
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode sibling : root.path("siblings")) {
            JsonNode lfs = sibling.path("lfs");
            String path = sibling.path("rfilename").asText("");
            if (path.isEmpty()) {
                continue;
            }
            long size = lfs.has("size") ? lfs.path("size").asLong() : sibling.path("size").asLong(-1);
            String blobId = sibling.path("blobId").asText(null);
            String lfsSha256 = lfs.path("sha256").asText(null);
            files.add(new RepoFile(path, size, blobId, lfsSha256 == null ? null : lfsSha256.toLowerCase(Locale.ROOT)));
        }
        return new RepoInfo(commit, files);
    }

    /**
     * Starts the download of {@code file} at {@code commit}, from byte {@code rangeStart} when it is above 0. The
     * answer's status is 200, 206 or, for a range past the end, 416; any other status is thrown.
     */
    HttpResponse<InputStream> download(HubRepoRef ref, String commit, String file, long rangeStart) throws IOException {
        URI uri = URI.create(settings.hubEndpoint() + "/" + ref.repoId() + "/resolve/" + commit + "/" + encodePath(file));
        String what = "file " + file + " of " + ref;
        HttpResponse<InputStream> response = get(uri, rangeStart, what);
        int status = response.statusCode();
        if (status != 200 && status != 206 && !(status == 416 && rangeStart > 0)) {
            throw failure(response, what);
        }
        return response;
    }

    private HttpResponse<InputStream> get(URI start, long rangeStart, String what) throws IOException {
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.hubTimeout())
                    .header("User-Agent", "gliner-spark").GET();
            if (rangeStart > 0) {
                request.header("Range", "bytes=" + rangeStart + "-");
            }
            if (settings.hubToken() != null && sameOrigin(uri, settings.hubEndpoint())) {
                request.header("Authorization", "Bearer " + settings.hubToken());
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelSourceException("interrupted while fetching " + what, e);
            } catch (IOException e) {
                throw new HubUnavailableException("cannot reach " + uri + " for " + what + ": " + e, e);
            }
            int status = response.statusCode();
            if (status >= 500) {
                response.body().close();
                throw new HubUnavailableException("the hub failed with HTTP " + status + " at " + uri + " for " + what, null);
            }
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return response;
            }
            String location = response.headers().firstValue("Location").orElse(null);
            response.body().close();
            if (location == null) {
                throw new ModelSourceException("HTTP " + status + " redirect without a Location header at " + uri + " for " + what);
            }
            uri = uri.resolve(location);
        }
        throw new ModelSourceException("more than " + MAX_REDIRECTS + " redirects from " + start + " for " + what);
    }

    private ModelSourceException failure(HttpResponse<InputStream> response, String what) throws IOException {
        response.body().close();
        int status = response.statusCode();
        String reason = switch (status) {
            case 401 -> settings.hubToken() == null
                    ? " needs a Hugging Face token (HTTP 401: the repository is private or gated, or does not exist): set HF_TOKEN"
                    : " was refused to the token in HF_TOKEN (HTTP 401: the token is invalid, or the repository does not exist or is not visible to it)";
            case 403 -> " is forbidden (HTTP 403): for a gated model, accept its conditions on the hub with the account whose token is in HF_TOKEN";
            case 404 -> " was not found (HTTP 404): check the repository id, the revision and the file name";
            default -> " failed with HTTP " + status;
        };
        String hubMessage = response.headers().firstValue("X-Error-Message").map(m -> "; the hub says: " + m).orElse("");
        return new ModelSourceException(what + reason + " (" + response.uri() + ")" + hubMessage);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            encoded.append(encoded.length() == 0 ? "" : "/").append(encode(segment));
        }
        return encoded.toString();
    }
}
