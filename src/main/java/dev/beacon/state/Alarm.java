package dev.beacon.state;

/**
 * A condition a server raises through the log so that every server acts on it, as etcd's alarms are. The code is
 * the stored form (log and snapshot): never reuse or renumber one.
 */
public enum Alarm {
    /** The server's data reached its storage quota: writes that add data are refused until it is cleared. */
    NOSPACE(1);

    private final int code;

    Alarm(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The alarm stored as {@code code}, or null if there is none (a newer server's alarm). */
    public static Alarm ofCode(int code) {
        for (Alarm alarm : values()) {
            if (alarm.code == code) {
                return alarm;
            }
        }
        return null;
    }
}
