package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The Call-ID search of the SIP persistence engine, case by case as nf_conntrack_sip and ip_vs_pe_sip decide. */
class SipCallIdTest {
    private static final String INVITE = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
            + "To: Bob <sip:bob@biloxi.com>\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        full header name                     | Call-ID: a84b4c76e66710@pc33.atlanta.com\\r\\n      | a84b4c76e66710@pc33.atlanta.com
        name in any case                     | call-id: 3848276298220188511\\r\\n                  | 3848276298220188511
        compact form                         | i: f81d4fae-7dec-11d0-a765-00a0c91e6bf6\\r\\n       | f81d4fae-7dec-11d0-a765-00a0c91e6bf6
        blanks around the colon              | Call-ID \\t:  \\tabc\\r\\n                            | abc
        bare LF ends the line                | Call-ID: abc\\n                                    | abc
        value stops at a non-word character  | Call-ID: abc;tag=1\\r\\n                            | -
        word characters                      | Call-ID: a-.!%*_+`'~()<>:\\"/[]?{}z\\r\\n           | a-.!%*_+`'~()<>:\\"/[]?{}z
        at sign without a domain             | Call-ID: abc@\\r\\n                                 | -
        empty value                          | Call-ID: \\r\\n                                     | -
        no line end after the value          | Call-ID: abc                                     | -
        compact name followed by a letter    | In-Reply-To: 70710@saturn.bell-tel.com\\r\\n        | -
        other header starting like it        | Call-Info: <http://wwww.example.com>\\r\\n          | -
        continuation line is not a header    | Subject: x\\r\\n Call-ID: abc\\r\\n                   | -
        missing colon gives up               | Call-ID abc\\r\\nCall-ID: def\\r\\n                   | -
        """)
    void callIdOfTheHeaderLines(String name, String headers, String expected) {
        String message = INVITE + unescape(headers);
        assertEquals("-".equals(expected) ? null : expected, SipCallId.of(message.getBytes(StandardCharsets.ISO_8859_1)),
                name + ": " + message);
    }

    @Test
    void theRequestLineIsNeverAHeader() {
        assertNull(SipCallId.of("Call-ID: abc\r\nTo: x\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void longestCallIdIs255Bytes() {
        assertEquals(255, SipCallId.of((INVITE + "Call-ID: " + "a".repeat(255) + "\r\n").getBytes()).length());
        assertNull(SipCallId.of((INVITE + "Call-ID: " + "a".repeat(256) + "\r\n").getBytes()));
    }

    @Test
    void neverReadsPastTheRangeItIsGiven() {
        byte[] message = (INVITE + "Call-ID: abc\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            // The message ends exactly at the end of native memory, then at every shorter length.
            MemorySegment seg = arena.allocate(message.length);
            MemorySegment.copy(message, 0, seg, ValueLayout.JAVA_BYTE, 0, message.length);
            byte[] out = new byte[SipCallId.MAX_LENGTH];
            assertEquals(3, SipCallId.find(seg, 0, message.length, out));
            assertEquals(3, SipCallId.find(seg, 0, message.length - 1, out), "a lone CR still ends the line");
            for (int cut = message.length - 2; cut >= 0; cut--) {
                int n = SipCallId.find(seg, 0, cut, out);
                assertTrue(n == -1, "truncated to " + cut + " bytes the line end is missing: " + n);
            }
        }
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
