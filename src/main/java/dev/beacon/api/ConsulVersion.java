package dev.beacon.api;

/** The Consul version Beacon answers as; clients compare it, so it is Consul's, not Beacon's. */
public final class ConsulVersion {
    public static final String VERSION = "1.20.0";

    private ConsulVersion() {
    }
}
