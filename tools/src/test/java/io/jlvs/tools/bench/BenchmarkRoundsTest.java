package io.jlvs.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench --rounds N}: each figure is the median over the rounds, and every round's figures are listed. */
class BenchmarkRoundsTest {
    private static BenchmarkRow row(String setup, double udp, double keepAlive, double p99, long errors) {
        return new BenchmarkRow(setup, udp, new WrkMeter.HttpFigures(keepAlive, 1.0, p99, errors),
                new WrkMeter.HttpFigures(keepAlive / 4, 2.0, 4.0, 0), "note of " + setup);
    }

    @Test
    void eachFigureIsTheMedianOfItsOwnRounds() {
        BenchmarkRow median = BenchmarkRow.median(List.of(
                row("jlvs", 250_000, 31_000, 3.0, 1), row("jlvs", 270_000, 28_000, 2.0, 0), row("jlvs", 260_000, 29_000, 9.0, 2)));
        assertEquals(260_000, median.udpPacketsPerSecond());
        assertEquals(29_000, median.keepAlive().requestsPerSecond());
        assertEquals(3.0, median.keepAlive().p99Millis(), "medians are per figure, not the median round's figures");
        assertEquals(7_250, median.newConnection().requestsPerSecond());
        assertEquals(3, median.keepAlive().errors(), "failed requests are summed, never hidden");
        assertEquals("note of jlvs", median.note());
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwoAndNaNRoundsAreLeftOut() {
        assertEquals(15.0, BenchmarkRow.median(List.of(10.0, 20.0, 30.0, 5.0, Double.NaN), v -> v), 1e-9);
        assertEquals(25.0, BenchmarkRow.median(List.of(Double.NaN, 20.0, 30.0), v -> v), 1e-9);
        assertTrue(Double.isNaN(BenchmarkRow.median(List.of(Double.NaN, Double.NaN), v -> v)));
        BenchmarkRow haproxy = BenchmarkRow.median(List.of(row("haproxy", Double.NaN, 20_000, 3.0, 0),
                row("haproxy", Double.NaN, 22_000, 3.0, 0)));
        assertTrue(Double.isNaN(haproxy.udpPacketsPerSecond()), "a figure no round measured stays unmeasured");
        assertEquals(21_000, haproxy.keepAlive().requestsPerSecond());
    }

    @Test
    void roundsOfDifferentSetupsAreNotMixed() {
        assertThrows(IllegalArgumentException.class, () -> BenchmarkRow.median(List.of(row("a", 1, 1, 1, 0), row("b", 1, 1, 1, 0))));
        assertThrows(IllegalArgumentException.class, () -> BenchmarkRow.median(List.of()));
    }

    @Test
    void medianRowsKeepTheFirstRoundsOrderAndListEveryRound() {
        List<List<BenchmarkRow>> rounds = List.of(
                List.of(row("routing", 200_000, 31_000, 2.0, 0), row("jlvs", 250_000, 28_000, 3.0, 0)),
                List.of(row("routing", 210_000, 37_000, 2.0, 0), row("jlvs", 260_000, 29_000, 3.0, 0)),
                List.of(row("routing", 220_000, 33_000, 2.0, 0), BenchmarkRow.failed("jlvs", "daemon did not start")));
        List<BenchmarkRow> medians = NetnsBenchmark.medianRows(rounds);
        assertEquals(List.of("routing", "jlvs"), medians.stream().map(BenchmarkRow::setup).toList());
        assertEquals(33_000, medians.get(0).keepAlive().requestsPerSecond());
        assertEquals(28_500, medians.get(1).keepAlive().requestsPerSecond(), "the failed round is left out");
        String perRound = BenchmarkTable.perRound(rounds);
        assertTrue(perRound.contains("  routing: 200000 210000 220000 | 31000 37000 33000 | 7750 9250 8250\n"), perRound);
        assertTrue(perRound.contains("  jlvs: 250000 260000 - | 28000 29000 - | 7000 7250 -\n"), perRound);
    }
}
