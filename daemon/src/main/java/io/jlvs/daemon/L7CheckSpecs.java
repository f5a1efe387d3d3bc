package io.jlvs.daemon;

import io.jlvs.control.l7.L7Check;
import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckTiming;
import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.config.Source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;

/**
 * A layer-7 service's check as the health module's checker spec: TCP_CHECK, or HTTP_GET of one url over HTTP/1.0
 * (the Host header the server's address), with keepalived's timing (delay_loop = interval, connect_timeout =
 * timeout, retry = retries, a retry one second after a failure).
 */
final class L7CheckSpecs {
    private L7CheckSpecs() {}

    private static final Duration DELAY_BEFORE_RETRY = Duration.ofSeconds(1);

    /** The spec of check, an active one, for the service ident (named as the source in messages). */
    static CheckerSpec of(String ident, L7Check check) {
        Source source = new Source(Path.of("tcpvsadm service " + ident), 0);
        Duration interval = Duration.ofSeconds(check.interval());
        CheckTiming timing = new CheckTiming(interval, Duration.ofSeconds(check.timeout()), check.retries(),
                DELAY_BEFORE_RETRY.compareTo(interval) < 0 ? DELAY_BEFORE_RETRY : interval, Duration.ZERO, false);
        return switch (check.kind()) {
            case TCP -> new CheckerSpec.Tcp(source, CheckEndpoint.DEFAULT, timing);
            case HTTP -> {
                BitSet accepted = new BitSet();
                if (check.status() == 0) accepted.set(200, 300);
                else accepted.set(check.status());
                CheckerSpec.UrlSpec url = new CheckerSpec.UrlSpec(check.path(), null, accepted, null, false, null);
                yield new CheckerSpec.Http(source, CheckEndpoint.DEFAULT, timing, false, List.of(url), null, "1.0",
                        false, null);
            }
            case NONE -> throw new IllegalArgumentException("check none has no checker");
        };
    }
}
