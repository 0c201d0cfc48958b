package dev.beacon.acl;

/** A policy's answer to one check: allowed, denied, or no rule applies and the fallback decides. */
enum Decision {
    ALLOW, DENY, DEFAULT
}
