package io.eqlwatch.eql.eval;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A CIDR block such as {@code 10.0.0.0/8} or {@code fe80::/10}. IPv4 addresses are held in their
 * IPv4-mapped IPv6 form, as Elasticsearch's {@code ip} type holds them, so that
 * {@code ::ffff:10.1.2.3} falls in {@code 10.0.0.0/8} just as it does there.
 */
public record Cidr(byte[] network, int prefixBits) {

    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    /** Parses {@code address/bits}; a bare address is a block of one address. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = IpAddresses.parse(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        boolean v4 = IpAddresses.isIpv4Literal(address);
        int bits;
        if (slash < 0) {
            bits = 128;
        } else {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            int max = v4 ? 32 : 128;
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            if (v4) {
                bits += 96;
            }
        }
        return new Cidr(bytes, bits);
    }

    /**
     * Whether the text is a block {@link #parse} takes, written plainly (see
     * {@link IpAddresses#isPlainAddress}) with a decimal prefix length: the form a term query on an
     * {@code ip} field takes as it is.
     */
    public static boolean isPlainBlock(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return IpAddresses.isPlainAddress(text);
        }
        if (!IpAddresses.isPlainAddress(text.substring(0, slash))
                || !PREFIX.matcher(text.substring(slash + 1)).matches()) {
            return false;
        }
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the 16-byte address lies in this block. */
    public boolean contains(byte[] address) {
        int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixBits == prefixBits && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixBits;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixBits;
        } catch (java.net.UnknownHostException e) {
            return Arrays.toString(network) + "/" + prefixBits;
        }
    }
}
