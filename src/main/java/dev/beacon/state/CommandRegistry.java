package dev.beacon.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one list of command types (as Consul's FSM registers each message type once). The codec finds a type's
 * encoding here and the store its effect, so adding a command means declaring its record in {@link Command} and
 * registering it in one of the lists below. A tag or a type registered twice fails when this class initializes,
 * naming both registrations.
 */
final class CommandRegistry {
    static final CommandRegistry COMMANDS = new CommandRegistry(concat(KvCommands.TYPES, CatalogCommands.TYPES,
            SessionCommands.TYPES, TxnCommand.TYPES, ClusterCommands.TYPES, AclCommands.TYPES, EtcdCommands.TYPES,
            PreparedQueryCommands.TYPES));

    /** Tags are one unsigned byte; 0 is left unused so that a zeroed entry is never a command. */
    private static final int MAX_TAG = 255;

    private final Map<Integer, CommandType<?>> byTag = new TreeMap<>();
    private final Map<Class<?>, CommandType<?>> byType = new HashMap<>();

    CommandRegistry(List<CommandType<?>> types) {
        for (CommandType<?> type : types) {
            if (type.tag() < 1 || type.tag() > MAX_TAG) {
                throw new IllegalStateException("command tag " + type.tag() + " of " + type.type().getSimpleName()
                        + " is outside 1.." + MAX_TAG);
            }
            CommandType<?> sameTag = byTag.putIfAbsent(type.tag(), type);
            if (sameTag != null) {
                throw new IllegalStateException("command tag " + type.tag() + " registered twice: "
                        + sameTag.type().getSimpleName() + " and " + type.type().getSimpleName());
            }
            if (byType.putIfAbsent(type.type(), type) != null) {
                throw new IllegalStateException("command type " + type.type().getSimpleName()
                        + " registered twice: tags " + byType.get(type.type()).tag() + " and " + type.tag());
            }
        }
    }

    @SafeVarargs
    private static List<CommandType<?>> concat(List<CommandType<?>>... lists) {
        List<CommandType<?>> all = new ArrayList<>();
        for (List<CommandType<?>> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    /** Every registered type, in tag order. */
    Collection<CommandType<?>> types() {
        return Collections.unmodifiableCollection(byTag.values());
    }

    /** The type stored under {@code tag}, or null if none is (corrupt data, or a newer server's command). */
    CommandType<?> forTag(int tag) {
        return byTag.get(tag);
    }

    CommandType<?> forCommand(Command command) {
        CommandType<?> type = byType.get(command.getClass());
        if (type == null) {
            throw new IllegalArgumentException("unregistered command type " + command.getClass().getName());
        }
        return type;
    }

    Outcome apply(Command command, Applying at) {
        return forCommand(command).apply(command, at);
    }

    boolean adds(Command command, StoreTables tables) {
        return forCommand(command).adds(command, tables);
    }
}
