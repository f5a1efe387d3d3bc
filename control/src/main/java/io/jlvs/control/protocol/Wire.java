package io.jlvs.control.protocol;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The primitive field encodings every codec shares: bounded strings, optional strings, counted lists, enums. */
final class Wire {
    /** Longest string field in bytes (messages, names, SIP Call-IDs are far shorter). */
    static final int MAX_STRING = 64 * 1024;
    /** Most elements of one list field (a restore of a million lines is still far below). */
    static final int MAX_LIST = 4 * 1024 * 1024;

    private Wire() {}

    @FunctionalInterface
    interface Writer<T> {
        void write(DataOutput out, T value) throws IOException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    static void writeString(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING) throw new ProtocolException("string field of " + b.length + " bytes is too long");
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInput in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_STRING) throw new ProtocolException("bad string length " + len);
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void writeOptionalString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) writeString(out, s);
    }

    static String readOptionalString(DataInput in) throws IOException {
        return readFlag(in) ? readString(in) : null;
    }

    /** A boolean that must be 0 or 1 (anything else is a corrupt frame, not "true"). */
    static boolean readFlag(DataInput in) throws IOException {
        byte b = in.readByte();
        if (b != 0 && b != 1) throw new ProtocolException("bad boolean " + b);
        return b == 1;
    }

    static <T> void writeList(DataOutput out, List<T> list, Writer<? super T> element) throws IOException {
        out.writeInt(list.size());
        for (T t : list) element.write(out, t);
    }

    static <T> List<T> readList(DataInput in, Reader<? extends T> element) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LIST) throw new ProtocolException("bad list length " + n);
        List<T> list = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) list.add(element.read(in));
        return list;
    }

    /** An optional enum constant as 0 (null) or ordinal + 1. */
    static void writeOptionalEnum(DataOutput out, Enum<?> e) throws IOException {
        out.writeByte(e == null ? 0 : e.ordinal() + 1);
    }

    static <E extends Enum<E>> E readOptionalEnum(DataInput in, Class<E> type) throws IOException {
        int b = in.readUnsignedByte();
        if (b == 0) return null;
        E[] values = type.getEnumConstants();
        if (b > values.length) throw new ProtocolException("bad " + type.getSimpleName() + " " + (b - 1));
        return values[b - 1];
    }

    static <E extends Enum<E>> E readEnum(DataInput in, Class<E> type) throws IOException {
        E e = readOptionalEnum(in, type);
        if (e == null) throw new ProtocolException("missing " + type.getSimpleName());
        return e;
    }
}
