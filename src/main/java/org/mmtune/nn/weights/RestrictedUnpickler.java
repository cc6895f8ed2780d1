package org.mmtune.nn.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the pickle of a PyTorch state dict without running anything: a small pickle machine that knows only
 * the opcodes a state dict uses (protocols 2 to 5, no object construction) and only these globals, which it
 * never calls but interprets itself, as PyTorch's {@code weights_only} loader does:
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter},
 * {@code torch.Size}, {@code torch.device} and the typed storages {@code torch.FloatStorage} etc. Any other
 * global (e.g. {@code os.system}, {@code builtins.eval}) or opcode ({@code INST}, {@code OBJ}, {@code NEWOBJ},
 * extensions, text persistent ids) stops reading with an {@link UnsafePickleException} before anything of
 * it is used.
 *
 * <p>Results: dicts become {@link LinkedHashMap}s (file order), lists {@link ArrayList}s, tuples
 * {@link Tuple}s, strings, {@link Long}s, {@link Double}s, booleans, {@code null}; tensors {@link TensorRef}s
 * pointing at their {@link StorageRef} (the data is read separately from the zip).
 */
final class RestrictedUnpickler {

    /** A refused pickle: the message says which opcode or global. */
    static final class UnsafePickleException extends IOException {
        UnsafePickleException(String message) {
            super(message);
        }
    }

    /** A Python tuple. */
    record Tuple(List<Object> items) {
    }

    /** A persistent-id storage reference: {@code ('storage', torch.FloatStorage, key, location, numel)}. */
    record StorageRef(String type, Dtype dtype, String key, long numel) {
    }

    /** A tensor view into a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** An allowed global, before it is applied. */
    private record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    private static final Set<String> CALLABLES = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch.Size", "torch.device");
    private static final Map<String, Dtype> STORAGES = new HashMap<>();
    /** Storages of non-float types: allowed (a state dict holds integer counters), refused when read as weights. */
    private static final Set<String> OTHER_STORAGES = Set.of("LongStorage", "IntStorage", "ShortStorage",
            "CharStorage", "ByteStorage", "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage");

