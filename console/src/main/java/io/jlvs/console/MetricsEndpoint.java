package io.jlvs.console;

import java.io.IOException;
import java.io.OutputStream;

/** GET /metrics: one scrape in the format the Accept header asks for. */
public interface MetricsEndpoint {
    /** The content type answered for this Accept header (null header: the Prometheus text format). */
    String contentType(String acceptHeader);

    /** One scrape, the whole body. */
    byte[] scrape(String acceptHeader) throws IOException;

    /** Writes one scrape to out. */
    default void write(String acceptHeader, OutputStream out) throws IOException {
        out.write(scrape(acceptHeader));
    }
}
