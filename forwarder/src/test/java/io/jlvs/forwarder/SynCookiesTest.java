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

    static final long CLIENT6_HI = 0xfd00_0001_0000_0000L, CLIENT6_LO = 2, VIP6_HI = 0xfd00_0001_0000_0000L,
            VIP6_LO = 0x100;

    @Test
    void sipHashMatchesTheReferenceVectorForFortyBytes() {
        // Key 00..0f, message 00..27 (the length of Linux's IPv6 cookie input): vector 40 (d0 a7 04 53 6b a9 3e 0e).
        assertEquals(0x0e3ea96b5304a7d0L, SynCookies.sipHash24(0x0706050403020100L, 0x0f0e0d0c0b0a0908L,
                0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 0x1716151413121110L, 0x1f1e1d1c1b1a1918L,
                0x2726252423222120L));
    }

    @Test
    void anIpv6CookieReturnsItsMssIndexForTwoMinutesAndOnlyForItsFlow() {
        int cookie = COOKIES.make6(CLIENT6_HI, CLIENT6_LO, VIP6_HI, VIP6_LO, 40000, 80, 0x1000_0000, 2, MINUTE);
        assertEquals(2, COOKIES.check6(cookie, CLIENT6_HI, CLIENT6_LO, VIP6_HI, VIP6_LO, 40000, 80, 0x1000_0000,
                MINUTE + 1));
        assertEquals(-1, COOKIES.check6(cookie, CLIENT6_HI, CLIENT6_LO, VIP6_HI, VIP6_LO, 40000, 80, 0x1000_0000,
                MINUTE + 2), "two minutes old");
        assertEquals(-1, COOKIES.check6(cookie, CLIENT6_HI + 1, CLIENT6_LO, VIP6_HI, VIP6_LO, 40000, 80,
                0x1000_0000, MINUTE), "the client's upper 64 bits");
        assertEquals(-1, COOKIES.check6(cookie, CLIENT6_HI, CLIENT6_LO, VIP6_HI, VIP6_LO + 1, 40000, 80,
                0x1000_0000, MINUTE), "the VIP's lower 64 bits");
        assertEquals(-1, COOKIES.check6(cookie, CLIENT6_HI, CLIENT6_LO, VIP6_HI, VIP6_LO, 40001, 80, 0x1000_0000,
                MINUTE));
        assertEquals(-1, COOKIES.check6(cookie, CLIENT6_HI, CLIENT6_LO, VIP6_HI, VIP6_LO, 40000, 80,
                0x1000_0000 + 1000, MINUTE));
        assertEquals(-1, COOKIES.check(cookie, (int) CLIENT6_LO, (int) VIP6_LO, 40000, 80, 0x1000_0000, MINUTE),
                "an IPv6 cookie is not an IPv4 one for the low words of its addresses");
    }

    @Property(tries = 1000)
    void everyIpv6CookieChecksBackToItsIndex(@ForAll long clientHi, @ForAll long clientLo, @ForAll long vipLo,
                                             @ForAll @IntRange(max = 65535) int cport, @ForAll int seq,
                                             @ForAll @IntRange(max = 3) int mss) {
        int cookie = COOKIES.make6(clientHi, clientLo, VIP6_HI, vipLo, cport, 80, seq, mss, MINUTE);
        assertEquals(mss, COOKIES.check6(cookie, clientHi, clientLo, VIP6_HI, vipLo, cport, 80, seq, MINUTE + 1));
    }

    @Test
    void theIpv6MssTableIsLinuxs() {
        assertEquals(0, SynCookies.mssIndex6(536));
        assertEquals(0, SynCookies.mssIndex6(1419));
        assertEquals(1, SynCookies.mssIndex6(1420));
        assertEquals(2, SynCookies.mssIndex6(1440));
        assertEquals(2, SynCookies.mssIndex6(8939));
        assertEquals(3, SynCookies.mssIndex6(65476));
        assertEquals(java.util.List.of(1220, 1420, 1440, 8940),
                java.util.Arrays.stream(SynCookies.MSS_TABLE6).boxed().toList());
    }
}
