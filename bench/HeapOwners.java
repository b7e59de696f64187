import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the heap of a node goes, by owner: reads two HPROF dumps (before and after N connections, say) and
 * prints, for every object, its type and the chain of first referrers up to a depth ("byte[] <-
 * HeapBuffer.heap <- BufferChunk.buffer"), summed shallow sizes, the difference and the difference per N.
 * A class histogram says how many byte[] there are; this says who holds them. Single-file program:
 *
 *   java -Xmx12g bench/HeapOwners.java before.hprof after.hprof 5000 [depth=3] [rows=60]
 *
 * Depth 0 sums each object to its nearest owner instead: the first referrer up the chain that is not a
 * JDK collection, array or string, nor one of Grizzly's byte and char chunks; depth -1 the same, with the
 * owner's field the object hangs from.
 *
 * Dumps come from `jcmd PID GC.heap_dump -all=false FILE` (live objects only). Sizes assume compressed
 * references and 16-byte headers, so they are estimates; the first referrer found wins where an object
 * has several.
 */
public class HeapOwners {

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: java bench/HeapOwners.java before.hprof after.hprof N [depth] [rows]");
            System.exit(2);
        }
        int per = Integer.parseInt(args[2]);
        int depth = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int rows = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        Map<String, long[]> before = new Dump(args[0]).owners(depth);
        Map<String, long[]> after = new Dump(args[1]).owners(depth);
        long total = 0;
        List<Map.Entry<String, long[]>> diff = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            diff.add(Map.entry(e.getKey(), d));
            total += d[0];
        }
        for (Map.Entry<String, long[]> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                diff.add(Map.entry(e.getKey(), new long[] {-e.getValue()[0], -e.getValue()[1]}));
                total -= e.getValue()[0];
            }
        }
        diff.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        System.out.printf("shallow bytes added: %,d (%,.0f per one of %d)%n", total, total / (double) per, per);
        System.out.printf("%12s %10s %10s  %s%n", "bytes", "per N", "count/N", "type <- first referrer chain");
        for (Map.Entry<String, long[]> e : diff.subList(0, Math.min(rows, diff.size()))) {
            System.out.printf("%,12d %,10.0f %10.2f  %s%n", e.getValue()[0], e.getValue()[0] / (double) per,
                    e.getValue()[1] / (double) per, e.getKey());
        }
    }

    /** One dump: classes on a first pass, objects and their first referrers on a second. */
    static final class Dump {
        private final String file;
        private int idSize;
        private final Map<Long, String> strings = new HashMap<>();
        private final Map<Long, Long> classNames = new HashMap<>();
        private final Map<Long, ClassInfo> classes = new HashMap<>();
        private final List<String> typeNames = new ArrayList<>();
        private final Map<String, Integer> typeIndex = new HashMap<>();
        private final Objects objects = new Objects();

        record ClassInfo(long id, long superId, byte[] types, long[] names) {
        }

        Dump(String file) {
            this.file = file;
        }

        Map<String, long[]> owners(int depth) throws IOException {
            read(true);
            read(false);
            Map<String, long[]> out = new HashMap<>();
            StringBuilder key = new StringBuilder();
            for (int slot = 0; slot < objects.capacity(); slot++) {
                if (!objects.used(slot)) {
                    continue;
                }
                key.setLength(0);
                key.append(typeNames.get(objects.type(slot)));
                int at = slot;
                if (depth <= 0) {
                    key.setLength(0);
                    key.append(owner(slot, depth < 0));
                }
                for (int d = 0; d < depth; d++) {
                    long parent = objects.parent(at);
                    if (parent == 0) {
                        key.append(" <- (no referrer)");
                        break;
                    }
                    int p = objects.slot(parent);
                    if (p < 0) {
                        key.append(" <- (class or root)");
                        break;
                    }
                    key.append(" <- ").append(typeNames.get(objects.type(p))).append('.').append(typeNames.get(objects.field(at)));
                    at = p;
                }
                long[] sum = out.computeIfAbsent(key.toString(), k -> new long[2]);
                sum[0] += objects.size(slot);
                sum[1]++;
            }
            return out;
        }

        /**
         * The nearest referrer (the object itself included) that is not a JDK collection, array, string or
         * one of Grizzly's byte and char chunks: the object an application developer would call the owner.
         */
        private String owner(int slot, boolean withField) {
            int at = slot;
            String field = "(itself)";
            for (int d = 0; d < 40 && at >= 0; d++) {
                String type = typeNames.get(objects.type(at));
                if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("[")
                        && !type.endsWith("[]") && !type.startsWith("org.glassfish.grizzly.http.util.")) {
                    return withField ? type + " ." + field : type;
                }
                long parent = objects.parent(at);
                field = typeNames.get(objects.field(at));
                at = parent == 0 ? -1 : objects.slot(parent);
            }
            return "(unowned) " + typeNames.get(objects.type(slot));
        }

        private int type(String name) {
            return typeIndex.computeIfAbsent(name, n -> {
                typeNames.add(n);
                return typeNames.size() - 1;
            });
        }

        private void read(boolean classesOnly) throws IOException {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(file), 1 << 20))) {
                while (in.readByte() != 0) {
                    // header text
                }
                idSize = in.readInt();
                in.readLong();
                while (true) {
                    int tag;
                    try {
                        tag = in.readUnsignedByte();
                    } catch (EOFException end) {
                        return;
                    }
                    in.readInt();
                    long length = in.readInt() & 0xffffffffL;
                    if (tag == 0x01 && classesOnly) {
                        long id = id(in);
                        byte[] text = new byte[(int) (length - idSize)];
                        in.readFully(text);
                        strings.put(id, new String(text, java.nio.charset.StandardCharsets.UTF_8));
                    } else if (tag == 0x02 && classesOnly) {
                        in.readInt();
                        long classId = id(in);
                        in.readInt();
                        classNames.put(classId, id(in));
                    } else if (tag == 0x0C || tag == 0x1C) {
                        heap(in, length, classesOnly);
                    } else {
                        in.skipNBytes(length);
                    }
                }
            }
        }

        private void heap(DataInputStream in, long length, boolean classesOnly) throws IOException {
            long end = length;
            long read = 0;
            while (read < end) {
                int sub = in.readUnsignedByte();
                read++;
                switch (sub) {
                    case 0xFF, 0x05, 0x07 -> read += skip(in, idSize);
                    case 0x01 -> read += skip(in, 2L * idSize);
                    case 0x02, 0x03, 0x08 -> read += skip(in, idSize + 8);
                    case 0x04, 0x06 -> read += skip(in, idSize + 4);
                    case 0x20 -> read += classDump(in, classesOnly);
                    case 0x21 -> read += instance(in, classesOnly);
                    case 0x22 -> read += objectArray(in, classesOnly);
                    case 0x23 -> read += primitiveArray(in, classesOnly);
                    default -> throw new IOException("unknown heap sub-record " + Integer.toHexString(sub));
                }
            }
        }

        private long classDump(DataInputStream in, boolean classesOnly) throws IOException {
            long n = 0;
            long id = id(in);
            in.readInt();
            long superId = id(in);
            n += idSize * 7L + 4;
            for (int i = 0; i < 5; i++) {
                id(in);
            }
            in.readInt();
            n += 4;
            int constants = in.readUnsignedShort();
            n += 2;
            for (int i = 0; i < constants; i++) {
                in.readUnsignedShort();
                int t = in.readUnsignedByte();
                n += 3 + skip(in, size(t));
            }
            int statics = in.readUnsignedShort();
            n += 2;
            for (int i = 0; i < statics; i++) {
                id(in);
                int t = in.readUnsignedByte();
                n += idSize + 1 + skip(in, size(t));
            }
            int fields = in.readUnsignedShort();
            n += 2;
            byte[] types = new byte[fields];
            long[] names = new long[fields];
            for (int i = 0; i < fields; i++) {
                names[i] = id(in);
                types[i] = in.readByte();
                n += idSize + 1;
            }
            if (classesOnly) {
                classes.put(id, new ClassInfo(id, superId, types, names));
            }
            return n;
        }

        private long instance(DataInputStream in, boolean classesOnly) throws IOException {
            long id = id(in);
            in.readInt();
            long classId = id(in);
            int bytes = in.readInt();
            if (classesOnly) {
                return 2L * idSize + 8 + skip(in, bytes);
            }
            int slot = objects.add(id, type(className(classId)));
            long shallow = 16;
            for (ClassInfo c = classes.get(classId); c != null; c = classes.get(c.superId())) {
                for (int i = 0; i < c.types().length; i++) {
                    int t = c.types()[i];
                    if (t == 2) {
                        long ref = id(in);
                        shallow += 4;
                        if (ref != 0) {
                            objects.refer(ref, id, type(strings.getOrDefault(c.names()[i], "?")));
                        }
                    } else {
                        shallow += skip(in, size(t));
                    }
                }
            }
            objects.size(slot, align(shallow));
            return 2L * idSize + 8 + bytes;
        }

        private long objectArray(DataInputStream in, boolean classesOnly) throws IOException {
            long id = id(in);
            in.readInt();
            int count = in.readInt();
            long classId = id(in);
            if (classesOnly) {
                return 2L * idSize + 8 + skip(in, (long) count * idSize);
            }
            int slot = objects.add(id, type(className(classId)));
            int field = type("[]");
            for (int i = 0; i < count; i++) {
                long ref = id(in);
                if (ref != 0) {
                    objects.refer(ref, id, field);
                }
            }
            objects.size(slot, align(16 + 4L * count));
            return 2L * idSize + 8 + (long) count * idSize;
        }

        private long primitiveArray(DataInputStream in, boolean classesOnly) throws IOException {
            long id = id(in);
            in.readInt();
            int count = in.readInt();
            int t = in.readUnsignedByte();
            long bytes = (long) count * size(t);
            skip(in, bytes);
            if (!classesOnly) {
                int slot = objects.add(id, type(PRIMITIVE[t] + "[]"));
                objects.size(slot, align(16 + bytes));
            }
            return idSize + 9 + bytes;
        }

        private String className(long classId) {
            String name = strings.get(classNames.getOrDefault(classId, 0L));
            return name == null ? "class@" + Long.toHexString(classId) : name.replace('/', '.');
        }

        private long id(DataInputStream in) throws IOException {
            return idSize == 8 ? in.readLong() : in.readInt() & 0xffffffffL;
        }

        private int size(int type) {
            return switch (type) {
                case 2 -> idSize;
                case 4, 8 -> 1;
                case 5, 9 -> 2;
                case 6, 10 -> 4;
                case 7, 11 -> 8;
                default -> throw new IllegalArgumentException("type " + type);
            };
        }

        private static long skip(DataInputStream in, long n) throws IOException {
            in.skipNBytes(n);
            return n;
        }

        private static long align(long n) {
            return (n + 7) & ~7L;
        }

        private static final String[] PRIMITIVE = {"", "", "", "", "boolean", "char", "float", "double", "byte", "short", "int", "long"};
    }

    /**
     * Every object of a dump in open-addressed arrays: its id, type, shallow size, first referrer and the
     * referrer's field. A referrer can be seen before the object it points at, so a slot is made by
     * either.
     */
    static final class Objects {
        private long[] ids = new long[1 << 22];
        private long[] parents = new long[ids.length];
        private int[] types = new int[ids.length];
        private int[] fields = new int[ids.length];
        private int[] sizes = new int[ids.length];
        private boolean[] present = new boolean[ids.length];
        private int used;

        int capacity() {
            return ids.length;
        }

        boolean used(int slot) {
            return present[slot];
        }

        int add(long id, int type) {
            int slot = find(id, true);
            present[slot] = true;
            types[slot] = type;
            return slot;
        }

        void refer(long id, long parent, int field) {
            int slot = find(id, true);
            if (parents[slot] == 0) {
                parents[slot] = parent;
                fields[slot] = field;
            }
        }

        void size(int slot, long size) {
            sizes[slot] = (int) Math.min(Integer.MAX_VALUE, size);
        }

        int slot(long id) {
            int slot = find(id, false);
            return slot >= 0 && present[slot] ? slot : -1;
        }

        long parent(int slot) {
            return parents[slot];
        }

        int type(int slot) {
            return types[slot];
        }

        int field(int slot) {
            return fields[slot];
        }

        long size(int slot) {
            return sizes[slot];
        }

        private int find(long id, boolean create) {
            if (create && used * 2 > ids.length) {
                grow();
            }
            int mask = ids.length - 1;
            int slot = (int) (mix(id) & mask);
            while (ids[slot] != 0) {
                if (ids[slot] == id) {
                    return slot;
                }
                slot = (slot + 1) & mask;
            }
            if (!create) {
                return -1;
            }
            ids[slot] = id;
            used++;
            return slot;
        }

        private void grow() {
            long[] oldIds = ids;
            long[] oldParents = parents;
            int[] oldTypes = types;
            int[] oldFields = fields;
            int[] oldSizes = sizes;
            boolean[] oldPresent = present;
            int n = oldIds.length * 2;
            ids = new long[n];
            parents = new long[n];
            types = new int[n];
            fields = new int[n];
            sizes = new int[n];
            present = new boolean[n];
            used = 0;
            for (int i = 0; i < oldIds.length; i++) {
                if (oldIds[i] != 0) {
                    int s = find(oldIds[i], true);
                    parents[s] = oldParents[i];
                    types[s] = oldTypes[i];
                    fields[s] = oldFields[i];
                    sizes[s] = oldSizes[i];
                    present[s] = oldPresent[i];
                }
            }
        }

        private static long mix(long id) {
            long h = id * 0x9E3779B97F4A7C15L;
            return h ^ (h >>> 29);
        }
    }
}
