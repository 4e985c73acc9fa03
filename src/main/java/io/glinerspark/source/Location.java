package io.glinerspark.source;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place a user names by one string: a URI with a scheme ({@code hdfs://}, {@code s3a://}, {@code dbfs:/},
 * {@code file:/}, {@code hf://} ...) or a local path, relative or absolute. The one answer to "URI or path" for
 * model sources, Delta outputs and job inputs alike.
 *
 * @param text   the string as given, surrounding blanks removed
 * @param scheme the URI scheme in lower case, or null for a local path
 */
public record Location(String text, String scheme) {

    // Two or more characters, so that a drive letter ("C:\models") stays a local path.
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    public Location {
        Objects.requireNonNull(text, "text");
    }

    /** The location {@code value} names: a URI when it starts with a scheme and a colon, else a local path. */
    public static Location parse(String value) {
        String text = value.strip();
        Matcher scheme = SCHEME.matcher(text);
        return new Location(text, scheme.find() ? scheme.group(1).toLowerCase(Locale.ROOT) : null);
    }

    /** True for a URI with a scheme, {@code file:} included. */
    public boolean isUri() {
        return scheme != null;
    }

    /** True for a URI of this scheme (compared without case). */
    public boolean hasScheme(String name) {
        return name.equalsIgnoreCase(scheme);
    }

    /** True for a place on this machine's file system: a local path or a {@code file:} URI. */
    public boolean isLocal() {
        return scheme == null || hasScheme("file");
    }

    /**
     * The local path of a path or {@code file:} URI, as given (not made absolute).
     *
     * @throws IllegalArgumentException when the location is a URI of another scheme, or no valid path or file URI
     */
    public Path localPath() {
        if (scheme == null) {
            return Path.of(text);
        }
        if (!hasScheme("file")) {
            throw new IllegalArgumentException(text + " is a " + scheme + ": URI, not a local path");
        }
        return Path.of(URI.create(text));
    }

    @Override
    public String toString() {
        return text;
    }
}
