package io.glinerspark.source;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hub client against a hub that misbehaves, played by a separate Python HTTP server process
 * ({@code src/test/resources/hub/hostile_hub.py}) that serves a bounded number of requests.
 */
@Tag("core")
class HubLimitsTest {

    private static final Path SCRIPT = Path.of(System.getProperty("gliner.repo.root"), "src/test/resources/hub/hostile_hub.py");

    @TempDir
    Path cache;

    private Process server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void needsPython() throws Exception {
        boolean present;
        try {
            Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            present = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        assumeTrue(present, "python3 is needed to run the hub server process");
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBodyLongerThanItsListedSizeIsCutOffAndDeleted() throws IOException {
        SourceSettings settings = start(3, "127.0.0.1");

        ModelSourceException e = assertThrows(ModelSourceException.class, () -> locate("acme/oversized", settings));

        assertTrue(e.getMessage().contains("the hub sent more for file gliner_config.json of hf://acme/oversized@main than the 492 bytes it lists")
                && e.getMessage().contains("the partial download was deleted"), e.getMessage());
        assertEquals(List.of(), filesUnder(cache.resolve("hub")), "nothing of the oversized body stays");
    }

    @Test
    void aContentLengthAboveTheListedSizeIsRefusedBeforeTheBody() throws IOException {
        SourceSettings settings = start(3, "127.0.0.1");

        ModelSourceException e = assertThrows(ModelSourceException.class, () -> locate("acme/longer", settings));

        assertTrue(e.getMessage().contains("its Content-Length is 10000000, more than the 492 bytes expected"), e.getMessage());
        assertEquals(List.of(), filesUnder(cache.resolve("hub")));
    }

    @Test
    void aHugeListingIsRefusedNotReadAndNotTakenForAnOutage() throws IOException {
        SourceSettings settings = start(2, "127.0.0.1");

        ModelSourceException e = assertThrows(ModelSourceException.class, () -> locate("acme/huge-listing", settings));

        assertTrue(e.getMessage().contains("is larger than " + HubClient.MAX_LISTING_BYTES + " bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("not in the cache"), "a refused listing is no outage to fall back from: " + e.getMessage());
    }

    @Test
    void aTrickleIsAbortedWithinTheHubTimeout() throws IOException {
        SourceSettings settings = start(3, "127.0.0.1").withHubTimeout(Duration.ofMillis(500));

        // The whole body would take 25 s at one byte per 50 ms.
        ModelSourceException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ModelSourceException.class, () -> locate("acme/trickle", settings)));

        assertTrue(e.getMessage().contains("too slow") && e.getMessage().contains("under the 65536 needed, in 500 ms"), e.getMessage());
    }

    @Test
    void aRefusedSignedUrlIsNamedAsSuchWithoutItsSignature() throws IOException {
        SourceSettings settings = start(4, "127.0.0.1").withHubToken("hf_secret");

        ModelSourceException e = assertThrows(ModelSourceException.class, () -> locate("acme/signed", settings));

        assertTrue(e.getMessage().startsWith("the file host refused the signed download URL (403) for file gliner_config.json"),
                e.getMessage());
        assertFalse(e.getMessage().contains("SECRETSIGNATURE") || e.getMessage().contains("X-Amz"), e.getMessage());
        List<String> cdn = requests.stream().filter(r -> r.startsWith("REQ /cdn/")).toList();
        assertEquals(1, cdn.size(), requests.toString());
        assertTrue(cdn.get(0).endsWith(" -"), "the token went to the file host: " + cdn);
    }

    @Test
    void aRedirectToAFileUrlIsAModelSourceError() throws IOException {
        SourceSettings settings = start(3, "127.0.0.1");

        ModelSourceException e = assertThrows(ModelSourceException.class, () -> locate("acme/file-redirect", settings));

        assertTrue(e.getMessage().contains("to a file: location; only http and https downloads are followed"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("hub/models--acme--file-redirect/snapshots")));
    }

    @Test
    void theTokenIsNotSentOverPlainHttpToAnotherHost() throws Exception {
        Optional<InetAddress> address = nonLoopbackAddress();
        assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address");
        SourceSettings local = start(2, "0.0.0.0");
        SourceSettings remote = local.withHubEndpoint(URI.create("http://" + address.get().getHostAddress() + ":"
                + local.hubEndpoint().getPort()));

        ModelSourceException e = assertThrows(ModelSourceException.class,
                () -> locate("acme/plain", remote.withHubToken("hf_secret")));

        assertTrue(e.getMessage().contains("HF_TOKEN is set but the hub endpoint " + remote.hubEndpoint() + " is plain http"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hf_secret"));
        // Without the token the same endpoint is reached: the refusal above was no connection failure.
        assertThrows(ModelSourceException.class, () -> locate("acme/plain", remote));
        assertTrue(!requests.isEmpty() && requests.stream().allMatch(r -> r.endsWith(" -")), requests.toString());
    }

    private Path locate(String repo, SourceSettings settings) {
        return ModelSources.locate("hf://" + repo, "model.onnx", cache, settings).folder();
    }

    private SourceSettings start(int maxRequests, String bind) throws IOException {
        server = new ProcessBuilder("python3", SCRIPT.toString(), Integer.toString(maxRequests), bind)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("PORT "), "the hub process did not start: " + first);
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    requests.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return SourceSettings.fromEnvironment(name -> null)
                .withHubEndpoint(URI.create("http://127.0.0.1:" + first.substring("PORT ".length()).strip()));
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(Path::toString).filter(p -> !p.contains("/.locks/")).toList();
        }
    }
}
