package io.glinerspark.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two Hugging Face hub requests a download needs: the file listing of a revision and a file's bytes. Turns hub
 * answers into {@link ModelSourceException}s that say what to do; transport failures, stalled bodies and hub-side
 * (5xx) errors come out as {@link HubUnavailableException} so the caller can fall back to its cache or resume.
 *
 * <p>A hub or file host is not trusted to behave: a listing may be at most {@value #MAX_LISTING_BYTES} bytes; a file
 * body may not exceed its listed size nor its Content-Length (the partial file is then deleted); a body must deliver
 * {@value ChannelBodySubscriber#PROGRESS_BYTES} bytes (or end) within every hub timeout, so neither a stall nor a
 * trickle holds the cache lock for long; redirects may lead only to http(s) URLs; the token is never sent over plain
 * http except to a loopback host. Query strings (signed download URLs carry credentials there) never appear in messages.
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
    /** A revision listing of a model repository is kilobytes; thousands of files still stay well under this. */
    static final int MAX_LISTING_BYTES = 8 << 20;
    private static final Pattern GIT_BLOB_ID = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes (\\d+)-");
    private static final ObjectMapper JSON = new ObjectMapper();
    // HttpClient owns a selector thread: keep one per timeout rather than one per download.
    private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private final SourceSettings settings;
    private final HttpClient http;

    HubClient(SourceSettings settings) {
        URI endpoint = settings.hubEndpoint();
        if (settings.hubToken() != null && "http".equalsIgnoreCase(endpoint.getScheme()) && !isLoopback(endpoint.getHost())) {
            throw new ModelSourceException("HF_TOKEN is set but the hub endpoint " + display(endpoint) + " is plain http: "
                    + "the token would cross the network unencrypted, so it is not sent; use an https:// endpoint (HF_ENDPOINT) "
                    + "or unset HF_TOKEN for a public model (plain http is accepted only to a loopback host)");
        }
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
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Answer answer;
        try {
            answer = get(uri, 0, what, info -> info.statusCode() == 200
                    ? bounded(info, Channels.newChannel(body), MAX_LISTING_BYTES) : null);
        } catch (ChannelBodySubscriber.TooLongException e) {
            throw new ModelSourceException("the hub's listing of " + what + " at " + display(uri) + " is larger than "
                    + MAX_LISTING_BYTES + " bytes, which no model repository needs; refusing it", e);
        }
        if (answer.status() != 200) {
            throw failure(answer, what);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body.toByteArray());
        } catch (IOException e) {
            throw new HubUnavailableException("unreadable answer from " + display(uri) + ": " + e, e);
        }
        String commit = root.path("sha").asText("");
        if (!HubRepoRef.isCommit(commit)) {
            throw new ModelSourceException("the hub's answer for " + what + " at " + display(uri) + " has no commit id (field 'sha')");
        }
        List<RepoFile> files = new ArrayList<>();
        for (JsonNode sibling : root.path("siblings")) {
            JsonNode lfs = sibling.path("lfs");
            String path = sibling.path("rfilename").asText("");
            if (!isPlainRelativePath(path)) {
                continue; // cannot be a file of a git repository; never let it name a place outside the cache
            }
            long size = lfs.has("size") ? lfs.path("size").asLong() : sibling.path("size").asLong(-1);
            String blobId = checksumOrNull(sibling.path("blobId").asText(null), GIT_BLOB_ID);
            String lfsSha256 = checksumOrNull(lfs.path("sha256").asText(null), SHA256);
            if (lfs.isObject() && lfsSha256 == null) {
                throw new ModelSourceException("the hub's answer for " + what + " at " + display(uri) + " lists large file " + path
                        + " without a valid sha256");
            }
            files.add(new RepoFile(path, size, blobId, lfsSha256));
        }
        return new RepoInfo(commit, files);
    }

    /**
     * Downloads {@code file} at {@code commit} into {@code partial}: appended from byte {@code have} when the server
     * honours the range request, written from the start otherwise. Returns false, writing nothing, when the server
     * rejects the range (HTTP 416): the partial file is then not a prefix it recognises.
     *
     * @param size the file's listed size, which the body may not exceed; -1 when the hub listed none
     * @throws IOException          when the transfer breaks off or stalls; the bytes received so far stay in {@code partial}
     * @throws ModelSourceException when the body is longer than listed; {@code partial} is then deleted
     */
    boolean download(HubRepoRef ref, String commit, String file, long size, Path partial, long have) throws IOException {
        URI uri = URI.create(settings.hubEndpoint() + "/" + ref.repoId() + "/resolve/" + commit + "/" + encodePath(file));
        String what = "file " + file + " of " + ref;
        Answer answer;
        try {
            answer = get(uri, have, what, info -> {
                if (info.statusCode() == 200) {
                    long limit = size >= 0 ? size : Long.MAX_VALUE;
                    return bounded(info, FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING), limit);
                }
                if (info.statusCode() == 206 && rangeStart(info.headers()) == have) {
                    long limit = size >= 0 ? size - have : Long.MAX_VALUE;
                    return bounded(info, FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND), limit);
                }
                return null;
            });
        } catch (ChannelBodySubscriber.TooLongException e) {
            Files.deleteIfExists(partial);
            throw new ModelSourceException("the hub sent more for " + what + " than " + (size >= 0 ? "the " + size
                    + " bytes it lists" : "its Content-Length") + " (" + e.getMessage() + "); the partial download was deleted", e);
        }
        if (answer.status() == 416 && have > 0) {
            return false;
        }
        if (answer.status() == 206 && !answer.bodyKept()) {
            throw new ModelSourceException("the hub answered a resume of " + what + " from byte " + have
                    + " with Content-Range '" + answer.headers().firstValue("Content-Range").orElse("") + "'");
        }
        if (answer.status() != 200 && answer.status() != 206) {
            throw failure(answer, what);
        }
        return true;
    }

    /** A final (non-redirect) answer; its body went to the sink when {@code bodyKept}, else it was discarded. */
    private record Answer(int status, HttpHeaders headers, URI uri, boolean bodyKept) {
    }

    /** Where a body goes, chosen from the status and headers; null discards it. */
    @FunctionalInterface
    private interface BodySink {
        ChannelBodySubscriber open(HttpResponse.ResponseInfo info) throws IOException;
    }

    /**
     * A subscriber writing at most {@code limit} bytes, and at most the Content-Length when the server sends one: a
     * body announced longer than allowed is refused before a byte of it is written.
     */
    private static ChannelBodySubscriber bounded(HttpResponse.ResponseInfo info, WritableByteChannel channel, long limit)
            throws IOException {
        long contentLength = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (contentLength > limit) {
            channel.close();
            throw new ChannelBodySubscriber.TooLongException("its Content-Length is " + contentLength + ", more than the "
                    + limit + " bytes expected");
        }
        return new ChannelBodySubscriber(channel, contentLength >= 0 ? contentLength : limit);
    }

    private Answer get(URI start, long rangeStart, String what, BodySink sink) throws IOException {
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
            HttpResponse<Long> response = send(request.build(), sink, what);
            int status = response.statusCode();
            if (status >= 500) {
                throw new HubUnavailableException("the hub failed with HTTP " + status + " at " + display(uri) + " for " + what, null);
            }
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return new Answer(status, response.headers(), uri, response.body() >= 0);
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) {
                throw new ModelSourceException("HTTP " + status + " redirect without a Location header at " + display(uri) + " for " + what);
            }
            URI next;
            try {
                next = uri.resolve(location);
            } catch (IllegalArgumentException e) {
                throw new ModelSourceException("HTTP " + status + " redirect to a malformed location from " + display(uri) + " for " + what, e);
            }
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new ModelSourceException("the hub redirected the request for " + what + " from " + display(uri)
                        + " to a " + next.getScheme() + ": location; only http and https downloads are followed");
            }
            uri = next;
        }
        throw new ModelSourceException("more than " + MAX_REDIRECTS + " redirects from " + display(start) + " for " + what);
    }

    /** One exchange; aborted when no body data arrives for the hub timeout (headers are timed out by the client). */
    private HttpResponse<Long> send(HttpRequest request, BodySink sink, String what) throws IOException {
        AtomicReference<ChannelBodySubscriber> body = new AtomicReference<>();
        HttpResponse.BodyHandler<Long> handler = info -> {
            ChannelBodySubscriber subscriber;
            try {
                subscriber = sink.open(info);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (subscriber == null) {
                return HttpResponse.BodySubscribers.replacing(-1L);
            }
            body.set(subscriber);
            return subscriber;
        };
        long idleLimit = settings.hubTimeout().toNanos();
        long poll = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(idleLimit / 4, TimeUnit.SECONDS.toNanos(1)));
        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<Long>> future = http.sendAsync(request, handler);
        while (true) {
            try {
                return future.get(poll, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                ChannelBodySubscriber subscriber = body.get();
                // Without a subscriber the client's own header timeout applies; the margin covers a discarded body.
                boolean stalled = subscriber != null
                        ? System.nanoTime() - subscriber.lastProgressNanos() > idleLimit
                        : System.nanoTime() - sent > 2 * idleLimit;
                if (stalled) {
                    boolean trickling = subscriber != null && System.nanoTime() - subscriber.lastDataNanos() <= idleLimit;
                    HttpTimeoutException timeout = new HttpTimeoutException((trickling
                            ? "too slow: " + subscriber.bytesSinceProgress() + " bytes, under the "
                                    + ChannelBodySubscriber.PROGRESS_BYTES + " needed, in "
                            : "no data for ") + settings.hubTimeout().toMillis() + " ms from " + display(request.uri()));
                    if (subscriber != null) {
                        subscriber.abort(timeout);
                    }
                    future.cancel(true);
                    throw new HubUnavailableException("stalled: " + timeout.getMessage() + " for " + what, timeout);
                }
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new ModelSourceException("interrupted while fetching " + what, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
                if (cause instanceof Error error) {
                    throw error; // out of memory and the like are no network failure: a cached copy must not hide them
                }
                if (cause instanceof ChannelBodySubscriber.TooLongException tooLong) {
                    throw tooLong;
                }
                throw new HubUnavailableException("request for " + what + " to " + display(request.uri()) + " failed: " + cause, cause);
            }
        }
    }

    private static boolean isPlainRelativePath(String path) {
        return !path.isEmpty() && !path.startsWith("/") && !path.contains("\\")
                && List.of(path.split("/", -1)).stream().noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
    }

    /** Checksums become blob file names: accept only the hex form the hub uses. */
    private static String checksumOrNull(String value, Pattern form) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return form.matcher(lower).matches() ? lower : null;
    }

    private static long rangeStart(HttpHeaders headers) {
        Matcher m = CONTENT_RANGE_START.matcher(headers.firstValue("Content-Range").orElse(""));
        return m.lookingAt() ? Long.parseLong(m.group(1)) : -1;
    }

    private ModelSourceException failure(Answer response, String what) {
        int status = response.status();
        if (status == 403 && (!sameOrigin(response.uri(), settings.hubEndpoint()) || response.uri().getRawQuery() != null)) {
            // The hub redirected to its file host, which checks the signature and expiry of the URL it was given.
            return new ModelSourceException("the file host refused the signed download URL (403) for " + what + " at "
                    + display(response.uri()) + ": the link may have expired (a slow start, or this machine's clock is off) "
                    + "or the host blocks this network; retry, and check the clock");
        }
        String reason = switch (status) {
            case 401 -> settings.hubToken() == null
                    ? " needs a Hugging Face token (HTTP 401: the repository is private or gated, or does not exist): set HF_TOKEN"
                    : " was refused to the token in HF_TOKEN (HTTP 401: the token is invalid, or the repository does not exist or is not visible to it)";
            case 403 -> " is forbidden (HTTP 403): for a gated model, accept its conditions on the hub with the account whose token is in HF_TOKEN";
            case 404 -> " was not found (HTTP 404): check the repository id, the revision and the file name";
            default -> " failed with HTTP " + status;
        };
        String hubMessage = response.headers().firstValue("X-Error-Message").map(m -> "; the hub says: " + m).orElse("");
        return new ModelSourceException(what + reason + " (" + display(response.uri()) + ")" + hubMessage);
    }

    /** A URL as it may appear in a message: without user info, query or fragment, which can hold credentials. */
    static String display(URI uri) {
        if (uri.getHost() == null) {
            return uri.getScheme() + ":" + (uri.getRawPath() == null ? "" : uri.getRawPath());
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** Loopback by name or address literal, decided without a name lookup. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.matches("127(\\.\\d{1,3}){3}")
                || h.equals("[::1]") || h.equals("::1");
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
