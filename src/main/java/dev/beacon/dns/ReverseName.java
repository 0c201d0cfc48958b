package dev.beacon.dns;

import java.util.Locale;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The address a reverse-lookup name spells: {@code 4.3.2.1.in-addr.arpa.} is 1.2.3.4, and the 32 nibbles under
 * {@code ip6.arpa.} an IPv6 address, least significant first (RFC 1035 3.5, RFC 3596 2.5).
 */
final class ReverseName {
    private static final Name IN_ADDR = absolute("in-addr.arpa.");
    private static final Name IP6 = absolute("ip6.arpa.");

    private ReverseName() {
    }

    /** True for a name under either reverse zone, whole address or not. */
    static boolean isReverse(Name name) {
        return name.subdomain(IN_ADDR) || name.subdomain(IP6);
    }

    /** The address's bytes, or null when the name is not one whole address (a zone's name, a bad label). */
    static byte[] address(Name name) {
        if (name.subdomain(IN_ADDR)) {
            return fromLabels(name, IN_ADDR, 4, 10, 255, 8);
        }
        if (name.subdomain(IP6)) {
            return fromLabels(name, IP6, 32, 16, 15, 4);
        }
        return null;
    }

    /**
     * Reads {@code count} labels before {@code zone}, each one number in {@code radix} up to {@code max}, the last
     * label first, packing {@code bits} of each into the address.
     */
    private static byte[] fromLabels(Name name, Name zone, int count, int radix, int max, int bits) {
        if (name.labels() - zone.labels() != count) {
            return null;
        }
        byte[] address = new byte[count * bits / 8];
        for (int i = 0; i < count; i++) {
            int value = parse(name.getLabelString(count - 1 - i).toLowerCase(Locale.ROOT), radix, max);
            if (value < 0) {
                return null;
            }
            int bit = i * bits;
            address[bit / 8] |= (byte) (value << (8 - bits - bit % 8));
        }
        return address;
    }

    /** A label's number, or -1 unless it is a canonical one (no sign, no leading zero) within {@code max}. */
    private static int parse(String label, int radix, int max) {
        if (label.isEmpty() || label.length() > 3 || (label.length() > 1 && label.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < label.length(); i++) {
            int digit = Character.digit(label.charAt(i), radix);
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
        }
        return value <= max ? value : -1;
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
