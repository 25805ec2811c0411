package io.eqlwatch.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One endpoint running Elastic Defend, as its events describe it: the {@code host} and {@code agent}
 * objects and the users its processes run as. Those objects are built once and shared by all the host's
 * events (readers only read them), so generating an event costs little beside what is measured on it.
 * How hosts are named, addressed and numbered is the generator's choice; what their documents look like
 * is decided here, once, for the demo and the benchmark alike.
 */
public final class DefendHost {

    private static final Map<String, Object> SYSTEM_USER =
            Map.of("domain", "NT AUTHORITY", "name", "SYSTEM", "id", "S-1-5-18");
    private static final Map<String, Object> ROOT_USER = Map.of("name", "root", "id", "0");

    private final int number;
    private final String id;
    private final String name;
    private final String ip;
    private final boolean windows;
    private final String user;
    private final Map<String, Object> hostDocument;
    private final Map<String, Object> agentDocument;
    private final Map<String, Object> interactiveUser;
    private String systemEntityId;
    private long sequence;
    private long fileChanges;

    /**
     * @param number   the host's number in its fleet: its MAC address, link-local address, SID suffix and
     *                 the start of its {@code event.sequence} follow from it
     * @param server   a Windows Server rather than a workstation (ignored for Linux)
     */
    public DefendHost(
            int number,
            String id,
            String name,
            String ip,
            boolean windows,
            boolean server,
            String agentId,
            String user) {
        this.number = number;
        this.id = id;
        this.name = name;
        this.ip = ip;
        this.windows = windows;
        this.user = user;
        this.sequence = 10_000L * number;
        this.agentDocument = Map.of("id", agentId, "type", "endpoint", "version", DefendDocuments.AGENT_VERSION);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("id", id);
        host.put("name", name);
        host.put("hostname", name);
        host.put("architecture", "x86_64");
        host.put("ip", List.of(ip, "fe80::" + Integer.toHexString(0x1000 + number), "127.0.0.1", "::1"));
        host.put(
                "mac",
                List.of(String.format(
                        Locale.ROOT,
                        "00-50-56-%02X-%02X-%02X",
                        number / 65536 % 256,
                        number / 256 % 256,
                        number % 256)));
        host.put("os", DefendHostOs.document(!windows, server));
        this.hostDocument = Collections.unmodifiableMap(host);
        this.interactiveUser = Map.of(
                "domain", "CORP", "name", user, "id", "S-1-5-21-3623811015-3361044348-30300820-" + (1000 + number));
    }

    public int number() {
        return number;
    }

    /** {@code host.id}: the SMB rule's sequence key. */
    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String ip() {
        return ip;
    }

    public boolean windows() {
        return windows;
    }

    /** The interactive user's account name, e.g. for paths under {@code C:\Users}. */
    public String user() {
        return user;
    }

    /** {@code process.entity_id} of the System process (pid 4), the rule's per-stage join key. */
    public String systemEntityId() {
        return systemEntityId;
    }

    /** Set once by the generator, which decides how entity ids are made. */
    public void systemEntityId(String entityId) {
        this.systemEntityId = entityId;
    }

    Map<String, Object> hostDocument() {
        return hostDocument;
    }

    Map<String, Object> agentDocument() {
        return agentDocument;
    }

    /** The account a process runs as: root on Linux, SYSTEM for the low pids of Windows services, else the user. */
    Map<String, Object> userDocument(int pid) {
        if (!windows) {
            return ROOT_USER;
        }
        return pid < 2000 ? SYSTEM_USER : interactiveUser;
    }

    /** {@code file.Ext.monotonic_id}: Defend counts the host's file changes. */
    long nextFileChange() {
        return ++fileChanges;
    }

    /** Defend numbers each host's events in order. */
    long nextSequence() {
        return ++sequence;
    }
}
