package dev.beacon.agent;

import dev.beacon.state.CheckStatus;

/** What one run of a check found (or what a TTL update said). */
public record CheckResult(CheckStatus status, String output) {
}
