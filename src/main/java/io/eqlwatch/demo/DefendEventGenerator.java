package io.eqlwatch.demo;

import io.eqlwatch.demo.DefendDocuments.Activity;
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
    private static final Duration MAXSPAN = Duration.ofSeconds(30);

    private final Random random;
    private final DefendDocuments documents;
    private final DefendNoise noise;
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
        this.noise = new DefendNoise(random, this::entityId);
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
        int pid = 4;
        String processName = "System";
        String executable = "System";
        String networkEntity = host.systemEntityId();
        String fileEntity = host.systemEntityId();
        String sourceIp = remote.ip;
        int sourcePort = 49152 + random.nextInt(16000);
        String destinationIp = host.ip();
        int destinationPort = 445;
        String direction = "incoming";
        String action = "connection_accepted";
        String fileType = "creation";
        String path = "C:\\Windows\\Temp\\" + remote.toolName + ".exe";
        String header = MZ_HEADER;
        switch (kind) {
            case ATTACK -> {}
            case ATTACK_INGRESS -> direction = "ingress";
            case ATTACK_CHANGE_EVENT -> fileType = "change";
            case ATTACK_MZ_HEADER_ONLY -> path = "C:\\Windows\\Temp\\" + remote.toolName + ".dat";
            case ATTACK_UPPERCASE_HEADER -> {
                path = "C:\\Windows\\Temp\\" + remote.toolName + ".dat";
                header = MZ_HEADER.toUpperCase(Locale.ROOT);
            }
            case ATTACK_DLL_EXTENSION_ONLY -> {
                path = "C:\\Windows\\System32\\" + remote.toolName + ".dll";
                header = DefendNoise.ZERO_HEADER;
            }
            case ATTACK_UPPERCASE_EXTENSION -> {
                path = "C:\\Windows\\Temp\\" + remote.toolName.toUpperCase(Locale.ROOT) + ".EXE";
                header = DefendNoise.ZERO_HEADER;
            }
            case ATTACK_AT_MAXSPAN -> fileTime = connectionTime.plus(MAXSPAN);
            case PORT_139 -> destinationPort = 139;
            case LOOPBACK_SOURCE -> sourceIp = "127.0.0.1";
            case LOOPBACK_SOURCE_IPV6 -> sourceIp = "0:0:0:0:0:0:0:1";
            case PID_NOT_4 -> {
                pid = 1234;
                processName = "svchost.exe";
                executable = "C:\\Windows\\System32\\svchost.exe";
                networkEntity = entityId(host, pid);
                fileEntity = networkEntity;
            }
            case OUTGOING_DIRECTION -> {
                sourceIp = host.ip();
                destinationIp = remote.ip;
                direction = "outgoing";
                action = "connection_attempted";
            }
            case NON_EXECUTABLE_FILE -> {
                path = "C:\\Windows\\Temp\\" + remote.toolName + ".txt";
                header = DefendNoise.TEXT_HEADER;
            }
            case FILE_BEFORE_NETWORK -> fileTime = connectionTime.minusSeconds(5);
            case GAP_OVER_30S -> fileTime = connectionTime.plus(MAXSPAN).plusMillis(1);
            case OTHER_ENTITY_ID -> fileEntity = entityId(host, 4);
            case OTHER_HOST -> {
                fileHost = newHost("windows");
                fileEntity = fileHost.systemEntityId();
            }
            default -> throw new IllegalArgumentException("Unhandled scenario " + kind);
        }
        Connection connection = new Connection(
                pid,
                processName,
                executable,
                networkEntity,
                sourceIp,
                sourcePort,
                destinationIp,
                destinationPort,
                direction,
                "tcp",
                "start",
                action);
        FileOperation write = new FileOperation(
                pid, processName, executable, fileEntity, fileType, path, header, 4096 + random.nextInt(2_000_000));
        List<GeneratedEvent> events = new ArrayList<>();
        events.add(event(host, connectionTime, connection));
        events.add(event(fileHost, fileTime, write));
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
            Activity activity =
                    host.windows() ? noise.windows(random.nextInt(DefendNoise.WINDOWS_KINDS), host) : noise.linux(host);
            out.add(event(host, at, activity));
        }
        out.sort(Comparator.comparing(GeneratedEvent::timestamp));
        return out;
    }

    // ---- documents

    private GeneratedEvent event(DefendHost host, Instant at, Activity activity) {
        return new GeneratedEvent(
                DefendDocuments.dataset(activity), at, documents.document(host, at, eventId(), activity));
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
    private String entityId(DefendHost host, int pid) {
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
