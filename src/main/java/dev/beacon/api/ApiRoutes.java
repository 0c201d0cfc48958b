package dev.beacon.api;

/** A feature's {@code /v1} routes; every Spring bean of this type registers into the one route table. */
public interface ApiRoutes {
    void register(RouteTable.Builder routes);
}
