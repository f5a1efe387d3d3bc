package io.jlvs.tools.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SYN flood's trafgen frame and the part's table. */
class SynFloodBenchmarkTest {
    @Test
    void theFloodIsA58ByteSynToTheVipFromRandomUnicastSources() {
        String config = SynFloodBenchmark.synFloodConfig("02:00:00:00:00:01", "02:00:00:00:00:02", "10.0.0.100", 80);
        assertTrue(config.contains("0x02, 0x00, 0x00, 0x00, 0x00, 0x01,\n  0x02, 0x00, 0x00, 0x00, 0x00, 0x02,"),
                "to the director's MAC from the client's: " + config);
        assertTrue(config.contains("c16(44)") && config.contains("64, 6, csumip(14, 33)"), "IPv4, 44 bytes, TCP");
        assertTrue(config.contains("dinc(11, 126), drnd(3),\n  10, 0, 0, 100,"), "random unicast sources to the VIP");
        assertTrue(config.contains("drnd(2), c16(80), drnd(4), c32(0), 0x60, 0x02,"), "a SYN to port 80, 24-byte header");
        assertTrue(config.contains("csumtcp(14, 34)") && config.contains("0x02, 0x04, c16(1460)"), "checksum, MSS");
        assertEquals(58, frameBytes(config), "14 + 20 + 24 bytes");
    }

    /** The bytes a trafgen frame of this config's elements makes. */
    private static int frameBytes(String config) {
        int n = 0;
        for (String element : config.replaceAll("[{}\\n]", "").split(",\\s*(?![^()]*\\))")) {
            String e = element.strip();
            if (e.isEmpty()) continue;
            if (e.startsWith("c16(") || e.startsWith("csumip(") || e.startsWith("csumtcp(")) n += 2;
            else if (e.startsWith("c32(")) n += 4;
            else if (e.startsWith("drnd(")) n += Integer.parseInt(e.substring(5, e.length() - 1));
            else n += 1;
        }
        return n;
    }

    @Test
    void floodedFiguresAreComparedWithTheMeanUnfloodedRate() {
        List<SynFloodBenchmark.Row> rows = List.of(
                new SynFloodBenchmark.Row("jlvs", -1, 1000, 0, 0, 0, 500, 0, 0, null),
                new SynFloodBenchmark.Row("jlvs", 0, 850, 1000, 90_000, 3_500, 520, 0, 0, null),
                new SynFloodBenchmark.Row("jlvs", SynFloodBenchmark.SENDER_ALONE, 910, 1000, 1_100_000, 0, 510,
                        0, 0, null),
                new SynFloodBenchmark.Row("kernel", -1, 0, 0, 0, 0, 0, 0, 0, "nft failed"));
        String table = SynFloodBenchmark.format(rows, Duration.ofSeconds(5), 32);
        assertTrue(table.contains("full speed") && table.contains("90,000") && table.contains("3,500")
                && table.contains("0.85x"), table);
        assertTrue(table.contains("full, sunk") && table.contains("1,100,000") && table.contains("0.91x"), table);
        assertTrue(table.contains("kernel") && table.contains("not measured: nft failed"), table);
    }
}
