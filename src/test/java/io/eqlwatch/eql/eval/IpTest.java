package io.eqlwatch.eql.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTest {

    @ParameterizedTest
    @CsvSource({
        "0:0:0:0:0:0:0:1,::1",
        "::ffff:10.0.0.1,10.0.0.1",
        "2001:DB8:0:0:1:0:0:1,2001:db8::1:0:0:1",
        "fe80:0:0:0:0:0:0:0,fe80::",
        "0:0:0:0:0:0:0:0,::",
        "1:0:0:2:0:0:0:3,1:0:0:2::3",
        "[::1],::1",
        "fe80::1%eth0,fe80::1"
    })
    void canonicalSpelling(String text, String canonical) {
        assertEquals(canonical, Ip.parse(text).toString());
        assertEquals(Ip.parse(canonical), Ip.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"1.2.3", "1.2.3.256", "1.2.3.4.5", "::1::2", "12345::", "g::1", "a:b:c:d:e:f:1:2:3", "localhost", "''"})
    void notAddresses(String text) {
        assertNull(Ip.parse("''".equals(text) ? "" : text));
    }

    @Test
    void orderIsByAddress() {
        assertTrue(Ip.parse("9.255.255.255").compareTo(Ip.parse("10.0.0.0")) < 0);
        assertTrue(Ip.parse("255.0.0.0").compareTo(Ip.parse("2001:db8::")) < 0, "IPv4-mapped sorts before 2001::");
    }

    @Test
    void cidrBlocks() {
        Cidr block = Cidr.parse("10.0.0.0/8");
        assertTrue(block.contains(Ip.parse("10.255.0.1").bytes()));
        assertFalse(block.contains(Ip.parse("11.0.0.1").bytes()));
        assertTrue(Cidr.parse("192.168.1.7").contains(Ip.parse("192.168.1.7").bytes()));
        assertTrue(Cidr.parse("2001:db8::/32")
                .contains(Ip.parse("2001:db8:ffff::1").bytes()));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(Ip.parse("8.8.8.8").bytes()));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(Ip.parse("2001:db8::1").bytes()));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0/8"));
    }

    @Test
    void plainAddressRecognitionNeverResolvesNames() {
        assertTrue(IpAddresses.isPlainAddress("10.1.2.3"));
        assertTrue(IpAddresses.isPlainAddress("0:0:0:0:0:0:0:1"));
        assertTrue(IpAddresses.isPlainAddress("::ffff:10.0.0.1"));
        assertFalse(IpAddresses.isPlainAddress("example.com"));
        assertFalse(IpAddresses.isPlainAddress("256.1.1.1"));
        assertFalse(IpAddresses.isPlainAddress(":::"));
        assertTrue(Cidr.isPlainBlock("10.0.0.0/8"));
        assertFalse(Cidr.isPlainBlock("10.0.0.0/33"));
    }

    @Test
    void bracketsZonesAndSignedPrefixesAreNotPlain() {
        assertFalse(IpAddresses.isPlainAddress("[::1]"));
        assertFalse(IpAddresses.isPlainAddress("fe80::1%eth0"));
        assertTrue(IpAddresses.isPlainAddress("fe80::1"));
        assertFalse(Cidr.isPlainBlock("10.0.0.0/+8"));
        assertFalse(Cidr.isPlainBlock("[::1]/128"));
        assertTrue(Cidr.isPlainBlock("fe80::/10"));
        assertTrue(Cidr.isPlainBlock("10.1.2.3"));
    }
}
