package io.glinerspark.source;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How remote model sources are reached. {@link #fromEnvironment()} reads the Hugging Face hub's own environment
 * variables, so a machine already set up for the hub needs nothing else.
 *
 * @param hubEndpoint  base URL of the Hugging Face hub or a mirror ({@code HF_ENDPOINT}, default
 *                     {@code https://huggingface.co})
 * @param hubToken     access token sent as {@code Authorization: Bearer} to the hub endpoint only ({@code HF_TOKEN});
 *                     null for none; with a plain {@code http://} endpoint other than a loopback host the hub is not
 *                     contacted at all
 * @param hubOffline   true: never contact the hub, use cached snapshots only ({@code HF_HUB_OFFLINE=1})
 * @param hubTimeout   connection and response-header timeout of each hub request ({@code HF_HUB_DOWNLOAD_TIMEOUT},
 *                     seconds, default 30); a body is also aborted when it delivers less than 64 KiB in this time
 * @param hadoopConf   Hadoop settings added to the default Hadoop {@code Configuration} for Hadoop URIs (credentials,
 *                     {@code fs.<scheme>.impl}, ...); the Spark layer passes the job's Hadoop settings here
 */
public record SourceSettings(URI hubEndpoint, String hubToken, boolean hubOffline, Duration hubTimeout,
                             Map<String, String> hadoopConf) implements Serializable {

    /** The public Hugging Face hub. */
    public static final URI PUBLIC_HUB = URI.create("https://huggingface.co");

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public SourceSettings {
        Objects.requireNonNull(hubEndpoint, "hubEndpoint");
        Objects.requireNonNull(hubTimeout, "hubTimeout");
        if (!"http".equalsIgnoreCase(hubEndpoint.getScheme()) && !"https".equalsIgnoreCase(hubEndpoint.getScheme())) {
            throw new IllegalArgumentException("hub endpoint must be an http(s) URL: " + hubEndpoint);
        }
        if (hubTimeout.isNegative() || hubTimeout.isZero()) {
            throw new IllegalArgumentException("hub timeout must be > 0: " + hubTimeout);
        }
        hubEndpoint = withoutTrailingSlash(hubEndpoint);
        hubToken = hubToken == null || hubToken.isBlank() ? null : hubToken.strip();
        hadoopConf = Map.copyOf(Objects.requireNonNull(hadoopConf, "hadoopConf"));
    }

    /** Settings from {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code HF_HUB_OFFLINE} and {@code HF_HUB_DOWNLOAD_TIMEOUT}. */
    public static SourceSettings fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    static SourceSettings fromEnvironment(Function<String, String> env) {
        String endpoint = env.apply("HF_ENDPOINT");
        String timeout = env.apply("HF_HUB_DOWNLOAD_TIMEOUT");
        Duration hubTimeout = DEFAULT_TIMEOUT;
        if (timeout != null && !timeout.isBlank()) {
            try {
                hubTimeout = Duration.ofMillis(Math.round(Double.parseDouble(timeout.strip()) * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("HF_HUB_DOWNLOAD_TIMEOUT must be a number of seconds, got '" + timeout + "'", e);
            }
        }
        return new SourceSettings(
                endpoint == null || endpoint.isBlank() ? PUBLIC_HUB : URI.create(endpoint.strip()),
                env.apply("HF_TOKEN"),
                isTrue(env.apply("HF_HUB_OFFLINE")),
                hubTimeout,
                Map.of());
    }

    public SourceSettings withHubEndpoint(URI value) {
        return new SourceSettings(value, hubToken, hubOffline, hubTimeout, hadoopConf);
    }

    public SourceSettings withHubToken(String value) {
        return new SourceSettings(hubEndpoint, value, hubOffline, hubTimeout, hadoopConf);
    }

    public SourceSettings withHubOffline(boolean value) {
        return new SourceSettings(hubEndpoint, hubToken, value, hubTimeout, hadoopConf);
    }

    public SourceSettings withHubTimeout(Duration value) {
        return new SourceSettings(hubEndpoint, hubToken, hubOffline, value, hadoopConf);
    }

    public SourceSettings withHadoopConf(Map<String, String> value) {
        return new SourceSettings(hubEndpoint, hubToken, hubOffline, hubTimeout, value);
    }

    /** Never prints the token: settings end up in logs and Spark plans. */
    @Override
    public String toString() {
        return "SourceSettings[hubEndpoint=" + hubEndpoint + ", hubToken=" + (hubToken == null ? "none" : "***")
                + ", hubOffline=" + hubOffline + ", hubTimeout=" + hubTimeout + ", hadoopConf keys=" + hadoopConf.keySet() + "]";
    }

    // The hub client accepts these spellings of "on" for its boolean variables.
    private static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.replaceAll("/+$", "")) : uri;
    }
}
