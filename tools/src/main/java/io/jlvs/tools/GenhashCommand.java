package io.jlvs.tools;

import io.jlvs.health.check.Genhash;
import io.jlvs.health.check.NettyCheckers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * `jlvs genhash`: keepalived's genhash. Fetches a url from a real server over HTTP or HTTPS the way HTTP_GET and
 * SSL_GET do and prints the MD5 of the body ("MD5SUM = ..."), the value of a url block's digest. Exit 1 when the
 * fetch fails.
 */
@Command(name = "genhash", mixinStandardHelpOptions = true,
        description = {"Print the MD5 digest of a url's body as HTTP_GET/SSL_GET compute it (keepalived's genhash), "
                + "for the digest of a url block."})
final class GenhashCommand implements Callable<Integer> {
    @Option(names = {"-s", "--server"}, required = true, paramLabel = "ADDRESS", description = "The server's IPv4 or IPv6 address.")
    String server;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "The server's port (default 80, 443 with --use-ssl).")
    Integer port;

    @Option(names = {"-u", "--url"}, required = true, paramLabel = "PATH", description = "The url's path, e.g. /health.")
    String url;

    @Option(names = {"-S", "--use-ssl"}, description = "Fetch over TLS (SSL_GET); the certificate is not verified.")
    boolean useSsl;

    @Option(names = {"-V", "--use-virtualhost"}, paramLabel = "HOST", description = "The Host header (default: the address).")
    String virtualhost;

    @Option(names = {"-I", "--use-sni"}, description = "Send the virtualhost as TLS SNI (with --use-ssl).")
    boolean useSni;

    @Option(names = {"-P", "--protocol"}, paramLabel = "1.0|1.0C|1.0K|1.1", defaultValue = "1.0",
            description = "HTTP protocol as http_protocol (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = {"-m", "--fwmark"}, paramLabel = "MARK", defaultValue = "0", description = "SO_MARK of the connection.")
    int fwmark;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "5",
            description = "Bound of the whole fetch in seconds (default ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = {"-v", "--verbose"}, description = "Print the status line and headers too.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        int p = port != null ? port : useSsl ? 443 : 80;
        String sni = useSsl && useSni ? virtualhost : null;
        var request = new Genhash.Request(new InetSocketAddress(InetAddress.getByName(server), p), url, useSsl,
                virtualhost, sni, protocol, fwmark, Duration.ofMillis((long) (timeoutSeconds * 1000)));
        try (NettyCheckers checkers = new NettyCheckers(null)) {
            Genhash.Result result = Genhash.fetch(checkers, request).join();
            System.out.print(Genhash.report(request, result, verbose));
            return result.error() == null ? 0 : 1;
        }
    }
}
