package io.eqlwatch.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Alert ids computed the way Kibana's detection engine computes them, so that the same events
 * always give the same ids: a re-run over an overlapping window, a restart or a backfill finds the
 * alert already there instead of writing a second one.
 */
public final class AlertIds {

    private AlertIds() {}

    /**
     * Ids of the building blocks of one sequence. Every id covers the ancestors of all building
     * blocks, so an event that takes part in two different sequences gets a distinct building block
     * in each: SHA-256 of (for each block: its ancestors' id and index, then the rule uuid),
     * followed by the block's position.
     *
     * @param ancestorsPerBlock the ancestors of each building block, in sequence order
     */
    public static List<String> buildingBlockIds(List<List<Ancestor>> ancestorsPerBlock, String ruleUuid) {
        StringBuilder base = new StringBuilder();
        for (List<Ancestor> ancestors : ancestorsPerBlock) {
            appendIdsAndIndices(base, ancestors);
            base.append(ruleUuid);
        }
        List<String> ids = new ArrayList<>(ancestorsPerBlock.size());
        for (int i = 0; i < ancestorsPerBlock.size(); i++) {
            ids.add(sha256Hex(base.toString() + i));
        }
        return ids;
    }

    /**
     * Id of an alert derived from other alerts (a sequence's shell): SHA-256 of its ancestors' id
     * and index concatenated, then the rule uuid.
     */
    public static String derivedAlertId(List<Ancestor> ancestors, String ruleUuid) {
        StringBuilder base = new StringBuilder();
        appendIdsAndIndices(base, ancestors);
        base.append(ruleUuid);
        return sha256Hex(base.toString());
    }

    /**
     * Id of an alert made from one event (an event query): SHA-256 of the event's index, id and
     * version, then {@code space:ruleUuid}.
     */
    public static String eventAlertId(String index, String id, long version, String spaceId, String ruleUuid) {
        return sha256Hex(index + id + version + spaceId + ":" + ruleUuid);
    }

    private static void appendIdsAndIndices(StringBuilder out, List<Ancestor> ancestors) {
        for (Ancestor ancestor : ancestors) {
            out.append(ancestor.id()).append(ancestor.index());
        }
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
