package io.eqlwatch.schedule;

import io.eqlwatch.rule.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules this node has, each with its version: a hash of the rule's file, which every node with
 * the same file computes alike. A job in a shared schedule names the version it was scheduled with,
 * and a node runs it only when its own copy has that version.
 */
final class RuleCatalog {

    /**
     * @param version  hex SHA-256 prefix of the rule file's bytes
     * @param modified the file's modification time in epoch milliseconds (0 for a rule without a file),
     *                 which tells which of two differing copies is the newer
     */
    record Entry(Rule rule, String version, long modified) {}

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();

    /** Replaces the catalog with these rules and returns their entries by rule_id, in the given order. */
    synchronized Map<String, Entry> update(Collection<Rule> rules) {
        Map<String, Entry> next = new LinkedHashMap<>();
        for (Rule rule : rules) {
            Entry previous = byId.get(rule.ruleId());
            // A rule kept at its last good version while its file is broken keeps that version's hash.
            next.put(
                    rule.ruleId(),
                    previous != null && previous.rule().equals(rule) && sameSource(previous.rule(), rule)
                            ? previous
                            : entryOf(rule));
        }
        byId.keySet().retainAll(next.keySet());
        byId.putAll(next);
        return next;
    }

    Set<String> ruleIds() {
        return Set.copyOf(byId.keySet());
    }

    Entry get(String ruleId) {
        return byId.get(ruleId);
    }

    static Entry entryOf(Rule rule) {
        if (rule.source() != null) {
            try {
                byte[] content = Files.readAllBytes(rule.source());
                return new Entry(
                        rule,
                        hash(content),
                        Files.getLastModifiedTime(rule.source()).toMillis());
            } catch (IOException e) {
                // Unreadable now though it loaded a moment ago: fall back on the parsed content.
            }
        }
        return new Entry(rule, hash(rule.toString().getBytes(StandardCharsets.UTF_8)), 0);
    }

    private static boolean sameSource(Rule a, Rule b) {
        return a.source() == null ? b.source() == null : a.source().equals(b.source());
    }

    private static String hash(byte[] content) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
