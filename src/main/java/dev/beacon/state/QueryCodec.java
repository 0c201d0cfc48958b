package dev.beacon.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Queries and their results as bytes, for reads answered by another server (the leader). */
public final class QueryCodec {
    private static final int KV_GET = 1;
    private static final int KV_LIST = 2;
    private static final int CATALOG_SLICE = 3;
    private static final int SESSIONS = 4;
    private static final int EVENTS = 5;
    private static final int KV_KEYS = 6;
    private static final int ACL = 7;
    private static final int KV_SUBTREE = 8;
    private static final int PREPARED_QUERIES = 9;

    private QueryCodec() {
    }

    public static byte[] encode(Query<?> query) {
        return write(out -> {
            if (query instanceof Query.KvGet q) {
                out.writeByte(KV_GET);
                Wire.writeString(out, q.key());
            } else if (query instanceof Query.KvList q) {
                out.writeByte(KV_LIST);
                Wire.writeString(out, q.prefix());
            } else if (query instanceof Query.KvKeys q) {
                out.writeByte(KV_KEYS);
                Wire.writeString(out, q.prefix());
            } else if (query instanceof Query.CatalogSlice q) {
                out.writeByte(CATALOG_SLICE);
                Wire.writeString(out, q.node());
                Wire.writeString(out, q.service());
                int mask = 0;
                for (Table table : q.tables()) {
                    mask |= 1 << table.code();
                }
                out.writeInt(mask);
            } else if (query instanceof Query.Sessions q) {
                out.writeByte(SESSIONS);
                Wire.writeString(out, q.node());
                Wire.writeString(out, q.id());
            } else if (query instanceof Query.Events) {
                out.writeByte(EVENTS);
            } else if (query instanceof Query.Acl) {
                out.writeByte(ACL);
            } else if (query instanceof Query.KvSubtree q) {
                out.writeByte(KV_SUBTREE);
                Wire.writeString(out, q.path());
            } else if (query instanceof Query.PreparedQueries) {
                out.writeByte(PREPARED_QUERIES);
            } else {
                throw new IllegalArgumentException("no encoding for " + query.getClass().getName());
            }
        });
    }

    public static Query<?> decode(byte[] bytes) {
        return read(bytes, in -> {
            int tag = in.readUnsignedByte();
            return switch (tag) {
                case KV_GET -> new Query.KvGet(Wire.readString(in));
                case KV_LIST -> new Query.KvList(Wire.readString(in));
                case KV_KEYS -> new Query.KvKeys(Wire.readString(in));
                case CATALOG_SLICE -> new Query.CatalogSlice(Wire.readString(in), Wire.readString(in),
                        tables(in.readInt()));
                case SESSIONS -> new Query.Sessions(Wire.readString(in), Wire.readString(in));
                case EVENTS -> new Query.Events();
                case ACL -> new Query.Acl();
                case KV_SUBTREE -> new Query.KvSubtree(Wire.readString(in));
                case PREPARED_QUERIES -> new Query.PreparedQueries();
                default -> throw new IOException("unknown query tag " + tag);
            };
        });
    }

