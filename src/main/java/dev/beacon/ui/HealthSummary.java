package dev.beacon.ui;

import java.util.Collection;

import dev.beacon.state.CheckStatus;
import dev.beacon.state.HealthCheck;

/** How many things (instances, checks) are passing, warning and critical. */
public record HealthSummary(int passing, int warning, int critical) {

    public static HealthSummary of(Collection<CheckStatus> statuses) {
        int passing = 0;
        int warning = 0;
        int critical = 0;
        for (CheckStatus s : statuses) {
            switch (s) {
                case PASSING -> passing++;
                case WARNING -> warning++;
                case CRITICAL -> critical++;
            }
        }
        return new HealthSummary(passing, warning, critical);
    }

    /** The worst status among the checks; an instance or node with no checks counts as passing, as in Consul. */
    public static CheckStatus worst(Collection<HealthCheck> checks) {
        CheckStatus worst = CheckStatus.PASSING;
        for (HealthCheck c : checks) {
            if (c.status().compareTo(worst) > 0) {
                worst = c.status();
            }
        }
        return worst;
    }

    public int total() {
        return passing + warning + critical;
    }

    public CheckStatus overall() {
        return critical > 0 ? CheckStatus.CRITICAL : warning > 0 ? CheckStatus.WARNING : CheckStatus.PASSING;
    }
}
