package dev.beacon.acl;

/**
 * A rule's disposition: what it lets a token do with the resources it covers.
 *
 * <p>The constants are declared in merge precedence: when two policies of one token give the same resource and
 * name different dispositions, the later constant wins (deny over write over list over read), as Consul merges.
 */
public enum Access {
    /** Read only. */
    READ("read"),
    /** Read and list recursively; valid on key rules only. */
    LIST("list"),
    /** Everything: read, list and write. */
    WRITE("write"),
    /** Nothing, and no prefix rule or fallback can grant it back. */
    DENY("deny");

    private final String word;

    Access(String word) {
        this.word = word;
    }

    /** The word used in rule files, e.g. {@code "read"}. */
    public String word() {
        return word;
    }

    /** Whether a rule with this disposition permits an operation needing {@code required}. */
    public boolean grants(Access required) {
        switch (this) {
            case WRITE:
                return true;
            case LIST:
                return required == LIST || required == READ;
            case READ:
                return required == READ;
            default:
                return false;
        }
    }

    /** The disposition that wins when both are given for the same resource and name; either may be null. */
    static Access stronger(Access a, Access b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The disposition spelled {@code word}, or null if it is none. */
    static Access named(String word) {
        for (Access access : values()) {
            if (access.word.equals(word)) {
                return access;
            }
        }
        return null;
    }
}
