package io.eqlwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The version the build wrote into {@code version.txt} and the commit it recorded in
 * {@code commit.txt} (see the record-commit profile in the pom), so that a bug report names exactly
 * what was running.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {line(resource("version.txt"), resource("commit.txt"))};
    }

    /**
     * @param version the project version, {@code null} when unknown
     * @param commit  the abbreviated commit, with {@code -dirty} when the tree had changes; {@code null} when unknown
     */
    static String line(String version, String commit) {
        if (version == null) {
            return "eqlwatch (development build)";
        }
        if (commit == null) {
            return "eqlwatch " + version + " (unknown commit)";
        }
        boolean dirty = commit.endsWith("-dirty");
        String hash = dirty ? commit.substring(0, commit.length() - "-dirty".length()) : commit;
        return "eqlwatch " + version + " (commit " + hash + (dirty ? ", built with uncommitted changes" : "") + ")";
    }

    /** The first line of a resource next to this class, or {@code null} when it is missing or blank. */
    private static String resource(String name) {
        try (InputStream in = VersionProvider.class.getResourceAsStream(name)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() || text.startsWith("${")
                    ? null
                    : text.lines().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
