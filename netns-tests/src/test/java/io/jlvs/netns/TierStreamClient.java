package io.jlvs.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Long-lived TCP connections to an echo service, for the tier test: opens N connections, prints {@code OPEN N},
 * then round after round sends 32 bytes on each live connection and reads them back (10 s read deadline), until
 * the stop file exists, printing {@code ROUND R} after each round; then prints {@code BROKEN PORT reason} per connection that failed and
 * {@code RESULT ok=X broken=Y rounds=R}. Run as {@code TierStreamClient VIP PORT N STOPFILE}.
 */
public final class TierStreamClient {
    private TierStreamClient() {}

    public static void main(String[] args) throws Exception {
        String vip = args[0];
        int port = Integer.parseInt(args[1]), n = Integer.parseInt(args[2]);
        Path stop = Path.of(args[3]);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(vip, port), 10_000);
            sockets.add(s);
        }
        System.out.println("OPEN " + n);
        System.out.flush();
        String[] broken = new String[n];
        byte[] out = new byte[32], in = new byte[32];
        long rounds = 0;
        while (!Files.exists(stop)) {
            for (int i = 0; i < n; i++) {
                if (broken[i] != null) continue;
                Arrays.fill(out, (byte) (rounds + i));
                try {
                    OutputStream o = sockets.get(i).getOutputStream();
                    o.write(out);
                    o.flush();
                    InputStream is = sockets.get(i).getInputStream();
                    int got = 0;
                    while (got < in.length) {
                        int r = is.read(in, got, in.length - got);
                        if (r < 0) throw new IOException("closed by the peer");
                        got += r;
                    }
                    if (!Arrays.equals(in, out)) throw new IOException("echo differs");
                } catch (IOException e) {
                    broken[i] = e.getMessage();
                }
            }
            rounds++;
            System.out.println("ROUND " + rounds);
            System.out.flush();
            Thread.sleep(50);
        }
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (broken[i] == null) ok++;
            else System.out.println("BROKEN " + sockets.get(i).getLocalPort() + " " + broken[i]);
            sockets.get(i).close();
        }
        System.out.println("RESULT ok=" + ok + " broken=" + (n - ok) + " rounds=" + rounds);
        System.out.flush();
    }
}
