package io.eqlwatch.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The nodes of the cluster as Quartz records them in its scheduler state table. */
public final class ClusterNodes {

    /** How much longer than its interval Quartz waits for a node's check-in before taking its work over. */
    static final Duration QUARTZ_GRACE = Duration.ofMillis(7_500);

    /**
     * One node's last check-in.
     *
     * @param checkinInterval the interval the node itself checks in at
     */
    public record Node(String name, Instant lastCheckin, Duration checkinInterval) {

        /** Alive while its check-in is not overdue by Quartz's measure; a dead node's rules move to the others. */
        public boolean alive(Instant now) {
            return !now.isAfter(lastCheckin.plus(checkinInterval).plus(QUARTZ_GRACE));
        }
    }

    private final ClusterDatabase database;

    public ClusterNodes(ClusterDatabase database) {
        this.database = database;
    }

    /** The nodes Quartz knows, by name. */
    public List<Node> list() {
        String sql = "SELECT instance_name, last_checkin_time, checkin_interval FROM " + QuartzSchema.TABLE_PREFIX
                + "SCHEDULER_STATE WHERE sched_name = ? ORDER BY instance_name";
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schedulerName());
            List<Node> out = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    out.add(new Node(
                            rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Duration.ofMillis(rs.getLong(3))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw database.failure("cannot read the nodes from", e);
        }
    }

    /**
     * Fails while a live node already goes by this node's name: two nodes with one Quartz instance id
     * would each take the other's check-ins for their own and never recover each other's rules. A
     * node killed a moment ago stops counting as live after its check-in grace, and may then restart
     * under its old name.
     */
    public void requireNameFree(String nodeName, Instant now) {
        Optional<Node> same =
                list().stream().filter(n -> n.name().equals(nodeName)).findFirst();
        if (same.isPresent() && same.get().alive(now)) {
            long ago = Duration.between(same.get().lastCheckin(), now).toSeconds();
            throw new ClusterException("a node named " + nodeName + " checked in to the cluster " + ago
                    + " s ago: give every node its own --cluster-node-name (if that node was just killed, this one"
                    + " can take the name once its check-in is overdue)");
        }
    }

    /** The scheduler name all eqlwatch nodes share; Quartz keys every row by it. */
    static String schedulerName() {
        return "eqlwatch";
    }
}
