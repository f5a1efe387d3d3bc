package io.jlvs.forwarder;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynCookiesTest {
    static final SynCookies COOKIES = new SynCookies(0x1234_5678_9abc_def0L, 0x0fed_cba9_8765_4321L,
            0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L);
    static final int CLIENT = 0x0A00_0002, VIP = 0x0A00_0064, MINUTE = 29_000_000;

    @Test
    void sipHashMatchesTheReferenceVectorForSixteenBytes() {
        // Key 00..0f, message 00..0f: the reference implementation's vector 16 (little-endian bytes db 9b c2 57 7f cc 2a 3f).
        assertEquals(0x3f2acc7f57c29bdbL, SynCookies.sipHash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L,
                0x0706050403020100L, 0x0f0e0d0c0b0a0908L));
    }

    @Test
    void aCookieReturnsItsMssIndexForTwoMinutesAndNotAfter() {
        int cookie = COOKIES.make(CLIENT, VIP, 40000, 80, 0x1000_0000, 3, MINUTE);
        assertEquals(3, COOKIES.check(cookie, CLIENT, VIP, 40000, 80, 0x1000_0000, MINUTE));
        assertEquals(3, COOKIES.check(cookie, CLIENT, VIP, 40000, 80, 0x1000_0000, MINUTE + 1));
        assertEquals(-1, COOKIES.check(cookie, CLIENT, VIP, 40000, 80, 0x1000_0000, MINUTE + 2));
        assertEquals(-1, COOKIES.check(cookie, CLIENT, VIP, 40000, 80, 0x1000_0000, MINUTE - 1), "from the future");
    }

    @Test
    void aCookieIsRefusedForAnotherFlowOrClientSequence() {
        int cookie = COOKIES.make(CLIENT, VIP, 40000, 80, 77, 1, MINUTE);
        assertEquals(-1, COOKIES.check(cookie, CLIENT + 1, VIP, 40000, 80, 77, MINUTE));
        assertEquals(-1, COOKIES.check(cookie, CLIENT, VIP + 1, 40000, 80, 77, MINUTE));
        assertEquals(-1, COOKIES.check(cookie, CLIENT, VIP, 40001, 80, 77, MINUTE));
        assertEquals(-1, COOKIES.check(cookie, CLIENT, VIP, 40000, 81, 77, MINUTE));
        // The client's sequence number is added in, as in Linux: one a few off lands on another MSS index, which
        // only the client (or one who sees its SYN) could produce; one further off fails.
        assertEquals(-1, COOKIES.check(cookie, CLIENT, VIP, 40000, 80, 77 + 1000, MINUTE));
        assertEquals(-1, new SynCookies(1, 2, 3, 4).check(cookie, CLIENT, VIP, 40000, 80, 77, MINUTE), "other secrets");
    }

    @Property(tries = 2000)
    void everyCookieChecksBackToItsIndex(@ForAll int client, @ForAll int vip, @ForAll @IntRange(max = 65535) int cport,
                                         @ForAll @IntRange(max = 65535) int vport, @ForAll int seq,
                                         @ForAll @IntRange(max = 3) int mss, @ForAll @IntRange(min = 0, max = 1) int age) {
        int cookie = COOKIES.make(client, vip, cport, vport, seq, mss, MINUTE);
        assertEquals(mss, COOKIES.check(cookie, client, vip, cport, vport, seq, MINUTE + age));
    }

    @Test
    void guessedCookiesAlmostNeverPass() {
        // A forger who does not know the secrets: of 100,000 random acknowledgements, the 24-bit check and the
        // 2-in-256 age window let about 1 in 2^22 through, so none is expected.
        java.util.Random r = new java.util.Random(7);
        int passed = 0;
        for (int i = 0; i < 100_000; i++) {
            if (COOKIES.check(r.nextInt(), CLIENT, VIP, 40000, 80, 77, MINUTE) >= 0) passed++;
        }
        assertTrue(passed <= 1, passed + " forged cookies passed");
    }

    @Test
    void mssIndexTakesTheLargestTableValueNotAbove() {
        assertEquals(0, SynCookies.mssIndex(100));
        assertEquals(0, SynCookies.mssIndex(1299));
        assertEquals(1, SynCookies.mssIndex(1300));
        assertEquals(2, SynCookies.mssIndex(1452));
        assertEquals(3, SynCookies.mssIndex(1460));
        assertEquals(3, SynCookies.mssIndex(8960));
    }

    @Test
    void theTimestampCarriesWindowScaleAndSackAndIsNeverAheadOfTheClock() {
        int ts = SynCookies.timestamp(1_000_000, 7, true);
        assertEquals(7, SynCookies.windowScale(ts));
        assertTrue(SynCookies.sackPermitted(ts));
        assertTrue(Integer.compareUnsigned(ts, 1_000_000) <= 0);
        int none = SynCookies.timestamp(1_000_000 | 0x3F, -1, false);
        assertEquals(-1, SynCookies.windowScale(none));
        assertFalse(SynCookies.sackPermitted(none));
        int early = SynCookies.timestamp(0x40, 14, true);
        assertTrue(Integer.compareUnsigned(early, 0x40) <= 0, "low bits above the clock's: one period back");
        assertEquals(14, SynCookies.windowScale(early));
    }
}
