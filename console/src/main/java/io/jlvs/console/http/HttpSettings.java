package io.jlvs.console.http;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How the daemon's HTTP listener runs: `--http ADDR:PORT`, `--http-token-file FILE`, `--http-tls-cert FILE
 * --http-tls-key FILE`.
 *
 * @param tokenFile    the bearer token's file; null means the default path, allowed only on a loopback address
 * @param tlsCert      PEM certificate chain, or null for plain HTTP
 * @param tlsKey       PEM private key (PKCS#8), set exactly when tlsCert is
 */
public record HttpSettings(InetSocketAddress bind, Path tokenFile, Path tlsCert, Path tlsKey) {
    public static final Path DEFAULT_TOKEN_FILE = Path.of("/run/jlvs/http.token");

    public HttpSettings {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--http-tls-cert and --http-tls-key go together");
        }
        if (tokenFile == null && !bind.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("--http on " + bind.getAddress().getHostAddress()
                    + ", not a loopback address, needs --http-token-file FILE: reads from other hosts and every "
                    + "write are then authenticated with its token");
        }
    }

    /** Parses ADDR:PORT or [V6ADDR]:PORT. */
    public static InetSocketAddress parseBind(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("--http wants ADDR:PORT (for example 127.0.0.1:9180), not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("--http: port out of range in '" + text + "'");
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("--http wants a numeric address, not '" + host + "'");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) throw new IllegalArgumentException("--http: not an address: '" + host + "'");
        return address;
    }

    public Path effectiveTokenFile() { return tokenFile == null ? DEFAULT_TOKEN_FILE : tokenFile; }
}
