package io.eqlwatch.alert;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where alerts go and how that index is kept.
 *
 * @param name                     the alias alerts are written to and read from, e.g.
 *                                 {@code eqlwatch-alerts-default}; concrete indices behind it are
 *                                 {@code <name>-000001}, {@code -000002}, ...
 * @param kibanaIndex              {@code true} when {@code name} is Kibana's own
 *                                 {@code .alerts-security.alerts-<space>}: Kibana created and
 *                                 manages it, eqlwatch installs nothing
 * @param spaceId                  the Kibana space the alerts are shown in
 * @param lifecyclePolicy          the ILM policy attached to the indices; {@code null} for none
 * @param manageLifecyclePolicy    whether eqlwatch writes that policy at start-up from the values
 *                                 below (overwriting edits made elsewhere); {@code false} when the
 *                                 policy is the user's own and must already exist
 * @param rolloverMaxPrimarySize   roll over to a new index when the primary shard reaches this
 *                                 size, e.g. {@code 50gb}
 * @param rolloverMaxAge           ... or when the write index is this old, e.g. {@code 30d}
 * @param deleteAfter              delete an index this long after its rollover, e.g. {@code 365d};
 *                                 {@code null} keeps alerts forever
 */
public record AlertIndexSettings(
        String name,
        boolean kibanaIndex,
        String spaceId,
        String lifecyclePolicy,
        boolean manageLifecyclePolicy,
        String rolloverMaxPrimarySize,
        String rolloverMaxAge,
        String deleteAfter) {

    public static final String DEFAULT_NAME = "eqlwatch-alerts-default";
    public static final String KIBANA_PREFIX = ".alerts-security.alerts-";

    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SPACE_ID = Pattern.compile("[a-z0-9_-]+");
    private static final Pattern TIME = Pattern.compile("\\d+(d|h|m|s|ms)");
    private static final Pattern SIZE = Pattern.compile("\\d+(b|kb|mb|gb|tb|pb)");

    public AlertIndexSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spaceId, "spaceId");
        if (!kibanaIndex
                && (!INDEX_NAME.matcher(name).matches()
                        || name.startsWith(".")
                        || name.startsWith("-")
                        || name.startsWith("_"))) {
            throw new IllegalArgumentException("alerts index '" + name + "' is not a valid index name: use lower-case"
                    + " letters, digits, '-', '_' and '.', not starting with '.', '-' or '_'");
        }
        if (!SPACE_ID.matcher(spaceId).matches()) {
            throw new IllegalArgumentException(
                    "Kibana space id '" + spaceId + "' is not valid: lower-case letters, digits, '-' and '_'");
        }
        check("rollover max primary shard size", rolloverMaxPrimarySize, SIZE, "50gb");
        check("rollover max age", rolloverMaxAge, TIME, "30d");
        check("delete after", deleteAfter, TIME, "365d");
    }

    private static void check(String what, String value, Pattern shape, String example) {
        if (value != null && !shape.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    what + " '" + value + "' is not valid: expected a value like " + example);
        }
    }

    /** {@code eqlwatch-alerts-default}, rolling over at 50 GB or 30 days, deleting after a year. */
    public static AlertIndexSettings defaults() {
        return named(DEFAULT_NAME);
    }

    /**
     * The settings for what a user typed as the alerts index: Kibana's
     * {@code .alerts-security.alerts-<space>} selects Kibana's index of that space, any other name
     * eqlwatch's own index under that name.
     */
    public static AlertIndexSettings forIndex(String name) {
        if (name.startsWith(KIBANA_PREFIX) && name.length() > KIBANA_PREFIX.length()) {
            return kibana(name.substring(KIBANA_PREFIX.length()));
        }
        return named(name);
    }

    /** eqlwatch's own index under another name, with the default lifecycle. */
    public static AlertIndexSettings named(String name) {
        return new AlertIndexSettings(name, false, "default", name + "-policy", true, "50gb", "30d", "365d");
    }

    /** Kibana's alerts index of a space: {@code .alerts-security.alerts-<space>}. */
    public static AlertIndexSettings kibana(String spaceId) {
        return new AlertIndexSettings(KIBANA_PREFIX + spaceId, true, spaceId, null, false, null, null, null);
    }

    public AlertIndexSettings withLifecycle(String maxPrimarySize, String maxAge, String deleteAfterValue) {
        return new AlertIndexSettings(
                name,
                kibanaIndex,
                spaceId,
                lifecyclePolicy,
                manageLifecyclePolicy,
                maxPrimarySize,
                maxAge,
                deleteAfterValue);
    }

    /** The composable index template's name. */
    public String templateName() {
        return name;
    }

    /** Pattern of the concrete indices behind the alias. */
    public String indexPattern() {
        return name + "-*";
    }

    /** The first concrete index, created with the alias as its write alias. */
    public String firstIndex() {
        return name + "-000001";
    }
}
