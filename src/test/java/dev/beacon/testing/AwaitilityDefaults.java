package dev.beacon.testing;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility first checks a condition after one poll interval (100 ms), even one that already holds; the suite awaits
 * thousands of conditions that mostly do, often in loops over keys and servers. Checking at once shortens the suite
 * and changes no condition. Registered for every test class through {@code META-INF/services}.
 */
public final class AwaitilityDefaults implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }
}
