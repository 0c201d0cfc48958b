package dev.beacon.state;

/**
 * A condition a server raises through the log so that every server acts on it, as etcd's alarms are. The code is
 * the stored form (log and snapshot, see {@link WireCode}): never reuse or renumber one.
 */
public enum Alarm implements WireCode {
    /** The server's data reached its storage quota: writes that add data are refused until it is cleared. */
    NOSPACE(1);

    private final int code;

    Alarm(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }
}
