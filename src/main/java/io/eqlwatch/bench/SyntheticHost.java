package io.eqlwatch.bench;

import io.eqlwatch.demo.DefendHostOs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One endpoint of the synthetic fleet. Its {@code host} and {@code agent} objects are built once and
 * shared by all its events (the engine only reads them), so generating an event costs little beside
 * what the engine is measured on.
 */
final class SyntheticHost {

    final int number;
    final String id;
    final String name;
    final String ip;
    final boolean windows;
    final String user;
    /** {@code process.entity_id} of the System process (pid 4), the rule's per-stage join key. */
    final String systemEntityId;

    final Map<String, Object> hostDocument;
    final Map<String, Object> agentDocument;
    private long sequence;

    SyntheticHost(int number, boolean windows, Random random) {
        this.number = number;
        this.windows = windows;
        this.id = hex(random, 32);
        this.name = windows
                ? String.format(Locale.ROOT, number % 50 == 0 ? "SRV-%05d" : "WKS-%05d", number)
                : String.format(Locale.ROOT, "lnx-%05d", number);
        this.ip = "10." + (number >> 16 & 0xff) + "." + (number >> 8 & 0xff) + "." + (number & 0xff);
        this.user = "user" + number;
        this.systemEntityId = entityId(4);
        this.sequence = 10_000L * number;
        this.agentDocument = Map.of(
                "id",
                hex(random, 8) + "-" + hex(random, 4) + "-" + hex(random, 4) + "-" + hex(random, 4) + "-"
                        + hex(random, 12),
                "type",
                "endpoint",
                "version",
                "8.19.8");
        Map<String, Object> os = DefendHostOs.document(!windows, number % 50 == 0);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("id", id);
        host.put("name", name);
        host.put("hostname", name);
        host.put("architecture", "x86_64");
        host.put("ip", List.of(ip, "fe80::" + Integer.toHexString(0x1000 + number)));
        host.put("os", os);
        this.hostDocument = host;
    }

    /** A stable {@code process.entity_id} for a pid on this host, shaped like Defend's base64 ids. */
    String entityId(long pid) {
        return "ZWs" + Integer.toString(number, 36) + "LTI" + pid + "LTEzMzU2" + id.substring(0, 6);
    }

    long nextSequence() {
        return ++sequence;
    }

    private static String hex(Random random, int digits) {
        StringBuilder out = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }
}
