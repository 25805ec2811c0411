package io.eqlwatch.eql.eval;

import java.util.Arrays;

/**
 * An IP address value as an Elasticsearch {@code ip} field holds it: 16 bytes, IPv4 in its
 * IPv4-mapped form, ordered by unsigned bytes. {@link #toString()} is the canonical spelling
 * Elasticsearch returns ({@code 10.0.0.1}, {@code ::1}).
 */
public record Ip(byte[] bytes) implements Comparable<Ip> {

    /** The address the text spells, or {@code null} when it is not an IP address. */
    public static Ip parse(String text) {
        byte[] bytes = IpAddresses.parse(text);
        return bytes == null ? null : new Ip(bytes);
    }

    @Override
    public int compareTo(Ip other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ip ip && Arrays.equals(bytes, ip.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** An IPv4 address's 32 bits in the low half of a long; -1 for an address outside IPv4's mapped range. */
    long ipv4Bits() {
        if (!isIpv4Mapped()) {
            return -1;
        }
        return (bytes[12] & 0xffL) << 24 | (bytes[13] & 0xff) << 16 | (bytes[14] & 0xff) << 8 | (bytes[15] & 0xff);
    }

    private boolean isIpv4Mapped() {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }

    @Override
    public String toString() {
        if (isIpv4Mapped()) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952: compress the longest run (of two or more) of zero groups, the first if tied
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
