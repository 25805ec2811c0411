package io.eqlwatch.bench;

import io.eqlwatch.demo.DefendDataset;
import io.eqlwatch.demo.DefendDocuments;
import io.eqlwatch.demo.DefendDocuments.Activity;
import io.eqlwatch.demo.DefendDocuments.Connection;
import io.eqlwatch.demo.DefendDocuments.FileOperation;
import io.eqlwatch.demo.DefendHost;
import io.eqlwatch.demo.DefendNoise;
import io.eqlwatch.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A lazily generated, timestamp-ordered stream of Elastic Defend events for benchmarking the SMB
 * lateral tool transfer rule: noise that no stage of the rule accepts, stage-1 candidates (System accepts
 * an inbound SMB connection) that never complete a sequence, and planted tool transfers that do. Only
 * the events of scenarios still in flight are held, so the stream costs no memory per event.
 *
 * <p>Why the planted sequences are exactly what the rule finds: a scenario (candidate or transfer) takes a
 * host of its own until its last event, so no other stage-1 event of that host can come between a
 * transfer's connection and its file write and pair with it; noise never passes either stage; a planted
 * file write comes 1 to 20 s after its connection (inside the 30 s maxspan), a candidate's late executable
 * 30.001 to 45 s after (outside it). A transfer counts as planted once its file write is emitted.
 *
 * <p>Event ids tell what an event is: {@code atk-K-net} and {@code atk-K-file} are planted transfer K,
 * {@code evt-N} is anything else (N its place in the stream).
 */
public final class SyntheticEventStream implements Iterator<Event> {

    static final String INDEX_PREFIX = "eqlwatch-bench-";
    static final String ATTACK_PREFIX = "atk-";
    static final String NETWORK_SUFFIX = "-net";
    static final String FILE_SUFFIX = "-file";

    private static final String MZ_HEADER = "4d5a90000300000004000000ffff0000";
    private static final String ZERO_HEADER = "00000000000000000000000000000000";
    private static final String TEXT_HEADER = "48656c6c6f2c20776f726c64210d0a00";
    private static final String PDF_HEADER = "255044462d312e370d0a25b5b5b5b50d";
    private static final String ZIP_HEADER = "504b0304140006000800000021000000";
    private static final String[] TOOLS = {
        "psexesvc", "beacon", "rclone", "procdump64", "adfind", "svcupdate", "m64", "nc", "winrm_helper", "agent_x64"
    };
    private static final int FREE_HOST_TRIES = 16;
    /** Percent weights of the kinds of Windows noise, in the order of {@link #windowsNoise}. */
    private static final int[] NOISE_WEIGHTS = {22, 14, 8, 14, 10, 10, 5, 10, 3, 2, 2};

    private final Workload workload;
    private final Random random;
    private final DefendDocuments documents;
    private final DefendNoise everyday;
    private final String networkIndex;
    private final String fileIndex;
    private final DefendHost[] hosts;
    private final int[] windowsHosts;
    private final long[] busyUntil;
    private final PriorityQueue<FollowUp> followUps =
            new PriorityQueue<>(Comparator.comparingLong(FollowUp::at).thenComparingLong(FollowUp::order));
    private final long startMillis;
    private final double meanGapMillis;
    private final BitSet planted = new BitSet();
    private double clock;
    private long emitted;
    private long followUpOrder;
    private long lastTimestamp;

    private long noise;
    private long candidates;
    private long attacksStarted;
    private long plantedCount;
    private long noFreeHost;

