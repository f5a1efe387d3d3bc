package io.jlvs.platform.splice;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.EbpfAssembler;
import io.jlvs.platform.bpf.EbpfInstructions;
import io.jlvs.platform.bpf.EbpfLoader;

import io.jlvs.platform.libc.ErrnoException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's verifier accepts the splice programs, and a program it refuses comes back with the verifier's log. */
class SpliceSockmapProgramTest {
    @Test
    void theProgramsEncodeAsClangWould() {
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

    @Test
    void verdictOnlyLoadsAndAttaches() throws Exception {
        try (SockmapDatapath datapath = SockmapDatapath.open(16, SockmapAttachment.VERDICT_ONLY)) {
            assertEquals(0, datapath.entries());
        }
    }

    @Test
    void parserAndVerdictLoadAndAttach() throws Exception {
        try (SockmapDatapath datapath = SockmapDatapath.open(16, SockmapAttachment.PARSER_AND_VERDICT)) {
            assertEquals(0, datapath.entries());
        }
    }

    @Test
    void aRefusedProgramCarriesTheVerifierLog() {
        // reads r2, which no one wrote: the verifier refuses with "R2 !read_ok"
        EbpfInstructions bad = new EbpfAssembler().mov64(EbpfAssembler.R0, EbpfAssembler.R2).exit().build();
        ErrnoException refused = assertThrows(ErrnoException.class,
                () -> EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_SK_SKB, BpfAttr.BPF_SK_SKB_VERDICT, bad, "jlvs_bad"));
        assertEquals(13, refused.errno(), refused.getMessage());   // EACCES
        assertTrue(refused.getMessage().contains("R2 !read_ok"), refused.getMessage());
    }
}
