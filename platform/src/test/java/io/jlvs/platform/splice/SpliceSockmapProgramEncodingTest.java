package io.jlvs.platform.splice;

import io.jlvs.platform.bpf.EbpfInstructions;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The splice's two sk_skb programs against the bytes clang and llvm-objdump produce for them. */
class SpliceSockmapProgramEncodingTest {
    @Test
    void theSpliceProgramsAsAWhole() {
        assertEquals("61 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
                HexFormat.ofDelimiter(" ").formatHex(SockmapPrograms.parser().bytes()));
        EbpfInstructions verdict = SockmapPrograms.verdict(5);
        assertEquals(14, verdict.count());
        assertEquals("bf 16 00 00 00 00 00 00 61 10 00 00 00 00 00 00 55 00 01 00 00 00 00 00 95 00 00 00 00 00 00 00 "
                        + "85 00 00 00 2e 00 00 00 7b 0a f8 ff 00 00 00 00 bf 61 00 00 00 00 00 00 "
                        + "18 12 00 00 05 00 00 00 00 00 00 00 00 00 00 00 bf a3 00 00 00 00 00 00 "
                        + "07 03 00 00 f8 ff ff ff b7 04 00 00 00 00 00 00 85 00 00 00 48 00 00 00 "
                        + "95 00 00 00 00 00 00 00",
                HexFormat.ofDelimiter(" ").formatHex(verdict.bytes()));
    }
}
