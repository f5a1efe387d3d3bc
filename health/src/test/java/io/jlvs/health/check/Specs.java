package io.jlvs.health.check;

import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckTiming;
import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.config.Source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;

/** Checker specs as the parser would produce them, with a short connect_timeout. */
final class Specs {
    private Specs() {}

    static final Source SOURCE = new Source(Path.of("keepalived.conf"), 1);

    static CheckTiming timing(Duration connectTimeout) {
        return new CheckTiming(Duration.ofSeconds(60), connectTimeout, 1, Duration.ofSeconds(1), Duration.ZERO, false);
    }

    static CheckTiming timing(double seconds) {
        return timing(Duration.ofMillis((long) (seconds * 1000)));
    }

    static BitSet statuses(int from, int toInclusive) {
        BitSet codes = new BitSet();
        codes.set(from, toInclusive + 1);
        return codes;
    }

    static CheckerSpec.UrlSpec url(String path) {
        return new CheckerSpec.UrlSpec(path, null, statuses(200, 299), null, false, null);
    }

    static CheckerSpec.UrlSpec urlWithDigest(String path, String digest) {
        return new CheckerSpec.UrlSpec(path, digest, statuses(200, 299), null, false, null);
    }

    static CheckerSpec.UrlSpec urlWithRegex(String path, String regex, boolean noMatch) {
        return new CheckerSpec.UrlSpec(path, null, statuses(200, 299), Pattern.compile(regex), noMatch, null);
    }

    static CheckerSpec.Http http(double timeoutSeconds, CheckerSpec.UrlSpec... urls) {
        return new CheckerSpec.Http(SOURCE, CheckEndpoint.DEFAULT, timing(timeoutSeconds), false, List.of(urls), null,
                "1.0", false, null);
    }

    static CheckerSpec.Tcp tcp(double timeoutSeconds) {
        return new CheckerSpec.Tcp(SOURCE, CheckEndpoint.DEFAULT, timing(timeoutSeconds));
    }
}
