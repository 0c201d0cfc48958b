package dev.beacon.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every command type is registered once, under one tag, and round-trips through the registry's codec. */
class CommandRegistryTest {

    private static CommandType<Command.DestroySession> destroy(int tag) {
        return CommandType.of(tag, Command.DestroySession.class, (out, c) -> Wire.writeString(out, c.id()),
                in -> new Command.DestroySession(Wire.readString(in)), (c, at) -> Outcome.ok(at.index()));
    }

    private static CommandType<Command.RenewSession> renew(int tag) {
        return CommandType.of(tag, Command.RenewSession.class, (out, c) -> Wire.writeString(out, c.id()),
                in -> new Command.RenewSession(Wire.readString(in)), (c, at) -> Outcome.ok(at.index()));
    }

    @Test
    void aTagRegisteredTwiceIsRefusedNamingBothTypes() {
        assertThatThrownBy(() -> new CommandRegistry(List.of(destroy(40), renew(40))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("command tag 40 registered twice: DestroySession and RenewSession");
    }

    @Test
    void aTypeRegisteredTwiceIsRefusedNamingBothTags() {
        assertThatThrownBy(() -> new CommandRegistry(List.of(destroy(40), destroy(41))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("command type DestroySession registered twice: tags 40 and 41");
    }

    @Test
    void aTagThatDoesNotFitTheTagByteIsRefused() {
        for (int tag : new int[] {0, -1, 256}) {
            assertThatThrownBy(() -> new CommandRegistry(List.of(destroy(tag)))).as("tag %d", tag)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("outside 1..255");
        }
    }

    @Test
    void distinctRegistrationsAreAccepted() {
        CommandRegistry registry = new CommandRegistry(List.of(destroy(40), renew(41)));

        assertThat(registry.forTag(40).type()).isEqualTo(Command.DestroySession.class);
        assertThat(registry.forTag(42)).isNull();
        assertThat(registry.forCommand(new Command.RenewSession("s")).tag()).isEqualTo(41);
    }

    @Test
    void aCommandOfAnUnregisteredTypeIsRefused() {
        CommandRegistry registry = new CommandRegistry(List.of(destroy(40)));

        assertThatThrownBy(() -> registry.forCommand(new Command.RenewSession("s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RenewSession");
    }

    @Test
    void everyPermittedCommandTypeIsRegisteredExactlyOnce() {
        List<Class<?>> registered = new ArrayList<>();
        CommandRegistry.COMMANDS.types().forEach(t -> registered.add(t.type()));

        assertThat(registered).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(Command.class.getPermittedSubclasses());
    }

    @Test
    void everyRegisteredTagRoundTripsItsSamples() {
        Set<Integer> seen = CommandCodecTest.samples().stream().map(sample -> {
            CommandType<?> type = CommandRegistry.COMMANDS.forCommand(sample);
            byte[] bytes = CommandCodec.encode(sample);
            assertThat(bytes[0] & 0xff).as("tag of %s", sample).isEqualTo(type.tag());
            assertThat(CommandRegistry.COMMANDS.forTag(type.tag())).isSameAs(type);
            assertThat(CommandCodec.decode(bytes)).usingRecursiveComparison().isEqualTo(sample);
            return type.tag();
        }).collect(Collectors.toSet());

        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                CommandRegistry.COMMANDS.types().stream().map(CommandType::tag).toList());
    }

    @Test
    void tagsKeepTheirHistoricNumbers() {
        List<String> byTag = CommandRegistry.COMMANDS.types().stream()
                .map(t -> t.tag() + "=" + t.type().getSimpleName()).toList();

        assertThat(byTag).containsExactly("1=KvSet", "2=KvDelete", "3=RegisterNode", "4=DeregisterNode",
                "5=RegisterService", "6=DeregisterService", "7=RegisterCheck", "8=DeregisterCheck",
                "9=CreateSession", "10=DestroySession", "11=ReapTombstones", "12=KvLock", "13=KvUnlock", "14=Txn",
                "15=CatalogRegister", "16=RenewSession", "17=ExpireSession", "18=FireEvent", "19=SetAlarm",
                "20=RestoreState", "21=AdvanceIndex", "22=AclBootstrap", "23=AclInitialize", "24=AclSetPolicy",
                "25=AclDeletePolicy", "26=AclSetToken", "27=AclDeleteToken", "28=AclSetRole", "29=AclDeleteRole",
                "30=AclExpireToken", "31=KvPut", "32=KvRemove", "33=KvExpire",
                "34=KvSetExpiring", "35=RestoreStage", "36=RestoreCommit", "37=PreparedQuerySet",
                "38=PreparedQueryDelete", "39=KvSetIfChanged");
        assertThat(Arrays.stream(Command.class.getPermittedSubclasses()).count()).isEqualTo(byTag.size());
    }
}
