package dev.beacon.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.xbill.DNS.Address;

/** IP address literals in one spelling, so that {@code 2001:db8::1} and {@code 2001:0db8:0:0:0:0:0:1} match. */
final class IpLiterals {
    private IpLiterals() {
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for anything else (never a DNS lookup). */
    static byte[] bytes(String address) {
        byte[] v4 = Address.toByteArray(address, Address.IPv4);
        return v4 != null ? v4 : Address.toByteArray(address, Address.IPv6);
    }

    /** The canonical spelling of an IP literal, or null for a host name or an empty address. */
    static String canonical(String address) {
        byte[] bytes = address == null || address.isEmpty() ? null : bytes(address);
        return bytes == null ? null : canonical(bytes);
    }

    static String canonical(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
