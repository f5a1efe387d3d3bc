package io.jlvs.console.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Some of a scrape's families as the library's writer writes them, in a buffer of their own, so that two parts
 * can be written at once and joined in order. What the writer writes after the last family (OpenMetrics' "# EOF")
 * is kept only in the part that ends the scrape.
 */
final class ExpositionPart extends OutputStream {
    private byte[] bytes;
    private int size;

    private ExpositionPart(int expectedSize) {
        bytes = new byte[Math.max(expectedSize, 256)];
    }

    /**
     * Writes families with writer. trailer: what writer writes after the last family (what it writes for no
     * family at all); it is dropped unless last.
     */
    static ExpositionPart write(ExpositionFormatWriter writer, List<MetricSnapshot> families, boolean last,
                                byte[] trailer, int expectedSize) throws IOException {
        ExpositionPart part = new ExpositionPart(expectedSize);
        // Every metric and label name here is a legal one in the classic character set: no escaping applies.
        writer.write(part, new MetricSnapshots(families), EscapingScheme.UNDERSCORE_ESCAPING);
        if (!last && part.endsWith(trailer)) part.size -= trailer.length;
        return part;
    }

    /** What writer writes for a scrape without families. */
    static byte[] trailer(ExpositionFormatWriter writer) {
        try {
            ExpositionPart empty = write(writer, List.of(), true, new byte[0], 16);
            return Arrays.copyOf(empty.bytes, empty.size);
        } catch (IOException e) {
            throw new IllegalStateException("the writer failed on an empty buffer", e);
        }
    }

    int size() { return size; }

    /** Copies the part into to at offset; returns the offset after it. */
    int copyTo(byte[] to, int offset) {
        System.arraycopy(bytes, 0, to, offset, size);
        return offset + size;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length + (bytes.length >> 1)));
        }
    }

    private boolean endsWith(byte[] tail) {
        return size >= tail.length && Arrays.equals(bytes, size - tail.length, size, tail, 0, tail.length);
    }
}
