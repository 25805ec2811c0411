package io.eqlwatch.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code host.os} object Elastic Defend reports, for the Windows and Linux hosts the simulations use. */
public final class DefendHostOs {

    private DefendHostOs() {}

    /** A Windows 10 workstation or Windows Server 2019 ({@code server}), or an Ubuntu host ({@code linux}). */
    public static Map<String, Object> document(boolean linux, boolean server) {
        Map<String, Object> os = new LinkedHashMap<>();
        if (linux) {
            os.put("type", "linux");
            os.put("family", "debian");
            os.put("name", "Linux");
            os.put("platform", "ubuntu");
            os.put("version", "22.04.4");
            os.put("kernel", "5.15.0-105-generic");
            os.put("full", "Ubuntu 22.04.4");
            return os;
        }
        String variant = server ? "Windows Server 2019 Datacenter" : "Windows 10 Pro";
        String version = server ? "1809 (10.0.17763.5696)" : "22H2 (10.0.19045.4291)";
        os.put("type", "windows");
        os.put("family", "windows");
        os.put("name", "Windows");
        os.put("platform", "windows");
        os.put("version", version);
        os.put("kernel", version);
        os.put("full", variant + " " + version);
        os.put("Ext", Map.of("variant", variant));
        return os;
    }
}
