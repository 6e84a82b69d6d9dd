package dev.meshplatform.app.notifications;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * Where webhooks may point: http or https URLs without user info whose host is a DNS name or a canonical IP address
 * and resolves only to public addresses. Loopback, any-local, link-local (cloud metadata), private, CGNAT,
 * unique-local, multicast, reserved and the platform's own interface addresses are refused, also when written in
 * IPv4-mapped, -compatible, NAT64 or 6to4 IPv6 form, unless an admin allows their range
 * ({@code mesh.notifications.allowed-networks}). The platform's own server port on a local address is refused even
 * then: a webhook must not call the platform's API. Checked when a webhook is created and again before every
 * delivery.
 */
final class WebhookAddresses {

    /** A refused URL; the message says why in words the subscriber can act on. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private static final Pattern CANONICAL_IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** A DNS name: letters, digits and hyphens in dot-separated labels; its last label is not all digits. */
    private static final Pattern DNS_NAME =
            Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?\\.?");

    private final List<Network> allowed;
    private final IntSupplier serverPort;

    WebhookAddresses(List<String> allowedNetworks, IntSupplier serverPort) {
        this.allowed = allowedNetworks.stream().map(Network::parse).toList();
        this.serverPort = serverPort;
    }

    /** A URL that passed: its parsed form and the addresses its host resolved to, each checked. */
    record Target(URI uri, List<InetAddress> addresses) {
    }

    Target check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("only http and https URLs are allowed");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new Refused("a URL with user info (user:password@) is not allowed");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("a URL with a fragment (#) is not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new Refused("the URL names no host (or one with characters a host name may not have)");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        List<InetAddress> addresses = resolve(host.toLowerCase(Locale.ROOT));
        Set<InetAddress> own = ownAddresses();
        for (InetAddress address : addresses) {
            boolean local = address.isLoopbackAddress() || address.isAnyLocalAddress() || own.contains(address);
            if (local && port == serverPort.getAsInt()) {
                throw new Refused("the URL points at the platform itself (" + address.getHostAddress() + ":" + port
                        + ")");
            }
            if (allowed.stream().anyMatch(n -> n.contains(address))) {
                continue;
            }
            String why = refusal(address);
            if (why == null && own.contains(address)) {
                why = "an address of the platform's own";
            }
            if (why != null) {
                throw new Refused("host " + host + " resolves to " + address.getHostAddress() + ", " + why
                        + "; only public addresses are allowed unless an admin allows the range "
                        + "(mesh.notifications.allowed-networks)");
            }
        }
        return new Target(uri, addresses);
    }

    private static List<InetAddress> resolve(String host) {
        if (host.startsWith("[")) {
            // URI keeps IPv6 literals in brackets; InetAddress parses the literal without any lookup.
            try {
                return List.of(InetAddress.getByName(host.substring(1, host.length() - 1)));
            } catch (UnknownHostException e) {
                throw new Refused("not an IPv6 address: " + host);
            }
        }
        if (!CANONICAL_IPV4.matcher(host).matches() && !DNS_NAME.matcher(host).matches()) {
            // 2130706433, 0x7f.1, 0177.0.0.1, 127.1: parsers disagree about these, so none is accepted.
            throw new Refused("host " + host + " is neither a DNS name nor an IPv4 address in dotted-decimal form");
        }
        try {
            return Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new Refused("host " + host + " does not resolve");
        }
    }

    /** Why an address is not a public one, or null when it is. */
    static String refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Inet4Address embedded = embeddedIpv4(b);
            if (embedded != null) {
                String why = refusal(embedded);
                return why == null ? null : "which embeds " + embedded.getHostAddress() + ", " + why;
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "a unique-local address (fc00::/7)";
            }
        }
        if (address.isAnyLocalAddress()) {
            return "the any-local address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (such as cloud metadata endpoints)";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "an address of \"this network\" (0.0.0.0/8)";
            }
            if (first == 100 && (second & 0xc0) == 64) {
                return "a carrier-grade NAT address (100.64.0.0/10)";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "an IETF protocol address (192.0.0.0/24)";
            }
            if (first == 198 && (second & 0xfe) == 18) {
                return "a benchmarking address (198.18.0.0/15)";
            }
            if (first >= 240) {
                return "a reserved or broadcast address (240.0.0.0/4)";
            }
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) one. */
    private static Inet4Address embeddedIpv4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 12; i++) {
            zeros &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        try {
            if ((zeros && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1))) || nat64) {
                return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        return null;
    }

    private static Set<InetAddress> ownAddresses() {
        Set<InetAddress> own = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                own.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // Without the list, the other checks still hold.
        }
        return own;
    }

    /** A CIDR range, such as 10.0.0.0/8 or fd00::/8; a bare address is a range of one. */
    record Network(byte[] prefix, int bits) {

        static Network parse(String cidr) {
            String text = cidr.trim();
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (!CANONICAL_IPV4.matcher(address).matches() && !address.contains(":")) {
                throw new IllegalArgumentException("mesh.notifications.allowed-networks: " + cidr
                        + " is not a CIDR range such as 10.0.0.0/8");
            }
            try {
                byte[] bytes = InetAddress.getByName(address).getAddress();
                int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new IllegalArgumentException("mesh.notifications.allowed-networks: " + cidr
                            + " has a prefix length out of range");
                }
                return new Network(bytes, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("mesh.notifications.allowed-networks: " + cidr
                        + " is not a CIDR range such as 10.0.0.0/8");
            }
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
            } catch (UnknownHostException e) {
                return "?";
            }
        }
    }

    @Override
    public String toString() {
        return "WebhookAddresses[allowed=" + new ArrayList<>(allowed) + "]";
    }
}
