package dev.beacon.state;

/** What happens to a session's locked keys when it is invalidated. The code is the stored form ({@link WireCode}). */
public enum SessionBehavior implements WireCode {
    RELEASE(0), DELETE(1);

    private final int code;

    SessionBehavior(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }
}