    /** Encodes a result of {@code query} (as {@link Store#query} returned it). */
    public static byte[] encodeResult(Query<?> query, Indexed<?> result) {
        return write(out -> {
            out.writeLong(result.index());
            if (query instanceof Query.CatalogSlice) {
                writeView(out, (CatalogView) result.value());
            } else if (query instanceof Query.Sessions) {
                @SuppressWarnings("unchecked")
                List<Session> sessions = (List<Session>) result.value();
                RecordCodec.writeList(out, sessions, RecordCodec::writeSession);
            } else if (query instanceof Query.Events) {
                @SuppressWarnings("unchecked")
                List<Event> events = (List<Event>) result.value();
                RecordCodec.writeList(out, events, RecordCodec::writeEvent);
            } else if (query instanceof Query.Acl) {
                AclCodec.writeTables(out, (AclTables) result.value());
            } else if (query instanceof Query.PreparedQueries) {
                @SuppressWarnings("unchecked")
                List<PreparedQuery> queries = (List<PreparedQuery>) result.value();
                RecordCodec.writeList(out, queries, PreparedQueryCommands::writeQuery);
            } else if (query instanceof Query.KvKeys) {
                @SuppressWarnings("unchecked")
                List<String> keys = (List<String>) result.value();
                Wire.writeStrings(out, keys);
            } else if (query instanceof Query.KvSubtree) {
                KvSubtree tree = (KvSubtree) result.value();
                out.writeBoolean(tree.self() != null);
                if (tree.self() != null) {
                    RecordCodec.writeKv(out, tree.self());
                }
                RecordCodec.writeList(out, tree.under(), RecordCodec::writeKv);
                out.writeInt(tree.expiries().size());
                for (Map.Entry<String, Long> e : new TreeMap<>(tree.expiries()).entrySet()) {
                    Wire.writeString(out, e.getKey());
                    out.writeLong(e.getValue());
                }
                out.writeBoolean(tree.absence() != null);
                if (tree.absence() != null) {
                    Wire.writeString(out, tree.absence().key());
                    out.writeBoolean(tree.absence().throughFile());
                }
            } else if (query instanceof Query.KvGet) {
                KvEntry entry = (KvEntry) result.value();
                out.writeBoolean(entry != null);
                if (entry != null) {
                    RecordCodec.writeKv(out, entry);
                }
            } else {
                @SuppressWarnings("unchecked")
                List<KvEntry> entries = (List<KvEntry>) result.value();
                out.writeInt(entries.size());
                for (KvEntry e : entries) {
                    RecordCodec.writeKv(out, e);
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    public static <R> Indexed<R> decodeResult(Query<R> query, byte[] bytes) {
        return read(bytes, in -> {
            long index = in.readLong();
            if (query instanceof Query.CatalogSlice) {
                return new Indexed<>((R) readView(in), index);
            }
            if (query instanceof Query.Sessions) {
                return new Indexed<>((R) RecordCodec.readList(in, RecordCodec::readSession), index);
            }
            if (query instanceof Query.Events) {
                return new Indexed<>((R) RecordCodec.readList(in, RecordCodec::readEvent), index);
            }
            if (query instanceof Query.Acl) {
                return new Indexed<>((R) AclCodec.readTables(in), index);
            }
            if (query instanceof Query.PreparedQueries) {
                return new Indexed<>((R) RecordCodec.readList(in, PreparedQueryCommands::readQuery), index);
            }
            if (query instanceof Query.KvKeys) {
                return new Indexed<>((R) Wire.readStrings(in), index);
            }
            if (query instanceof Query.KvGet) {
                return new Indexed<>((R) (in.readBoolean() ? RecordCodec.readKv(in) : null), index);
            }
            if (query instanceof Query.KvSubtree) {
                KvEntry self = in.readBoolean() ? RecordCodec.readKv(in) : null;
                List<KvEntry> under = RecordCodec.readList(in, RecordCodec::readKv);
                Map<String, Long> expiries = new TreeMap<>();
                for (int i = Wire.readCount(in); i > 0; i--) {
                    expiries.put(Wire.readString(in), in.readLong());
                }
                KvSubtree.Absence absence = in.readBoolean()
                        ? new KvSubtree.Absence(Wire.readString(in), in.readBoolean()) : null;
                return new Indexed<>((R) new KvSubtree(self, under, expiries, absence), index);
            }
            return new Indexed<>((R) RecordCodec.readList(in, RecordCodec::readKv), index);
        });
    }

    private static Set<Table> tables(int mask) throws IOException {
        Set<Table> tables = EnumSet.noneOf(Table.class);
        for (Table table : Table.values()) {
            if ((mask & (1 << table.code())) != 0) {
                tables.add(table);
            }
        }
        if (tables.isEmpty() || mask >>> Table.values().length != 0) {
            throw new IOException("bad table mask " + mask);
        }
        return tables;
    }

    private static void writeView(DataOutputStream out, CatalogView view) throws IOException {
        RecordCodec.writeList(out, view.nodes(), RecordCodec::writeNode);
        RecordCodec.writeList(out, view.services(), RecordCodec::writeService);
        RecordCodec.writeList(out, view.checks(), RecordCodec::writeCheck);
    }

    private static CatalogView readView(DataInputStream in) throws IOException {
        return new CatalogView(RecordCodec.readList(in, RecordCodec::readNode),
                RecordCodec.readList(in, RecordCodec::readService), RecordCodec.readList(in, RecordCodec::readCheck));
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            T value = reader.read(in);
            if (in.available() > 0) {
                throw new IOException(in.available() + " stray bytes after the end");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("corrupt query or result", e instanceof IOException io ? io
                    : new IOException(e));
        }
    }
}
