package io.eqlwatch.cli;

import io.eqlwatch.source.SourceFetch;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What {@code --source} names: what a search page fetches of each event's {@code _source}, or {@code auto}, which
 * chooses by where the cluster is. Filtering costs the cluster about a third more CPU per page than sending stored
 * sources as they are, and saves bytes on the wire; bytes that never leave this machine cost nothing, so a cluster
 * on this machine is read whole and any other filtered.
 */
enum SourceChoice {
    AUTO,
    FILTERED,
    WHOLE;

    /** The fetch for the cluster at {@code url}. */
    SourceFetch forCluster(String url) {
        return switch (this) {
            case FILTERED -> SourceFetch.FILTERED;
            case WHOLE -> SourceFetch.WHOLE;
            case AUTO -> onThisMachine(url) ? SourceFetch.WHOLE : SourceFetch.FILTERED;
        };
    }

    /** As it is written on the command line and in a config file. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SourceChoice parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected 'auto', 'filtered' or 'whole', not '" + text + "'");
        }
    }

    /**
     * Whether every address the URL's host names is one of this machine's (loopback, or an address of one of its
     * interfaces). A host that does not resolve, or a URL without one, is taken to be elsewhere: filtering is the
     * choice that is never wrong, only dearer for the cluster.
     */
    static boolean onThisMachine(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()
                        && !address.isAnyLocalAddress()
                        && NetworkInterface.getByInetAddress(address) == null) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
