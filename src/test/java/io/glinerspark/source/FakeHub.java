package io.glinerspark.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face hub on loopback serving one model repository the way the hub does: the revision API with sizes and
 * checksums, small files from {@code /resolve/}, large (LFS) files by a redirect to a "CDN" path reached through
 * another host name ({@code localhost} instead of {@code 127.0.0.1}), HTTP range requests, and 401/404 answers.
 * Tests switch on faults (truncated bodies, corrupted bytes, a required token) and read the request log.
 */
final class FakeHub implements AutoCloseable {

    static final String REPO = "acme/tiny-gliner";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** One logged request: path, Range header (or ""), Authorization header (or ""). */
    record Request(String path, String range, String authorization) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Set<String> lfs = ConcurrentHashMap.newKeySet();
    private final List<Request> log = Collections.synchronizedList(new ArrayList<>());

    /** Paths whose bodies are cut in half under a full Content-Length. */
    final Set<String> truncate = ConcurrentHashMap.newKeySet();
    /** Paths whose bodies stop half-way with the connection left open, until the hub closes. */
    final Set<String> stall = ConcurrentHashMap.newKeySet();
    /** Paths served with one byte flipped. */
    final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    /** File bodies wait until this many revision listings have been served (up to 20 s): forces callers to overlap. */
    volatile int holdFilesUntilListings;
    /** Token the server demands ("Bearer " + token), or null for a public repository. */
    volatile String requiredToken;

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    FakeHub file(String path, byte[] content, boolean largeFile) {
        files.put(path, content);
        if (largeFile) {
            lfs.add(path);
        }
        return this;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    SourceSettings settings() {
        return SourceSettings.fromEnvironment(name -> null).withHubEndpoint(endpoint());
    }

    List<Request> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Requests that fetched the bytes of {@code path} (the CDN request for a large file). */
    List<Request> downloadsOf(String path) {
        String direct = "/" + REPO + "/resolve/" + COMMIT + "/" + path;
        String cdn = "/cdn/" + Checksums.sha256Hex(files.get(path));
        return requests().stream().filter(r -> r.path().equals(lfs.contains(path) ? cdn : direct)).toList();
    }

    private long listings() {
        return requests().stream().filter(r -> r.path().startsWith("/api/")).count();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            String range = exchange.getRequestHeaders().getFirst("Range");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            log.add(new Request(path, range == null ? "" : range, authorization == null ? "" : authorization));
            if (path.startsWith("/cdn/")) {
                String file = files.keySet().stream().filter(f -> ("/cdn/" + Checksums.sha256Hex(files.get(f))).equals(path))
                        .findFirst().orElse(null);
                if (file == null) {
                    send(exchange, 404, new byte[0]);
                } else {
                    sendFile(exchange, file, range);
                }
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(authorization)) {
                exchange.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
                exchange.getResponseHeaders().add("X-Error-Message", "Invalid credentials in Authorization header");
                send(exchange, 401, new byte[0]);
                return;
            }
            String api = "/api/models/" + REPO + "/revision/";
            String resolve = "/" + REPO + "/resolve/" + COMMIT + "/";
            if (path.startsWith(api)) {
                String revision = URLDecoder.decode(path.substring(api.length()), StandardCharsets.UTF_8);
                if (revision.equals("main") || revision.equals(COMMIT)) {
                    send(exchange, 200, repoJson());
                } else {
                    exchange.getResponseHeaders().add("X-Error-Message", "Invalid rev id: " + revision);
                    send(exchange, 404, new byte[0]);
                }
            } else if (path.startsWith(resolve) && files.containsKey(path.substring(resolve.length()))) {
                String file = path.substring(resolve.length());
                if (lfs.contains(file)) {
                    exchange.getResponseHeaders().add("Location",
                            "http://localhost:" + server.getAddress().getPort() + "/cdn/" + Checksums.sha256Hex(files.get(file)));
                    send(exchange, 302, new byte[0]);
                } else {
                    sendFile(exchange, file, range);
                }
            } else {
                exchange.getResponseHeaders().add("X-Error-Message", "Repository not found");
                send(exchange, 404, new byte[0]);
            }
        } finally {
            exchange.close();
        }
    }

    private void sendFile(HttpExchange exchange, String file, String range) throws IOException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (listings() < holdFilesUntilListings && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        byte[] content = files.get(file).clone();
        if (corrupt.contains(file)) {
            content[content.length / 2] ^= 1;
        }
        int from = 0;
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                send(exchange, 416, new byte[0]);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - from;
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, length);
        OutputStream out = exchange.getResponseBody();
        if (truncate.contains(file)) {
            out.write(content, from, length / 2);
            out.flush();
            // Closing the exchange with bytes missing makes the server drop the connection mid-body.
            return;
        }
        if (stall.contains(file)) {
            out.write(content, from, length / 2);
            out.flush();
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        out.write(content, from, length);
        out.close();
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private byte[] repoJson() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("id", REPO);
        root.put("sha", COMMIT);
        ArrayNode siblings = root.putArray("siblings");
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            ObjectNode sibling = siblings.addObject();
            sibling.put("rfilename", file.getKey());
            sibling.put("size", file.getValue().length);
            if (lfs.contains(file.getKey())) {
                sibling.put("blobId", gitBlobId(("version https://git-lfs.github.com/spec/v1\n").getBytes(StandardCharsets.UTF_8)));
                ObjectNode pointer = sibling.putObject("lfs");
                pointer.put("sha256", Checksums.sha256Hex(file.getValue()));
                pointer.put("size", file.getValue().length);
                pointer.put("pointerSize", 134);
            } else {
                sibling.put("blobId", gitBlobId(file.getValue()));
            }
        }
        return json.writeValueAsBytes(root);
    }

    static String gitBlobId(byte[] content) {
        var sha1 = Checksums.sha1();
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return Checksums.hex(sha1.digest(content));
    }
}
