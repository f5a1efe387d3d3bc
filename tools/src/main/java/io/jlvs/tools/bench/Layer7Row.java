package io.jlvs.tools.bench;

/**
 * One layer-7 proxy's figures: short requests on a new connection each, keep-alive requests, and one bulk download.
 * A figure that could not be measured is NaN; {@code note} says why.
 */
record Layer7Row(String setup, WrkMeter.HttpFigures newConnection, WrkMeter.HttpFigures keepAlive,
                 BulkMeter.BulkFigures bulk, String note) {

    static Layer7Row failed(String setup, String note) {
        return new Layer7Row(setup, BenchmarkRow.NOT_MEASURED, BenchmarkRow.NOT_MEASURED,
                BulkMeter.BulkFigures.NOT_MEASURED, note);
    }
}
