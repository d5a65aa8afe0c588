package io.recordingexporter.genesys;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where media may be fetched from. A media link is outside input (a batch download's {@code resultUrl}, a recording's
 * {@code mediaUris}), so it is followed only when:
 * <ul>
 * <li>its host is on the allow-list ({@code GENESYS_MEDIA_HOSTS}: host names, IP addresses, and {@code *.suffix}
 * wildcards; by default the region's Genesys hosts and Amazon S3, where Genesys's pre-signed links point);</li>
 * <li>it is {@code https}, or {@code http} to a loopback address named on the list (tests, stand-ins, the sandbox);</li>
 * <li>none of the addresses its host resolves to is private, loopback, link-local (169.254.169.254, the cloud
 * metadata service), unique-local, carrier-grade NAT, multicast or unspecified, unless the host itself is named on
 * the list (not through a wildcard).</li>
 * </ul>
 */
public final class MediaHosts {

    private final List<String> exact = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();

    private MediaHosts(List<String> entries) {
        for (String entry : entries) {
            String host = entry.strip().toLowerCase(Locale.ROOT);
            if (host.isEmpty()) {
                continue;
            }
            if (host.startsWith("*.")) {
                if (host.length() < 4 || host.indexOf('*', 1) >= 0) {
                    throw new IllegalArgumentException("GENESYS_MEDIA_HOSTS entry '" + entry + "' is not a host, an IP"
                            + " address or *.domain");
                }
                suffixes.add(host.substring(1)); // ".amazonaws.com"
            } else if (host.contains("*") || host.contains("/") || host.matches("[^:]+:\\d+")) {
                throw new IllegalArgumentException("GENESYS_MEDIA_HOSTS entry '" + entry + "' is not a host, an IP"
                        + " address or *.domain (no scheme, port or path)");
            } else {
                exact.add(stripBrackets(host));
            }
        }
        if (exact.isEmpty() && suffixes.isEmpty()) {
            throw new IllegalArgumentException("GENESYS_MEDIA_HOSTS allows no host: media could never be fetched");
        }
    }

    /** The allow-list from {@code GENESYS_MEDIA_HOSTS}, or, when that is empty, the default of the region. */
    public static MediaHosts of(String configured, String region) {
        if (configured != null && !configured.isBlank()) {
            return new MediaHosts(List.of(configured.split(",")));
        }
        return new MediaHosts(defaults(region));
    }

    /**
     * The region's Genesys hosts ({@code api.euw2.pure.cloud} and {@code *.euw2.pure.cloud} for London; a download URI
     * of the API redirects to a pre-signed link) and Amazon S3 ({@code *.amazonaws.com}, where batch download results
     * and those redirects point).
     */
    public static List<String> defaults(String region) {
        String api = URI.create(GenesysHosts.of(region, "", "").apiBaseUrl()).getHost();
        String domain = api.substring(api.indexOf('.') + 1);
        return List.of(api, "*." + domain, "*.amazonaws.com");
    }

    /** Why the link may not be followed before anything is resolved (scheme, host), or null when it may be tried. */
    public String refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : stripBrackets(uri.getHost().toLowerCase(Locale.ROOT));
        if (host == null || host.isEmpty()) {
            return "a media link without a host";
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "media link scheme '" + scheme + "' (only https)";
        }
        if (!allowed(host)) {
            return "media host " + host + " is not on GENESYS_MEDIA_HOSTS";
        }
        if (scheme.equals("http") && !(named(host) && (loopbackLiteral(host) || host.equals("localhost")))) {
            return "plain http to " + host + " (https only, http only to a loopback address named on GENESYS_MEDIA_HOSTS)";
        }
        return null;
    }

    /** Why these resolved addresses of {@code host} may not be connected to, or null when they may. */
    public String refusal(String host, InetAddress[] addresses) {
        String bare = stripBrackets(host.toLowerCase(Locale.ROOT));
        if (named(bare)) {
            return null; // an operator named this host (or address) itself: whatever it is, it was meant
        }
        for (InetAddress address : addresses) {
            if (restricted(address)) {
                return "media host " + bare + " resolves to " + address.getHostAddress()
                        + ", a private, loopback or link-local address";
            }
        }
        return null;
    }

    private boolean allowed(String host) {
        if (named(host)) {
            return true;
        }
        for (String suffix : suffixes) {
            if (host.endsWith(suffix) && host.length() > suffix.length()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the list names this host itself. {@code localhost} is loopback by definition (RFC 6761): a list that
     * names a loopback address names it too, so a stand-in's links may use either.
     */
    private boolean named(String host) {
        if (exact.contains(host)) {
            return true;
        }
        return host.equals("localhost") && exact.stream().anyMatch(MediaHosts::loopbackLiteral);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean loopbackLiteral(String host) {
        try {
            return looksLikeAddress(host) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A literal IPv4 or IPv6 address (so that resolving it asks no name server). */
    private static boolean looksLikeAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /**
     * Addresses no media link may reach unless named: loopback, private (RFC 1918), link-local (the cloud metadata
     * service at 169.254.169.254), unique-local IPv6, carrier-grade NAT, multicast, unspecified, and IPv4 addresses
     * wrapped in IPv6.
     */
    public static boolean restricted(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 // "this network"
                    || first == 100 && second >= 64 && second <= 127 // carrier-grade NAT
                    || first == 192 && second == 0 && (bytes[2] & 0xff) == 0 // IETF protocol assignments
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            boolean mappedOrCompatible = true;
            for (int i = 0; i < 10; i++) {
                mappedOrCompatible &= bytes[i] == 0;
            }
            if (mappedOrCompatible && (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff
                    || bytes[10] == 0 && bytes[11] == 0)) {
                try {
                    return restricted(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(exact);
        suffixes.forEach(suffix -> all.add("*" + suffix));
        return String.join(",", all);
    }
}
