package dev.beacon.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import dev.beacon.state.Command;
import dev.beacon.state.CommandCodec;
import dev.beacon.state.Outcome;
import dev.beacon.state.Query;
import dev.beacon.state.QueryCodec;
import io.atomix.primitive.service.AbstractPrimitiveService;
import io.atomix.primitive.service.BackupInput;
import io.atomix.primitive.service.BackupOutput;
import io.atomix.primitive.service.Commit;
import io.atomix.primitive.service.ServiceExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine: Atomix calls it with committed entries, in log order, on every server. It applies each
 * command to this server's {@link LocalReplica} at the entry's Raft index and with the leader's entry time.
 */
final class StoreService extends AbstractPrimitiveService<Void> {
    private static final Logger log = LoggerFactory.getLogger(StoreService.class);
    private final LocalReplica replica;

    StoreService(StoreType type, LocalReplica replica) {
        super(type);
        this.replica = replica;
        // Atomix creates the service before replaying the log (or restoring a snapshot) from the beginning.
        replica.store().clear();
    }

    @Override
    protected void configure(ServiceExecutor executor) {
        executor.handle(StoreOperations.APPLY, this::applyCommand);
        executor.handle(StoreOperations.READ, this::read);
    }

    private byte[] applyCommand(Commit<byte[]> commit) {
        Command command = CommandCodec.decode(commit.value());
        long index = getCurrentIndex();
        Outcome outcome = replica.store().apply(index, getWallClock().getTime().unixTimestamp(), command);
        return CommandCodec.encode(outcome);
    }

    private byte[] read(Commit<byte[]> commit) {
        Query<?> query = QueryCodec.decode(commit.value());
        return QueryCodec.encodeResult(query, replica.store().query(query));
    }

    @Override
    public void backup(BackupOutput output) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            replica.store().writeSnapshot(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        output.writeInt(bytes.size());
        output.write(bytes.toByteArray());
    }

    @Override
    public void restore(BackupInput input) {
        byte[] bytes = input.readBytes(input.readInt());
        try {
            replica.store().restoreSnapshot(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("Restored the store from a {}-byte snapshot at index {}", bytes.length,
                replica.store().lastIndex());
    }

}
