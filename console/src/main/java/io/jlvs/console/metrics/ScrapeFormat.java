package io.jlvs.console.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.util.List;

/**
 * One exposition format of the scrape, written in two parts by the library's writer: what that writer ends a
 * scrape with, and the sizes of the last scrape's parts, so that the next one's buffers rarely grow.
 */
final class ScrapeFormat {
    private static final int FIRST_SIZE = 64 * 1024;

    private final ExpositionFormatWriter writer;
    private final byte[] trailer;
    private volatile int firstSize = FIRST_SIZE;
    private volatile int secondSize = FIRST_SIZE;

    ScrapeFormat(ExpositionFormatWriter writer) {
        this.writer = writer;
        this.trailer = ExpositionPart.trailer(writer);
    }

    boolean accepts(String acceptHeader) { return writer.accepts(acceptHeader); }

    String contentType() { return writer.getContentType(); }

    /** The part that begins the scrape: without the writer's ending. */
    ExpositionPart first(List<MetricSnapshot> families) throws IOException {
        ExpositionPart part = ExpositionPart.write(writer, families, false, trailer, expected(firstSize));
        firstSize = part.size();
        return part;
    }

    /** The part that ends the scrape. */
    ExpositionPart second(List<MetricSnapshot> families) throws IOException {
        ExpositionPart part = ExpositionPart.write(writer, families, true, trailer, expected(secondSize));
        secondSize = part.size();
        return part;
    }

    /** Room for a part as large as the last one and a little more. */
    private static int expected(int lastSize) {
        return lastSize + (lastSize >> 4);
    }
}
