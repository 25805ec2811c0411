package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eqlwatch.source.SourceFetch;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class SourceChoiceTest {

    private final EngineOptions.SourceChoiceConverter converter = new EngineOptions.SourceChoiceConverter();

    @Test
    void eachChoiceInAnyCase() {
        assertEquals(SourceChoice.AUTO, converter.convert("auto"));
        assertEquals(SourceChoice.FILTERED, converter.convert("filtered"));
        assertEquals(SourceChoice.WHOLE, converter.convert(" Whole "));
    }

    @Test
    void printsAsItIsWrittenSoThatConfigOutputReadsBack() {
        for (SourceChoice choice : SourceChoice.values()) {
            assertEquals(choice, converter.convert(choice.toString()));
        }
        assertEquals("auto", SourceChoice.AUTO.toString());
    }

    @Test
    void anythingElseSaysWhatIsExpected() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("full"));
        assertEquals("expected 'auto', 'filtered' or 'whole', not 'full'", e.getMessage());
    }

    @Test
    void autoReadsAClusterOnThisMachineWhole() {
        for (String url : List.of("http://127.0.0.1:9200", "https://localhost:9200", "http://[::1]:9200")) {
            assertEquals(SourceFetch.WHOLE, SourceChoice.AUTO.forCluster(url), url);
        }
    }

    @Test
    void everyAddressOfThisMachinesInterfacesIsThisMachine() throws SocketException {
        int checked = 0;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet6Address six && six.getScopeId() != 0) {
                    continue; // a link-local address needs its zone, which a URL does not carry
                }
                String host = address instanceof Inet6Address
                        ? "[" + address.getHostAddress() + "]"
                        : address.getHostAddress();
                assertTrue(SourceChoice.onThisMachine("http://" + host + ":9200"), host);
                checked++;
            }
        }
        assertTrue(checked > 0, "at least the loopback interface");
    }

    @Test
    void autoFiltersForAnyOtherCluster() {
        // 192.0.2.0/24 is TEST-NET-1: documentation only, never an address of this machine.
        assertEquals(SourceFetch.FILTERED, SourceChoice.AUTO.forCluster("http://192.0.2.10:9200"));
        assertFalse(SourceChoice.onThisMachine("not a url"));
        assertFalse(SourceChoice.onThisMachine("http:///no-host"));
    }

    @Test
    void anExplicitChoiceIsKeptWhereverTheClusterIs() {
        assertEquals(SourceFetch.FILTERED, SourceChoice.FILTERED.forCluster("http://127.0.0.1:9200"));
        assertEquals(SourceFetch.WHOLE, SourceChoice.WHOLE.forCluster("http://192.0.2.10:9200"));
    }
}
