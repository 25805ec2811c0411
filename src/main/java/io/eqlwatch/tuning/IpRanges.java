package io.eqlwatch.tuning;

import io.eqlwatch.eql.eval.Ip;
import io.eqlwatch.eql.eval.IpAddresses;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of IP address ranges (CIDR blocks, dash ranges, single addresses) with a lookup in
 * logarithmic time, so that a value list of a million ranges costs one tree search per value.
 * Overlapping and adjacent ranges are merged as they are added.
 */
final class IpRanges {

    /** Range starts to range ends, disjoint and not adjacent. */
    private final TreeMap<Ip, Ip> ranges = new TreeMap<>();

    /**
     * Adds {@code 10.0.0.0/8}, {@code 10.0.0.1-10.0.0.9} or {@code 10.0.0.1}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    void add(String text) {
        String value = text.trim();
        int dash = value.indexOf('-');
        if (dash >= 0) {
            Ip from = address(value.substring(0, dash).trim(), value);
            Ip to = address(value.substring(dash + 1).trim(), value);
            if (from.compareTo(to) > 0) {
                throw new IllegalArgumentException("range '" + value + "' ends before it starts");
            }
            add(from, to);
            return;
        }
        int slash = value.indexOf('/');
        if (slash < 0) {
            Ip single = address(value, value);
            add(single, single);
            return;
        }
        String base = value.substring(0, slash);
        byte[] bytes = IpAddresses.parse(base);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + base + "' is not an IP address");
        }
        int bits;
        try {
            bits = Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + value + "'");
        }
        boolean v4 = IpAddresses.isIpv4Literal(base);
        if (bits < 0 || bits > (v4 ? 32 : 128)) {
            throw new IllegalArgumentException("bad prefix length in '" + value + "'");
        }
        int prefix = v4 ? bits + 96 : bits;
        byte[] low = bytes.clone();
        byte[] high = bytes.clone();
        for (int bit = prefix; bit < 128; bit++) {
            int index = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            low[index] = (byte) (low[index] & ~mask);
            high[index] = (byte) (high[index] | mask);
        }
        add(new Ip(low), new Ip(high));
    }

    private static Ip address(String text, String whole) {
        Ip ip = Ip.parse(text);
        if (ip == null) {
            throw new IllegalArgumentException(
                    "'" + text + "'" + (text.equals(whole) ? "" : " in '" + whole + "'") + " is not an IP address");
        }
        return ip;
    }

    private void add(Ip from, Ip to) {
        Ip start = from;
        Ip end = to;
        Map.Entry<Ip, Ip> before = ranges.floorEntry(start);
        if (before != null && touches(before.getValue(), start)) {
            start = before.getKey();
            end = max(end, before.getValue());
            ranges.remove(before.getKey());
        }
        Map.Entry<Ip, Ip> next = ranges.ceilingEntry(start);
        while (next != null && touches(end, next.getKey())) {
            end = max(end, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(start);
        }
        ranges.put(start, end);
    }

    /** Whether a range ending at {@code end} overlaps or abuts one starting at {@code start}. */
    private static boolean touches(Ip end, Ip start) {
        return end.compareTo(start) >= 0 || Arrays.equals(successor(end), start.bytes());
    }

    private static byte[] successor(Ip ip) {
        byte[] bytes = ip.bytes().clone();
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (++bytes[i] != 0) {
                return bytes;
            }
        }
        return bytes;
    }

    private static Ip max(Ip a, Ip b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    boolean contains(Ip ip) {
        Map.Entry<Ip, Ip> floor = ranges.floorEntry(ip);
        return floor != null && floor.getValue().compareTo(ip) >= 0;
    }

    int size() {
        return ranges.size();
    }
}
