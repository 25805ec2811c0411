package io.eqlwatch.demo;

import io.eqlwatch.demo.DefendDocuments.Connection;
import io.eqlwatch.demo.DefendDocuments.FileOperation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Makes realistic Elastic Defend (endpoint) network and file events, shaped as the endpoint package writes
 * them (agent, host, process, user, event, data_stream, source/destination or file), for the demo and the
 * tests: SMB lateral tool transfers, every benign look-alike of one, and background noise. The same seed
 * gives the same events. Each scenario runs on a host of its own, so scenarios never pair up with each
 * other; noise never carries an event the rule's first stage accepts, so it cannot create or spoil an alert.
 */
public final class DefendEventGenerator {

    private static final String MZ_HEADER = "4d5a90000300000004000000ffff0000";
    private static final String ZERO_HEADER = "00000000000000000000000000000000";
    private static final String TEXT_HEADER = "48656c6c6f2c20776f726c64210d0a00";
    private static final Duration MAXSPAN = Duration.ofSeconds(30);

    private final Random random;
    private final DefendDocuments documents;
    private final List<DefendHost> noiseHosts = new ArrayList<>();
    private int hostCounter;
    private int remoteCounter;

    /** Events for the {@code default} namespace. */
    public DefendEventGenerator(long seed) {
        this(seed, "default");
    }

    /** Events whose {@code data_stream.namespace} is {@code namespace}. */
    public DefendEventGenerator(long seed, String namespace) {
        this.random = new Random(seed);
        this.documents = new DefendDocuments(namespace);
        for (int i = 0; i < 6; i++) {
            noiseHosts.add(newHost(i < 5 ? "windows" : "linux"));
        }
    }

    /** The canonical attack: System accepts SMB from a remote host and writes an executable a few seconds later. */
    public Scenario attack(Instant connectionTime) {
        return scenario(ScenarioKind.ATTACK, connectionTime);
    }

    /** One scenario of the given kind whose connection happens at {@code connectionTime}, on a new host. */
    public Scenario scenario(ScenarioKind kind, Instant connectionTime) {
        DefendHost host = newHost("windows");
        DefendHost fileHost = host;
        Remote remote = newRemote();
        Instant fileTime = connectionTime.plusMillis(1500 + random.nextInt(8000));
        Connection network = Connection.tcpStart(
                4,
                "System",
                "System",
                host.systemEntityId(),
                remote.ip,
                49152 + random.nextInt(16000),
                host.ip(),
                445,
                "incoming",
                "connection_accepted");
        FileOperation file = fileOperation(
                4,
                "System",
                "System",
                host.systemEntityId(),
                "creation",
                "C:\\Windows\\Temp\\" + remote.toolName + ".exe",
                MZ_HEADER);
        List<GeneratedEvent> events = new ArrayList<>();
        switch (kind) {
            case ATTACK -> {}
            case ATTACK_INGRESS -> network = network.withDirection("ingress", "connection_accepted");
            case ATTACK_CHANGE_EVENT -> file = file.withType("change");
            case ATTACK_MZ_HEADER_ONLY -> file =
                    file.withPath("C:\\Windows\\Temp\\" + remote.toolName + ".dat", MZ_HEADER);
            case ATTACK_UPPERCASE_HEADER -> file =
                    file.withPath("C:\\Windows\\Temp\\" + remote.toolName + ".dat", MZ_HEADER.toUpperCase(Locale.ROOT));
            case ATTACK_DLL_EXTENSION_ONLY -> file =
                    file.withPath("C:\\Windows\\System32\\" + remote.toolName + ".dll", ZERO_HEADER);
            case ATTACK_UPPERCASE_EXTENSION -> file = file.withPath(
                    "C:\\Windows\\Temp\\" + remote.toolName.toUpperCase(Locale.ROOT) + ".EXE", ZERO_HEADER);
            case ATTACK_AT_MAXSPAN -> fileTime = connectionTime.plus(MAXSPAN);
            case PORT_139 -> network = network.withDestinationPort(139);
            case LOOPBACK_SOURCE -> network = network.withSource("127.0.0.1");
            case LOOPBACK_SOURCE_IPV6 -> network = network.withSource("0:0:0:0:0:0:0:1");
            case PID_NOT_4 -> {
                String entity = entityId(host, 1234);
                network = network.withProcess(1234, "svchost.exe", "C:\\Windows\\System32\\svchost.exe", entity);
                file = file.withProcess(1234, "svchost.exe", "C:\\Windows\\System32\\svchost.exe", entity);
            }
            case OUTGOING_DIRECTION -> network = Connection.tcpStart(
                    4,
                    "System",
                    "System",
                    host.systemEntityId(),
                    host.ip(),
                    49152 + random.nextInt(16000),
                    remote.ip,
                    445,
                    "outgoing",
                    "connection_attempted");
            case NON_EXECUTABLE_FILE -> file =
                    file.withPath("C:\\Windows\\Temp\\" + remote.toolName + ".txt", TEXT_HEADER);
            case FILE_BEFORE_NETWORK -> fileTime = connectionTime.minusSeconds(5);
            case GAP_OVER_30S -> fileTime = connectionTime.plus(MAXSPAN).plusMillis(1);
            case OTHER_ENTITY_ID -> file = file.withProcess(4, "System", "System", entityId(host, 4));
            case OTHER_HOST -> {
                fileHost = newHost("windows");
                file = file.withProcess(file.pid(), file.processName(), file.executable(), fileHost.systemEntityId());
            }
            default -> throw new IllegalArgumentException("Unhandled scenario " + kind);
        }
        events.add(networkEvent(host, connectionTime, network));
        events.add(fileEvent(fileHost, fileTime, file));
        events.sort(Comparator.comparing(GeneratedEvent::timestamp));
        return new Scenario(kind, host.id(), host.name(), events);
    }

