package dev.beacon.state;

/**
 * Why an etcd-style KV write was refused, with etcd v2's error code and the key or comparison it concerns. It
 * travels as the outcome's error text ({@link #encode}), so the outcome's format stays one for every command.
 */
public record EtcdError(int code, String cause) {
    public static final int KEY_NOT_FOUND = 100;
    public static final int TEST_FAILED = 101;
    public static final int NOT_FILE = 102;
    public static final int NOT_DIR = 104;
    public static final int NODE_EXIST = 105;
    public static final int ROOT_READ_ONLY = 107;
    public static final int DIR_NOT_EMPTY = 108;
    private static final String PREFIX = "etcd-error ";

    String encode() {
        return PREFIX + code + " " + cause;
    }

    /** The etcd error an outcome's error text carries, or null if it is another kind of error. */
    public static EtcdError decode(String error) {
        if (error == null || !error.startsWith(PREFIX)) {
            return null;
        }
        int space = error.indexOf(' ', PREFIX.length());
        return new EtcdError(Integer.parseInt(error.substring(PREFIX.length(), space)), error.substring(space + 1));
    }

    Outcome outcome(long index) {
        return Outcome.error(index, encode());
    }
}
