package io.eqlwatch.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchDistributionTest {

    @TempDir
    Path tmp;

    private Path zip(String version, String... entries) throws IOException {
        Path zip = tmp.resolve("elasticsearch-" + version + ".zip");
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            for (String entry : entries) {
                z.putNextEntry(new ZipEntry(entry));
                if (!entry.endsWith("/")) {
                    z.write(("content of " + entry).getBytes(StandardCharsets.UTF_8));
                }
                z.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void findsTheZipWhereMavenPutsItAndSaysHowToFetchAMissingOne() throws IOException {
        Path repo = tmp.resolve("repo");
        Path dir = Files.createDirectories(
                repo.resolve(ElasticsearchDistribution.GROUP_PATH).resolve("8.19.8"));
        Files.copy(zip("8.19.8", "elasticsearch-8.19.8/bin/elasticsearch"), dir.resolve("elasticsearch-8.19.8.zip"));

        assertEquals(
                8, ElasticsearchDistribution.inMavenRepository("8.19.8", repo).majorVersion());
        LocalElasticsearchException e = assertThrows(
                LocalElasticsearchException.class, () -> ElasticsearchDistribution.inMavenRepository("9.9.9", repo));
        assertTrue(e.getMessage().contains("integ-test-zip:elasticsearch:9.9.9:zip"), e.getMessage());
    }

    @Test
    void unpacksOnceWithLaunchScriptsExecutableAndEverythingReadable() throws IOException {
        Path zip = zip(
                "9.2.0",
                "elasticsearch-9.2.0/",
                "elasticsearch-9.2.0/bin/elasticsearch",
                "elasticsearch-9.2.0/config/jvm.options",
                "elasticsearch-9.2.0/lib/server.jar");
        ElasticsearchDistribution dist = ElasticsearchDistribution.ofZip("9.2.0", zip);
        Path cache = tmp.resolve("cache");

        Path home = dist.unpack(cache);

        assertEquals(cache.resolve("elasticsearch-9.2.0"), home);
        assertEquals(
                "rwxr-xr-x",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/elasticsearch"))));
        assertEquals(
                "rw-r--r--",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("lib/server.jar"))));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config"))));
        // No staging directory is left behind, and a second unpack reuses the first.
        try (var children = Files.list(cache)) {
            assertEquals(1, children.count());
        }
        Files.writeString(home.resolve("marker"), "kept");
        assertEquals(home, dist.unpack(cache));
        assertTrue(Files.exists(home.resolve("marker")));
    }

    @Test
    void refusesAZipThatIsNotThatElasticsearch() throws IOException {
        ElasticsearchDistribution dist =
                ElasticsearchDistribution.ofZip("8.19.8", zip("8.19.8", "something-else/README"));
        LocalElasticsearchException e =
                assertThrows(LocalElasticsearchException.class, () -> dist.unpack(tmp.resolve("cache")));
        assertTrue(e.getMessage().contains("does not contain elasticsearch-8.19.8/bin/elasticsearch"), e.getMessage());
    }

    @Test
    void refusesEntriesThatEscapeTheTarget() throws IOException {
        ElasticsearchDistribution dist = ElasticsearchDistribution.ofZip("8.19.8", zip("8.19.8", "../evil"));
        assertThrows(LocalElasticsearchException.class, () -> dist.unpack(tmp.resolve("cache")));
        assertTrue(Files.notExists(tmp.resolve("evil")));
    }
}
