package dev.beacon.state;

/** What happens to a session's locked keys when it is invalidated. */
public enum SessionBehavior {
    RELEASE, DELETE
}
