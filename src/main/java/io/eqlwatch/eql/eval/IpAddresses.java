package io.eqlwatch.eql.eval;

import java.util.regex.Pattern;

/**
 * Parses IP address text the way Elasticsearch's {@code ip} field does, into 16 bytes (IPv4 as
 * IPv4-mapped IPv6), without any DNS lookup. Two spellings of one address ({@code ::1} and
 * {@code 0:0:0:0:0:0:0:1}) give equal bytes.
 */
public final class IpAddresses {

    /** The characters of an address written plainly: no brackets, zone id or host name. */
    private static final Pattern PLAIN = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpAddresses() {}

    /**
     * Whether the text is an address written plainly ({@code 10.1.2.3}, {@code ::1}), the form a
     * term or range query on an {@code ip} field takes as it is. {@link #parse} also takes
     * {@code [::1]} and {@code fe80::1%eth0}; those are left to the evaluator, never sent.
     */
    public static boolean isPlainAddress(String text) {
        return PLAIN.matcher(text).matches() && parse(text) != null;
    }

    /** Whether the text is a dotted-quad IPv4 address. */
    public static boolean isIpv4Literal(String text) {
        return text.indexOf(':') < 0 && parseIpv4(text) != null;
    }

    /** The 16-byte form, or {@code null} when the text is not an IP address. */
    public static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String s = text;
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') < 0) {
            byte[] v4 = parseIpv4(s);
            if (v4 == null) {
                return null;
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4, 0, mapped, 12, 4);
            return mapped;
        }
        return parseIpv6(s);
    }

    private static byte[] parseIpv4(String s) {
        long bits = ipv4Bits(s);
        if (bits < 0) {
            return null;
        }
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    /**
     * The address of a dotted quad (four dot-separated decimal groups of one to three digits, each at most 255) as
     * its 32 bits in the low half of a long, or -1 when the text is not one. One pass without allocating: this runs
     * for every event an IP comparison sees.
     */
    static long ipv4Bits(String s) {
        long bits = 0;
        int group = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return -1;
                }
                value = value * 10 + (c - '0');
            } else if (c == '.' && digits > 0 && group < 3) {
                if (value > 255) {
                    return -1;
                }
                bits = bits << 8 | value;
                group++;
                value = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        if (group != 3 || digits == 0 || value > 255) {
            return -1;
        }
        return bits << 8 | value;
    }

    private static byte[] parseIpv6(String s) {
        byte[] out = new byte[16];
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return null;
        }
        for (int i = 0; i < headGroups.length; i++) {
            out[2 * i] = (byte) (headGroups[i] >> 8);
            out[2 * i + 1] = (byte) headGroups[i];
        }
        int offset = 8 - tailGroups.length;
        for (int i = 0; i < tailGroups.length; i++) {
            out[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
            out[2 * (offset + i) + 1] = (byte) tailGroups[i];
        }
        return out;
    }

    /** 16-bit groups of a colon-separated run; a trailing dotted quad counts as two groups. */
    private static int[] groups(String run) {
        if (run.isEmpty()) {
            return new int[0];
        }
        String[] parts = run.split(":", -1);
        int extra = parts[parts.length - 1].indexOf('.') >= 0 ? 1 : 0;
        int[] out = new int[parts.length + extra];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && extra == 1) {
                byte[] v4 = parseIpv4(p);
                if (v4 == null) {
                    return null;
                }
                out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            try {
                out[i] = Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }
}