    /** One scenario of every kind, the connections {@code spacing} apart from {@code start}. */
    public List<Scenario> everyScenario(Instant start, Duration spacing) {
        List<Scenario> out = new ArrayList<>();
        Instant at = start;
        for (ScenarioKind kind : ScenarioKind.values()) {
            out.add(scenario(kind, at));
            at = at.plus(spacing);
        }
        return out;
    }

    /**
     * {@code count} benign events spread over [from, to): web and DNS traffic, RDP and SSH logons, network
     * ends, documents and logs written, installers deleting files, on a fixed set of workstations, servers and
     * a Linux host. None is an incoming SMB connection by System, so none can start a sequence of the rule.
     */
    public List<GeneratedEvent> noise(Instant from, Instant to, int count) {
        long span = Math.max(1, Duration.between(from, to).toMillis());
        List<GeneratedEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant at = from.plusMillis((long) (random.nextDouble() * span));
            DefendHost host = noiseHosts.get(random.nextInt(noiseHosts.size()));
            out.add(!host.windows() ? linuxNoise(host, at) : windowsNoise(host, at));
        }
        out.sort(Comparator.comparing(GeneratedEvent::timestamp));
        return out;
    }

    private GeneratedEvent windowsNoise(DefendHost host, Instant at) {
        int pick = random.nextInt(8);
        String remoteIp = "10.0." + (1 + random.nextInt(250)) + "." + (1 + random.nextInt(250));
        String publicIp = (20 + random.nextInt(150)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + (1 + random.nextInt(254));
        int ephemeral = 49152 + random.nextInt(16000);
        return switch (pick) {
            case 0 -> networkEvent(
                    host,
                    at,
                    Connection.tcpStart(
                            6120,
                            "chrome.exe",
                            "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                            entityId(host, 6120),
                            host.ip(),
                            ephemeral,
                            publicIp,
                            443,
                            "outgoing",
                            "connection_attempted"));
            case 1 -> networkEvent(
                    host,
                    at,
                    Connection.tcpStart(
                                    1408,
                                    "svchost.exe",
                                    "C:\\Windows\\System32\\svchost.exe",
                                    entityId(host, 1408),
                                    host.ip(),
                                    ephemeral,
                                    "10.0.0.2",
                                    53,
                                    "outgoing",
                                    "connection_attempted")
                            .withTransport("udp"));
            case 2 -> networkEvent(
                    host,
                    at,
                    Connection.tcpStart(
                            1096,
                            "svchost.exe",
                            "C:\\Windows\\System32\\svchost.exe",
                            entityId(host, 1096),
                            remoteIp,
                            ephemeral,
                            host.ip(),
                            3389,
                            "incoming",
                            "connection_accepted"));
            case 3 -> networkEvent(
                    host,
                    at,
                    Connection.tcpStart(
                                    6120,
                                    "chrome.exe",
                                    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                                    entityId(host, 6120),
                                    host.ip(),
                                    ephemeral,
                                    publicIp,
                                    443,
                                    "outgoing",
                                    "disconnect_received")
                            .withType("end"));
            case 4 -> fileEvent(
                    host,
                    at,
                    fileOperation(
                            7344,
                            "WINWORD.EXE",
                            "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                            entityId(host, 7344),
                            "creation",
                            "C:\\Users\\" + host.user() + "\\Documents\\report-" + random.nextInt(100) + ".docx",
                            "504b0304140006000800000021000000"));
            case 5 -> fileEvent(
                    host,
                    at,
                    fileOperation(
                            4,
                            "System",
                            "System",
                            host.systemEntityId(),
                            "change",
                            "C:\\Windows\\System32\\LogFiles\\Srt\\SrtTrail.log",
                            TEXT_HEADER));
            case 6 -> fileEvent(
                    host,
                    at,
                    fileOperation(
                            5012,
                            "msiexec.exe",
                            "C:\\Windows\\System32\\msiexec.exe",
                            entityId(host, 5012),
                            "deletion",
                            "C:\\Windows\\Installer\\MSI" + Integer.toHexString(random.nextInt(0xffff)) + ".tmp",
                            ZERO_HEADER));
            default -> fileEvent(
                    host,
                    at,
                    fileOperation(
                            3380,
                            "explorer.exe",
                            "C:\\Windows\\explorer.exe",
                            entityId(host, 3380),
                            "creation",
                            "C:\\Users\\" + host.user() + "\\Downloads\\invoice-" + random.nextInt(1000) + ".pdf",
                            "255044462d312e370d0a25b5b5b5b50d"));
        };
    }

    private GeneratedEvent linuxNoise(DefendHost host, Instant at) {
        String remoteIp = "10.0." + (1 + random.nextInt(250)) + "." + (1 + random.nextInt(250));
        if (random.nextBoolean()) {
            return networkEvent(
                    host,
                    at,
                    Connection.tcpStart(
                            912,
                            "sshd",
                            "/usr/sbin/sshd",
                            entityId(host, 912),
                            remoteIp,
                            49152 + random.nextInt(16000),
                            host.ip(),
                            22,
                            "incoming",
                            "connection_accepted"));
        }
        return fileEvent(
                host,
                at,
                fileOperation(
                        1201,
                        "rsyslogd",
                        "/usr/sbin/rsyslogd",
                        entityId(host, 1201),
                        "change",
                        "/var/log/syslog",
                        TEXT_HEADER));
    }

    // ---- documents

    private GeneratedEvent networkEvent(DefendHost host, Instant at, Connection connection) {
        return new GeneratedEvent(
                DefendDataset.NETWORK, at, documents.network(host, at, ingested(at), eventId(), connection));
    }

    private GeneratedEvent fileEvent(DefendHost host, Instant at, FileOperation operation) {
        return new GeneratedEvent(DefendDataset.FILE, at, documents.file(host, at, ingested(at), eventId(), operation));
    }

    /** Defend's events reach the cluster one to three seconds after they happen. */
    private Instant ingested(Instant at) {
        return at.plusMillis(800 + random.nextInt(2500));
    }

    /** A file operation with a plausible size, entropy and change counter. */
    private FileOperation fileOperation(
            int pid, String processName, String executable, String entityId, String type, String path, String header) {
        return new FileOperation(
                pid,
                processName,
                executable,
                entityId,
                type,
                path,
                header,
                4096 + random.nextInt(2_000_000),
                Math.round((3 + random.nextDouble() * 4.9) * 1e6) / 1e6,
                1000 + random.nextInt(1_000_000));
    }

    // ---- hosts and ids

    private DefendHost newHost(String os) {
        int number = ++hostCounter;
        boolean server = os.equals("windows") && number % 7 == 0;
        String name = os.equals("linux")
                ? String.format(Locale.ROOT, "lnx-web-%02d", number)
                : server
                        ? String.format(Locale.ROOT, "SRV-FILE%02d", number)
                        : String.format(Locale.ROOT, "WKS-%04d", number);
        String ip = "10.0." + (1 + number / 250) + "." + (1 + number % 250);
        String id = uuid();
        DefendHost host = new DefendHost(
                number, id, name, ip, os.equals("windows"), server, uuid(), "user" + (1 + random.nextInt(500)));
        host.systemEntityId(entityId(host, 4));
        return host;
    }

    private Remote newRemote() {
        int n = ++remoteCounter;
        String[] tools = {"psexesvc", "svc-update", "winupd", "rclone", "adfind", "tool", "beacon", "agent"};
        return new Remote(
                "10.0.200." + (1 + n % 250),
                tools[random.nextInt(tools.length)] + "-" + Integer.toHexString(random.nextInt(0xfff)));
    }

    /** Defend's entity ids are base64 of agent id, pid and process start; unique per process instance. */
    private String entityId(DefendHost host, long pid) {
        String raw = host.id() + "-" + pid + "-" + (133_500_000_000_000_000L + (random.nextLong() & 0xffffffffffL));
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private String eventId() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private record Remote(String ip, String toolName) {}
}
