package io.jlvs.announce;

import io.jlvs.control.model.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BirdIncludeTest {
    static VipDecision v4(String address, boolean announced) {
        return new VipDecision(0, Addresses.mappedLo((int) Addresses.parseV4(address)), announced, "");
    }

    static VipDecision v6(String address) {
        long[] a = new long[2];
        Addresses.parseV6(address, a);
        return new VipDecision(a[0], a[1], true, "");
    }

    @Test
    void announcedVipsAreHostRoutesThroughTheLivenessLinkInTwoStaticProtocols() {
        String text = BirdInclude.render(List.of(v4("10.0.0.100", true), v4("10.0.0.101", false),
                v6("2001:db8::64")), "jlvs-bgp");
        assertEquals("""
                # Written by jlvs daemon --bgp: the VIPs this director announces. jlvs rewrites this file;
                # configure BIRD in the file that includes it.
                protocol static jlvs_vips {
                \tipv4;
                \troute 10.0.0.100/32 via "jlvs-bgp";
                }
                protocol static jlvs_vips6 {
                \tipv6;
                \troute 2001:db8::64/128 via "jlvs-bgp";
                }
                """, text);
    }

    @Test
    void withBfdTheIncludeAlsoHoldsABfdProtocolWithTheTimers() {
        String text = BirdInclude.render(List.of(v4("10.0.0.100", true)), "jlvs-bgp",
                new BfdSettings(java.time.Duration.ofMillis(50), 3));
        assertTrue(text.startsWith(BirdInclude.render(List.of(v4("10.0.0.100", true)), "jlvs-bgp")), text);
        assertTrue(text.endsWith("""
                protocol bfd jlvs_bfd {
                \tinterface "*" {
                \t\tinterval 50 ms;
                \t\tmultiplier 3;
                \t};
                }
                """), text);
    }

    @Test
    void aLinkNameBirdCouldNotQuoteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BirdInclude.render(List.of(), "bad\"name"));
        assertThrows(IllegalArgumentException.class, () -> BirdInclude.render(List.of(), "sixteen-letters!"));
    }

    /** BIRD's own syntax check (bird -p) accepts the include alone, with no VIP, and inside an operator's file. */
    @Test
    void birdsOwnSyntaxCheckAcceptsTheIncludeAndRefusesABrokenOne(@TempDir Path dir) throws Exception {
        assumeTrue(birdInstalled(), "bird (package bird2) is not installed");
        Path include = dir.resolve("jlvs-vips.conf");
        Files.writeString(include, BirdInclude.render(List.of(v4("10.0.0.100", true), v4("10.0.0.102", true),
                v6("2001:db8::64")), "jlvs-bgp"));
        assertEquals("", birdParse(include), "bird -p on the include alone");
        Files.writeString(include, BirdInclude.render(List.of(), "jlvs-bgp"));
        assertEquals("", birdParse(include), "bird -p on an include without routes");
        Path operator = dir.resolve("bird.conf");
        Files.writeString(operator, """
                router id 192.0.2.1;
                protocol device { scan time 10; }
                include "%s";
                protocol bgp router1 {
                    local 192.0.2.1 as 65001;
                    neighbor 192.0.2.254 as 65000;
                    hold time 3;
                    ipv4 { import none; export where proto = "jlvs_vips"; };
                }
                """.formatted(include));
        Files.writeString(include, BirdInclude.render(List.of(v4("10.0.0.100", true)), "jlvs-bgp"));
        assertEquals("", birdParse(operator), "bird -p on an operator's bird.conf that includes it");
        // With BFD: the include's BFD protocol, and the operator's session with bfd on.
        Files.writeString(include, BirdInclude.render(List.of(v4("10.0.0.100", true)), "jlvs-bgp",
                new BfdSettings(BfdSettings.DEFAULT_INTERVAL, BfdSettings.DEFAULT_MULTIPLIER)));
        assertEquals("", birdParse(include), "bird -p on the include with BFD alone");
        String withoutBfd = Files.readString(operator);
        Files.writeString(operator, withoutBfd.replace("hold time 3;", "hold time 3;\n    bfd on;"));
        assertEquals("", birdParse(operator), "bird -p on an operator's bird.conf with bfd on that includes it");
        Files.writeString(operator, withoutBfd);
        // The check can fail: a file with an error is refused.
        Files.writeString(include, BirdInclude.render(List.of(v4("10.0.0.100", true)), "jlvs-bgp")
                .replace("via", "vai"));
        assertTrue(birdParse(operator).contains("jlvs-vips.conf:5:"), "bird -p refuses a broken include");
    }

    static boolean birdInstalled() {
        try {
            return new ProcessBuilder("bird", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** "" when bird -p accepts the file, else its exit status and words. */
    private static String birdParse(Path config) throws Exception {
        Process p = new ProcessBuilder("bird", "-p", "-c", config.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("bird -p did not finish");
        }
        return p.exitValue() == 0 ? "" : "exit " + p.exitValue() + ": " + out;
    }
}
