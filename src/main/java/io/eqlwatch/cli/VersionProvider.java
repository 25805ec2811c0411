package io.eqlwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version from the jar's manifest and the commit the build recorded in {@code build.properties}
 * (see the git-commit-id plugin in the pom), so that a bug report names exactly what was running.
 */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource reads as an unknown build
        }
        return new String[] {line(Main.class.getPackage().getImplementationVersion(), build)};
    }

    /**
     * @param jarVersion the version in the jar's manifest; {@code null} when running from classes
     *                   (then the version git-commit-id recorded, if any)
     */
    static String line(String jarVersion, Properties build) {
        String version = jarVersion != null ? jarVersion : build.getProperty("git.build.version");
        if (version == null || version.isBlank()) {
            return "eqlwatch (development build)";
        }
        String commit = build.getProperty("git.commit.id.abbrev");
        if (commit == null || commit.isBlank()) {
            return "eqlwatch " + version + " (unknown commit)";
        }
        boolean dirty = Boolean.parseBoolean(build.getProperty("git.dirty"));
        String time = build.getProperty("git.commit.time");
        return "eqlwatch " + version + " (commit " + commit + (dirty ? ", with uncommitted changes" : "")
                + (time == null || time.isBlank() ? "" : ", " + time) + ")";
    }
}
