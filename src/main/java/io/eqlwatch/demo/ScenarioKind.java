package io.eqlwatch.demo;

/**
 * The shapes of event pairs {@link DefendEventGenerator} makes for the rule "Potential Lateral Tool Transfer
 * via SMB Share": the attack, variants of it that must still alert (one per branch of the rule's
 * conditions), and the benign look-alikes issue 2 lists, each of which breaks exactly one condition.
 */
public enum ScenarioKind {
    ATTACK(true, "System (pid 4) accepts TCP 445 from a remote host, then writes an .exe with an MZ header"),
    ATTACK_INGRESS(true, "as ATTACK, with network.direction 'ingress'"),
    ATTACK_CHANGE_EVENT(true, "as ATTACK, the file event is a 'change', not a 'creation'"),
    ATTACK_MZ_HEADER_ONLY(true, "a .dat file whose header is 4d5a (MZ): the header alone matches"),
    ATTACK_UPPERCASE_HEADER(true, "a .dat file with header 4D5A...: ':' compares case-insensitively"),
    ATTACK_DLL_EXTENSION_ONLY(true, "a .dll without MZ header: the extension alone matches"),
    ATTACK_UPPERCASE_EXTENSION(true, "an .EXE without MZ header: ':' compares case-insensitively"),
    ATTACK_AT_MAXSPAN(true, "the file event exactly 30 s after the network event: maxspan is inclusive"),

    PORT_139(false, "the connection is to port 139 (NetBIOS), not 445"),
    LOOPBACK_SOURCE(false, "the connection comes from 127.0.0.1"),
    LOOPBACK_SOURCE_IPV6(false, "the connection comes from ::1, written 0:0:0:0:0:0:0:1 (equal as an ip field)"),
    PID_NOT_4(false, "both events come from one process that is not System (pid 1234)"),
    OUTGOING_DIRECTION(false, "System connects out to a remote 445 (direction outgoing)"),
    NON_EXECUTABLE_FILE(false, "the file written is a .txt without MZ header"),
    FILE_BEFORE_NETWORK(false, "the executable is written 5 s before the connection"),
    GAP_OVER_30S(false, "the file event comes 30.001 s after the network event, past maxspan"),
    OTHER_ENTITY_ID(false, "the file is written by a System process with another entity_id (after a reboot)"),
    OTHER_HOST(false, "the connection and the file write happen on two different hosts");

    private final boolean shouldAlert;
    private final String description;

    ScenarioKind(boolean shouldAlert, String description) {
        this.shouldAlert = shouldAlert;
        this.description = description;
    }

    /** Whether the rule must raise exactly one alert for this scenario (else none). */
    public boolean shouldAlert() {
        return shouldAlert;
    }

    public String description() {
        return description;
    }
}