    /** The stream of {@code workload}, its documents in the data stream namespace {@code namespace}. */
    public SyntheticEventStream(Workload workload, String namespace) {
        this.workload = workload;
        this.random = new Random(workload.seed());
        this.documents = new DefendDocuments(namespace);
        this.everyday = new DefendNoise(random, SyntheticEventStream::entityId);
        // Not logs-*-*: on a default Elasticsearch that pattern belongs to the built-in data-stream template,
        // which refuses plain indices created by name.
        this.networkIndex = INDEX_PREFIX + DefendDataset.NETWORK.dataset() + "-" + namespace;
        this.fileIndex = INDEX_PREFIX + DefendDataset.FILE.dataset() + "-" + namespace;
        this.hosts = new DefendHost[workload.hosts()];
        List<Integer> windows = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            // every tenth host is Linux, but never the only one: scenarios need a Windows host
            boolean isWindows = i % 10 != 9;
            hosts[i] = newHost(i + 1, isWindows);
            if (isWindows) {
                windows.add(i);
            }
        }
        this.windowsHosts = windows.stream().mapToInt(Integer::intValue).toArray();
        this.busyUntil = new long[hosts.length];
        Arrays.fill(busyUntil, Long.MIN_VALUE);
        this.startMillis = workload.start().toEpochMilli();
        this.meanGapMillis = 1000.0 / workload.eventsPerSecond();
    }

    public SyntheticEventStream(Workload workload) {
        this(workload, "default");
    }

    /** {@code eqlwatch-bench-endpoint.events.network-<namespace>}: the index network events belong to. */
    public String networkIndex() {
        return networkIndex;
    }

    /** {@code eqlwatch-bench-endpoint.events.file-<namespace>}: the index file events belong to. */
    public String fileIndex() {
        return fileIndex;
    }

    @Override
    public boolean hasNext() {
        return emitted < workload.events();
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long slotAt = startMillis + (long) clock;
        FollowUp due = followUps.peek();
        Event event;
        if (due != null && due.at() <= slotAt) {
            followUps.poll();
            event = emit(due);
        } else {
            event = slot(slotAt);
            // exponential gaps: a Poisson stream at the workload's rate
            clock += -Math.log(1.0 - random.nextDouble()) * meanGapMillis;
        }
        if (event.timestamp().toEpochMilli() < lastTimestamp) {
            throw new IllegalStateException("generator bug: event " + event.id() + " goes back in time");
        }
        lastTimestamp = event.timestamp().toEpochMilli();
        emitted++;
        return event;
    }

    /** What was generated so far. */
    public Tally tally() {
        return new Tally(
                emitted,
                noise,
                candidates,
                attacksStarted,
                plantedCount,
                noFreeHost,
                emitted == 0 ? 0 : lastTimestamp - startMillis);
    }

    /** {@code true} when planted transfer {@code k} has had both its events emitted. */
    public boolean isPlanted(int k) {
        return planted.get(k);
    }

    /**
     * Counts of the stream so far.
     *
     * @param events          events emitted
     * @param noise           noise events (no stage of the rule accepts them)
     * @param candidates      stage-1 candidates started (a connection that never completes a sequence)
     * @param attacksStarted  planted transfers whose connection was emitted
     * @param planted         planted transfers whose file write was emitted too: the matches to expect
     * @param noFreeHost      scenarios not started because no Windows host was free (noise instead)
     * @param spanMillis      time from the first to the last event
     */
    public record Tally(
            long events,
            long noise,
            long candidates,
            long attacksStarted,
            long planted,
            long noFreeHost,
            long spanMillis) {}

    // ---- slots

    private Event slot(long at) {
        double u = random.nextDouble();
        Event started = null;
        if (u < workload.attackRate()) {
            started = startAttack(at);
        } else if (u < workload.attackRate() + workload.candidateRate()) {
            started = startCandidate(at);
        }
        if (started != null) {
            return started;
        }
        noise++;
        DefendHost host = hosts[random.nextInt(hosts.length)];
        String id = "evt-" + emitted;
        return host.windows() ? windowsNoise(host, at, id) : event(host, at, id, everyday.linux(host));
    }

    private Event startAttack(long at) {
        DefendHost host = freeHost(at);
        if (host == null) {
            return null;
        }
        int k = (int) attacksStarted++;
        String tool = TOOLS[random.nextInt(TOOLS.length)];
        int variant = random.nextInt(100);
        FileOperation write;
        if (variant < 50) {
            write = systemWrite(host, "creation", "C:\\Windows\\Temp\\" + tool + ".exe", MZ_HEADER);
        } else if (variant < 70) {
            write = systemWrite(host, "change", "C:\\Windows\\" + tool + ".dll", MZ_HEADER);
        } else if (variant < 85) {
            // caught by the header alone, written in capitals (the rule's ':' is case-insensitive)
            write = systemWrite(
                    host, "creation", "C:\\ProgramData\\" + tool + ".dat", MZ_HEADER.toUpperCase(Locale.ROOT));
        } else {
            // caught by the extension alone, written in capitals
            write = systemWrite(
                    host, "creation", "C:\\Users\\Public\\" + tool.toUpperCase(Locale.ROOT) + ".EXE", ZERO_HEADER);
        }
        long fileAt = at + 1000 + random.nextInt(19_001);
        busyUntil[host.number() - 1] = fileAt;
        followUps.add(new FollowUp(fileAt, followUpOrder++, host, write, ATTACK_PREFIX + k + FILE_SUFFIX, k));
        return event(host, at, ATTACK_PREFIX + k + NETWORK_SUFFIX, inboundSmb(host));
    }

    private Event startCandidate(long at) {
        DefendHost host = freeHost(at);
        if (host == null) {
            return null;
        }
        candidates++;
        int variant = random.nextInt(100);
        long lastAt = at;
        if (variant >= 70 && variant < 90) {
            // a document copied over the share: System writes it, but it is no executable
            String[] docs = {"Q3-report.docx", "scan-0042.pdf", "notes.txt"};
            String[] headers = {ZIP_HEADER, PDF_HEADER, TEXT_HEADER};
            int d = random.nextInt(docs.length);
            lastAt = at + 1000 + random.nextInt(19_001);
            followUps.add(new FollowUp(
                    lastAt,
                    followUpOrder++,
                    host,
                    systemWrite(host, "creation", "C:\\Shares\\Public\\" + docs[d], headers[d]),
                    "evt-",
                    -1));
        } else if (variant >= 90) {
            // an executable, but later than the rule's maxspan of 30 s
            lastAt = at + 30_001 + random.nextInt(15_000);
            followUps.add(new FollowUp(
                    lastAt,
                    followUpOrder++,
                    host,
                    systemWrite(
                            host, "creation", "C:\\Windows\\Temp\\late-" + random.nextInt(1000) + ".exe", MZ_HEADER),
                    "evt-",
                    -1));
        }
        busyUntil[host.number() - 1] = lastAt;
        return event(host, at, "evt-" + emitted, inboundSmb(host));
    }

    private DefendHost freeHost(long at) {
        for (int i = 0; i < FREE_HOST_TRIES; i++) {
            DefendHost host = hosts[windowsHosts[random.nextInt(windowsHosts.length)]];
            if (busyUntil[host.number() - 1] < at) {
                return host;
            }
        }
        noFreeHost++;
        return null;
    }

    private Event emit(FollowUp followUp) {
        String id = followUp.attack() >= 0 ? followUp.id() : followUp.id() + emitted;
        if (followUp.attack() >= 0) {
            planted.set(followUp.attack());
            plantedCount++;
        }
        return event(followUp.host(), followUp.at(), id, followUp.write());
    }

    private Connection inboundSmb(DefendHost host) {
        String remote = random.nextInt(20) == 0
                ? "fd00::" + Integer.toHexString(1 + random.nextInt(0xfffe))
                : everyday.privateIp();
        String direction = random.nextInt(100) < 85 ? "incoming" : "ingress";
        return new Connection(
                4,
                "System",
                "System",
                host.systemEntityId(),
                remote,
                everyday.ephemeralPort(),
                host.ip(),
                445,
                direction,
                "tcp",
                "start",
                "connection_accepted");
    }

    private FileOperation systemWrite(DefendHost host, String type, String path, String header) {
        return new FileOperation(
                4, "System", "System", host.systemEntityId(), type, path, header, 4096 + random.nextInt(2_000_000));
    }

    // ---- noise: none of it passes a stage of the rule

    private Event windowsNoise(DefendHost host, long at, String id) {
        int pick = weighted(random.nextInt(100));
        if (pick < DefendNoise.WINDOWS_KINDS) {
            return event(host, at, id, everyday.windows(pick, host));
        }
        return switch (pick) {
                // near misses of stage 1: System on NetBIOS, System connecting out to a file server, a loopback source
            case 8 -> event(
                    host,
                    at,
                    id,
                    new Connection(
                            4,
                            "System",
                            "System",
                            host.systemEntityId(),
                            everyday.privateIp(),
                            everyday.ephemeralPort(),
                            host.ip(),
                            139,
                            "incoming",
                            "tcp",
                            "start",
                            "connection_accepted"));
            case 9 -> event(
                    host,
                    at,
                    id,
                    new Connection(
                            4,
                            "System",
                            "System",
                            host.systemEntityId(),
                            host.ip(),
                            everyday.ephemeralPort(),
                            everyday.privateIp(),
                            445,
                            "outgoing",
                            "tcp",
                            "start",
                            "connection_attempted"));
            default -> event(
                    host,
                    at,
                    id,
                    new Connection(
                            4,
                            "System",
                            "System",
                            host.systemEntityId(),
                            "127.0.0.1",
                            everyday.ephemeralPort(),
                            "127.0.0.1",
                            445,
                            "incoming",
                            "tcp",
                            "start",
                            "connection_accepted"));
        };
    }

    private static int weighted(int percent) {
        int sum = 0;
        for (int i = 0; i < NOISE_WEIGHTS.length; i++) {
            sum += NOISE_WEIGHTS[i];
            if (percent < sum) {
                return i;
            }
        }
        return NOISE_WEIGHTS.length - 1;
    }

    // ---- documents

    private Event event(DefendHost host, long at, String id, Activity activity) {
        Instant time = Instant.ofEpochMilli(at);
        String index = activity instanceof Connection ? networkIndex : fileIndex;
        return new Event(id, index, time, null, documents.document(host, time, id, activity));
    }

    // ---- hosts

    private DefendHost newHost(int number, boolean windows) {
        String name = windows
                ? String.format(Locale.ROOT, number % 50 == 0 ? "SRV-%05d" : "WKS-%05d", number)
                : String.format(Locale.ROOT, "lnx-%05d", number);
        String ip = "10." + (number >> 16 & 0xff) + "." + (number >> 8 & 0xff) + "." + (number & 0xff);
        String id = hex(32);
        String agentId = hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12);
        DefendHost host = new DefendHost(number, id, name, ip, windows, number % 50 == 0, agentId, "user" + number);
        host.systemEntityId(entityId(host, 4));
        return host;
    }

    /** A stable {@code process.entity_id} for a pid on a host, shaped like Defend's base64 ids. */
    private static String entityId(DefendHost host, int pid) {
        return "ZWs" + Integer.toString(host.number(), 36) + "LTI" + pid + "LTEzMzU2"
                + host.id().substring(0, 6);
    }

    private String hex(int digits) {
        StringBuilder out = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }

    /** An event due later: the file write of a scenario. {@code attack} is the planted transfer's number, or -1. */
    private record FollowUp(long at, long order, DefendHost host, FileOperation write, String id, int attack) {}
}
