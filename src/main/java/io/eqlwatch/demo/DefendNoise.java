package io.eqlwatch.demo;

import io.eqlwatch.demo.DefendDocuments.Activity;
import io.eqlwatch.demo.DefendDocuments.Connection;
import io.eqlwatch.demo.DefendDocuments.FileOperation;
import java.util.Random;

/**
 * The everyday activity of a fleet, for the demo and the benchmark alike: web and DNS traffic, RDP and SSH
 * logons, connections ending, documents and logs written, installers cleaning up. None of it is an incoming
 * SMB connection by System or an executable written by System, so none of it can start or complete a
 * sequence of the SMB rule.
 */
public final class DefendNoise {

    /** How many kinds of Windows activity {@link #windows} knows, numbered from 0. */
    public static final int WINDOWS_KINDS = 8;

    static final String ZERO_HEADER = "00000000000000000000000000000000";
    static final String TEXT_HEADER = "48656c6c6f2c20776f726c64210d0a00";
    static final String PDF_HEADER = "255044462d312e370d0a25b5b5b5b50d";
    static final String ZIP_HEADER = "504b0304140006000800000021000000";

    /** How a generator names a process instance on a host. */
    @FunctionalInterface
    public interface EntityIds {
        String of(DefendHost host, int pid);
    }

    private final Random random;
    private final EntityIds entityIds;

    public DefendNoise(Random random, EntityIds entityIds) {
        this.random = random;
        this.entityIds = entityIds;
    }

    /** Activity number {@code kind} (0 to {@link #WINDOWS_KINDS} - 1) of a Windows host. */
    public Activity windows(int kind, DefendHost host) {
        return switch (kind) {
            case 0 -> browsing(host, "start", "connection_attempted");
            case 1 -> new Connection(
                    1408,
                    "svchost.exe",
                    "C:\\Windows\\System32\\svchost.exe",
                    entityIds.of(host, 1408),
                    host.ip(),
                    ephemeralPort(),
                    "10.0.0.2",
                    53,
                    "outgoing",
                    "udp",
                    "start",
                    "connection_attempted");
            case 2 -> new Connection(
                    1096,
                    "svchost.exe",
                    "C:\\Windows\\System32\\svchost.exe",
                    entityIds.of(host, 1096),
                    privateIp(),
                    ephemeralPort(),
                    host.ip(),
                    3389,
                    "incoming",
                    "tcp",
                    "start",
                    "connection_accepted");
            case 3 -> browsing(host, "end", "disconnect_received");
            case 4 -> new FileOperation(
                    7344,
                    "WINWORD.EXE",
                    "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                    entityIds.of(host, 7344),
                    "creation",
                    "C:\\Users\\" + host.user() + "\\Documents\\report-" + random.nextInt(100) + ".docx",
                    ZIP_HEADER,
                    20_000 + random.nextInt(500_000));
            case 5 -> new FileOperation(
                    4,
                    "System",
                    "System",
                    host.systemEntityId(),
                    "change",
                    "C:\\Windows\\System32\\LogFiles\\Srt\\SrtTrail.txt",
                    TEXT_HEADER,
                    4096 + random.nextInt(60_000));
            case 6 -> new FileOperation(
                    5012,
                    "msiexec.exe",
                    "C:\\Windows\\System32\\msiexec.exe",
                    entityIds.of(host, 5012),
                    "deletion",
                    "C:\\Windows\\Installer\\MSI" + Integer.toHexString(random.nextInt(0xffff)) + ".tmp",
                    ZERO_HEADER,
                    1000 + random.nextInt(100_000));
            case 7 -> new FileOperation(
                    3380,
                    "explorer.exe",
                    "C:\\Windows\\explorer.exe",
                    entityIds.of(host, 3380),
                    "creation",
                    "C:\\Users\\" + host.user() + "\\Downloads\\invoice-" + random.nextInt(1000) + ".pdf",
                    PDF_HEADER,
                    10_000 + random.nextInt(400_000));
            default -> throw new IllegalArgumentException("no Windows activity number " + kind);
        };
    }

    /** An SSH logon or a syslog write on a Linux host. */
    public Activity linux(DefendHost host) {
        if (random.nextBoolean()) {
            return new Connection(
                    912,
                    "sshd",
                    "/usr/sbin/sshd",
                    entityIds.of(host, 912),
                    privateIp(),
                    ephemeralPort(),
                    host.ip(),
                    22,
                    "incoming",
                    "tcp",
                    "start",
                    "connection_accepted");
        }
        return new FileOperation(
                1201,
                "rsyslogd",
                "/usr/sbin/rsyslogd",
                entityIds.of(host, 1201),
                "change",
                "/var/log/syslog",
                TEXT_HEADER,
                1_000_000 + random.nextInt(1_000_000));
    }

    /** An address on the corporate network. */
    public String privateIp() {
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    /** A client's port, from the range Windows hands out. */
    public int ephemeralPort() {
        return 49152 + random.nextInt(16_000);
    }

    private Connection browsing(DefendHost host, String type, String action) {
        return new Connection(
                6120,
                "chrome.exe",
                "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                entityIds.of(host, 6120),
                host.ip(),
                ephemeralPort(),
                publicIp(),
                443,
                "outgoing",
                "tcp",
                type,
                action);
    }

    private String publicIp() {
        return (20 + random.nextInt(150)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + (1 + random.nextInt(254));
    }
}