    static {
        STORAGES.put("FloatStorage", Dtype.FLOAT32);
        STORAGES.put("HalfStorage", Dtype.FLOAT16);
        STORAGES.put("BFloat16Storage", Dtype.BFLOAT16);
        STORAGES.put("DoubleStorage", Dtype.FLOAT64);
    }


    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private RestrictedUnpickler(byte[] pickle) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads one pickled object. */
    static Object load(byte[] pickle) throws IOException {
        try {
            return new RestrictedUnpickler(pickle).run();
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("the pickle ends early (truncated)");
        } catch (ClassCastException | IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException e) {
            throw new IOException("malformed pickle (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Object run() throws IOException {
        while (true) {
            int pos = in.position();
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = in.get() & 0xFF;
                    if (proto > 5) {
                        throw new IOException("unsupported pickle protocol " + proto);
                    }
                }
                case 0x95 -> in.getLong(); // FRAME: length only, the data follows inline
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> marks.add(stack.size());
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(stack.get(stack.size() - 1));
                case 'J' -> push((long) in.getInt());
                case 'K' -> push((long) (in.get() & 0xFF));
                case 'M' -> push((long) (in.getShort() & 0xFFFF));
                case 0x8a -> push(long1(in.get() & 0xFF));
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
                case 'X' -> push(string(in.getInt()));
                case 0x8c -> push(string(in.get() & 0xFF));
                case 0x8d -> push(string(checkedLength(in.getLong())));
                case 'T' -> push(string(in.getInt()));
                case 'U' -> push(string(in.get() & 0xFF));
                case 'B' -> push(bytes(in.getInt()));
                case 'C' -> push(bytes(in.get() & 0xFF));
                case 0x8e -> push(bytes(checkedLength(in.getLong())));
                case '}' -> push(new LinkedHashMap<>());
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new Tuple(List.of()));
                case 't' -> push(new Tuple(popMark()));
                case 0x85 -> push(tupleOf(1));
                case 0x86 -> push(tupleOf(2));
                case 0x87 -> push(tupleOf(3));
                case 'd' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> d = new LinkedHashMap<>();
                    putAll(d, items);
                    push(d);
                }
                case 'l' -> push(new ArrayList<>(popMark()));
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    dict(peek()).put(key(k), v);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    putAll(dict(peek()), items);
                }
                case 'a' -> {
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case 'q' -> memo.put((long) (in.get() & 0xFF), peek());
                case 'r' -> memo.put(in.getInt() & 0xFFFFFFFFL, peek());
                case 0x94 -> memo.put((long) memo.size(), peek());
                case 'h' -> push(memoGet(in.get() & 0xFF));
                case 'j' -> push(memoGet(in.getInt() & 0xFFFFFFFFL));
                case 'c' -> push(global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new IOException("malformed pickle (STACK_GLOBAL without names)");
                    }
                    push(global(m, n));
                }
                case 'R' -> {
                    Object args = pop();
                    Object fn = pop();
                    push(reduce(fn, args));
                }
                case 'b' -> { // BUILD: only the attribute state of an OrderedDict (PyTorch's _metadata) is accepted
                    pop(); // the state
                    Object target = peek();
                    if (!(target instanceof Map) && !(target instanceof TensorRef)) {
                        throw new UnsafePickleException("pickle sets the state of a "
                                + describe(target) + " (BUILD), which a state dict never does");
                    }
                    // the state (PyTorch's _metadata, a parameter's attributes) is not needed and is dropped
                }
                case 'Q' -> push(persistent(pop()));
                default -> throw new UnsafePickleException("pickle opcode " + opcodeName(op) + " at byte " + pos
                        + " is not allowed in a weights file (only plain state dicts are read)");
            }
        }
    }

    private static String opcodeName(int op) {
        String name = switch (op) {
            case 'i' -> "INST";
            case 'o' -> "OBJ";
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            case 0x82, 0x83, 0x84 -> "EXT";
            case 'P' -> "PERSID";
            case 0x8f, 0x90, 0x91 -> "SET";
            case 0x96, 0x97, 0x98 -> "BUFFER";
            default -> null;
        };
        String printable = op >= 0x20 && op < 0x7f ? "'" + (char) op + "'" : String.format("0x%02x", op);
        return name == null ? printable : name + " (" + printable + ")";
    }

    private Object global(String module, String name) throws UnsafePickleException {
        String q = module + "." + name;
        if (CALLABLES.contains(q)) {
            return new Global(module, name);
        }
        if (module.equals("torch") && (STORAGES.containsKey(name) || OTHER_STORAGES.contains(name))) {
            return new Global(module, name);
        }
        throw new UnsafePickleException("pickle refers to " + q + ", which a state dict never needs "
                + "(refused without running it)");
    }

    private Object reduce(Object fn, Object args) throws IOException {
        if (!(fn instanceof Global g)) {
            throw new UnsafePickleException("pickle calls a " + describe(fn) + " (REDUCE), which is not allowed");
        }
        List<Object> a = args instanceof Tuple t ? t.items() : null;
        if (a == null) {
            throw new IOException("malformed pickle (arguments of " + g.qualified() + " are not a tuple)");
        }
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (!a.isEmpty() && a.get(0) instanceof List<?> pairs) {
                    for (Object p : pairs) {
                        List<Object> kv = ((Tuple) p).items();
                        d.put(key(kv.get(0)), kv.get(1));
                    }
                }
                return d;
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef s)) {
                    throw new IOException("malformed pickle (_rebuild_tensor_v2 without a storage)");
                }
                return new TensorRef(s, (Long) a.get(1), longs(a.get(2)), longs(a.get(3)));
            }
            case "torch._utils._rebuild_parameter" -> {
                if (a.isEmpty() || !(a.get(0) instanceof TensorRef t)) {
                    throw new IOException("malformed pickle (_rebuild_parameter without a tensor)");
                }
                return t;
            }
            case "torch.Size" -> {
                return a.isEmpty() ? new Tuple(List.of()) : a.get(0);
            }
            case "torch.device" -> {
                return String.valueOf(a.isEmpty() ? "" : a.get(0));
            }
            default -> throw new UnsafePickleException("pickle calls " + g.qualified() + ", which is not allowed");
        }
    }

    private Object persistent(Object pid) throws IOException {
        if (!(pid instanceof Tuple t) || t.items().size() < 5 || !"storage".equals(t.items().get(0))
                || !(t.items().get(1) instanceof Global g) || !(t.items().get(2) instanceof String key)
                || !(t.items().get(4) instanceof Long numel)) {
            throw new UnsafePickleException("pickle uses a persistent id that is not a tensor storage");
        }
        if (!g.module().equals("torch") || !(STORAGES.containsKey(g.name()) || OTHER_STORAGES.contains(g.name()))) {
            throw new UnsafePickleException("pickle uses storage type " + g.qualified() + ", which is not allowed");
        }
        return new StorageRef(g.name(), STORAGES.get(g.name()), key, numel);
    }

    private static long[] longs(Object o) throws IOException {
        List<Object> items = o instanceof Tuple t ? t.items() : o instanceof List<?> l ? new ArrayList<>(l) : null;
        if (items == null) {
            throw new IOException("malformed pickle (tensor size or stride is not a tuple)");
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) items.get(i);
        }
        return out;
    }

    private static String describe(Object o) {
        if (o instanceof Global g) {
            return g.qualified();
        }
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private Tuple tupleOf(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return new Tuple(Arrays.asList(items));
    }

    private static void putAll(Map<Object, Object> d, List<Object> items) throws IOException {
        if (items.size() % 2 != 0) {
            throw new IOException("malformed pickle (odd number of dict items)");
        }
        for (int i = 0; i < items.size(); i += 2) {
            d.put(key(items.get(i)), items.get(i + 1));
        }
    }

    private static Object key(Object k) throws IOException {
        if (k instanceof Map || k instanceof List) {
            throw new IOException("malformed pickle (unhashable dict key)");
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) throws IOException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new IOException("malformed pickle (SETITEM on a " + describe(o) + ")");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws IOException {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IOException("malformed pickle (APPEND on a " + describe(o) + ")");
    }

    private Object memoGet(long i) throws IOException {
        if (!memo.containsKey(i)) {
            throw new IOException("malformed pickle (memo " + i + " unset)");
        }
        return memo.get(i);
    }

    /** LONG1: {@code n} bytes of a little-endian two's complement integer (at most 8 are accepted). */
    private long long1(int n) {
        if (n > 8) {
            throw new IllegalArgumentException("integer of " + n + " bytes");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (in.get() & 0xFFL) << (8 * i);
        }
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
            v |= -1L << (8 * n);
        }
        return v;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new IndexOutOfBoundsException("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new IndexOutOfBoundsException("no mark");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private static int checkedLength(long n) {
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("length " + n);
        }
        return (int) n;
    }

    private String string(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) {
        if (n < 0 || n > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte c = in.get();
            if (c == '\n') {
                return sb.toString();
            }
            sb.append((char) (c & 0xFF));
        }
    }
}
