package dev.beacon.cluster.atomix;

/** The leader would not answer a read yet ({@link LeaderReads}); it is sent again until the operation times out. */
final class ReadRefusedException extends RuntimeException {
    ReadRefusedException() {
        super("the leader could not serve this read yet", null, false, false);
    }
}
