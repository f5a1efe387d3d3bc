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

    /**
     * The median of each figure over rounds of one setup (NaN rounds left out), with the notes of the first round
     * and the per-round new-connection, keep-alive and bulk figures.
     */
    static Layer7Row median(java.util.List<Layer7Row> rounds) {
        Layer7Row first = rounds.getFirst();
        if (rounds.size() == 1) return first;
        long errors = rounds.stream().mapToLong(r -> r.newConnection().errors() + r.keepAlive().errors()).sum();
        String perRound = "per round: new-conn " + Samples.figures(figure(rounds, r -> r.newConnection().requestsPerSecond()))
                + "; keep-alive " + Samples.figures(figure(rounds, r -> r.keepAlive().requestsPerSecond()))
                + "; bulk MiB/s " + Samples.figures(figure(rounds, r -> r.bulk().mibPerSecond()));
        return new Layer7Row(first.setup(),
                new WrkMeter.HttpFigures(median(rounds, r -> r.newConnection().requestsPerSecond()),
                        median(rounds, r -> r.newConnection().p50Millis()), median(rounds, r -> r.newConnection().p99Millis()),
                        rounds.stream().mapToLong(r -> r.newConnection().errors()).sum()),
                new WrkMeter.HttpFigures(median(rounds, r -> r.keepAlive().requestsPerSecond()),
                        median(rounds, r -> r.keepAlive().p50Millis()), median(rounds, r -> r.keepAlive().p99Millis()),
                        rounds.stream().mapToLong(r -> r.keepAlive().errors()).sum()),
                new BulkMeter.BulkFigures(median(rounds, r -> r.bulk().mibPerSecond()),
                        median(rounds, r -> r.bulk().processCpuPerGib()), median(rounds, r -> r.bulk().machineCpuPerGib()),
                        median(rounds, r -> r.bulk().softirqPerGib())),
                first.note() + "; " + perRound + (errors == 0 ? "" : "; " + errors + " HTTP errors over all rounds"));
    }

    private static java.util.List<Double> figure(java.util.List<Layer7Row> rounds, java.util.function.ToDoubleFunction<Layer7Row> f) {
        return rounds.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).boxed().toList();
    }

    private static double median(java.util.List<Layer7Row> rounds, java.util.function.ToDoubleFunction<Layer7Row> f) {
        java.util.List<Double> values = figure(rounds, f);
        return values.isEmpty() ? Double.NaN : Samples.median(values);
    }
}
