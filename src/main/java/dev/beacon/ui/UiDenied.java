package dev.beacon.ui;

/** The visitor's token may not see or do what a page asked for; see {@link UiAccess}. */
class UiDenied extends RuntimeException {
    private final String permission;
    private final String on;

    UiDenied(String permission, String on) {
        super(permission + (on == null ? "" : " on \"" + on + "\""), null, false, false);
        this.permission = permission;
        this.on = on;
    }

    String permission() {
        return permission;
    }

    String on() {
        return on;
    }
}
