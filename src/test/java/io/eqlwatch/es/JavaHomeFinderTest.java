package io.eqlwatch.es;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaHomeFinderTest {

    @TempDir
    Path jvms;

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = jvms.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.createFile(home.resolve("bin/java"));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void readsTheFeatureVersionFromTheReleaseFile() throws IOException {
        assertEquals(21, JavaHomeFinder.featureVersion(fakeJdk("a", "21.0.4")).orElseThrow());
        assertEquals(8, JavaHomeFinder.featureVersion(fakeJdk("b", "1.8.0_402")).orElseThrow());
        assertTrue(JavaHomeFinder.featureVersion(jvms.resolve("missing")).isEmpty());
    }

    @Test
    void elasticsearch8RunsOnThisJvm() {
        // The build runs on Java 17+, which is what 8.x needs.
        Path found = new JavaHomeFinder(Map.of(), List.of(jvms)).find(8, null);
        assertEquals(Path.of(System.getProperty("java.home")), found);
    }

    @Test
    void elasticsearch9GetsTheLowestJdkOf21OrNewerWhenThisJvmIsOlder() throws IOException {
        fakeJdk("jdk-17", "17.0.9");
        fakeJdk("jdk-25", "25.0.1");
        Path jdk21 = fakeJdk("jdk-21", "21.0.4");
        Path found = new JavaHomeFinder(Map.of(), List.of(jvms)).find(9, null);
        if (Runtime.version().feature() >= 21) {
            assertEquals(Path.of(System.getProperty("java.home")), found);
        } else {
            assertEquals(jdk21, found);
        }
    }

    @Test
    void theOverrideVariableWinsAndIsChecked() throws IOException {
        Path jdk25 = fakeJdk("jdk-25", "25.0.1");
        Path jdk17 = fakeJdk("jdk-17", "17.0.9");
        assertEquals(
                jdk25,
                new JavaHomeFinder(Map.of(JavaHomeFinder.OVERRIDE_ENV, jdk25.toString()), List.of()).find(9, null));
        LocalElasticsearchException e = assertThrows(LocalElasticsearchException.class, () -> new JavaHomeFinder(
                        Map.of(JavaHomeFinder.OVERRIDE_ENV, jdk17.toString()), List.of())
                .find(9, null));
        assertTrue(e.getMessage().contains("needs Java 21"), e.getMessage());
    }

    @Test
    void saysWhatToSetWhenNoSuitableJdkExists() throws IOException {
        fakeJdk("jdk-17", "17.0.9");
        if (Runtime.version().feature() < 21) {
            LocalElasticsearchException e = assertThrows(
                    LocalElasticsearchException.class, () -> new JavaHomeFinder(Map.of(), List.of(jvms)).find(9, null));
            assertTrue(e.getMessage().contains(JavaHomeFinder.OVERRIDE_ENV), e.getMessage());
        }
    }
}
