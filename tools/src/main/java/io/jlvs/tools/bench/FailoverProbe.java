package io.jlvs.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The client side of the failover benchmark, run in the client namespace: a UDP datagram to VIP:UDP_PORT every
 * millisecond whose echoes it times (each silence over 20 ms is printed as {@code GAP FROM_MILLIS TO_MILLIS}: the
 * last answer before a takeover and the first after it), and N long-lived TCP connections to VIP:TCP_PORT opened at
 * start; when the file {@code check-K} appears in CONTROL_DIR it sends a byte on each live connection and prints
 * {@code CHECK K LOST L} with the connections that did not echo it within 2 s (those are closed and not checked
 * again). Usage: {@code FailoverProbe VIP UDP_PORT TCP_PORT N CONTROL_DIR}.
 */
public final class FailoverProbe {
    private static final long GAP_NANOS = 20_000_000L;

    private FailoverProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("rate")) {
            connectionRate(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        String vip = args[0];
        int udpPort = Integer.parseInt(args[1]);
        int tcpPort = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        Path control = Path.of(args[4]);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(vip, tcpPort), 5000);
            s.setSoTimeout(2000);
            s.setTcpNoDelay(true);
            sockets.add(s);
        }
        System.out.println("OPEN " + sockets.size());
        // Not connected: a DR server's UDP answer comes from its own address, not from the VIP.
        DatagramChannel udp = DatagramChannel.open();
        InetSocketAddress target = new InetSocketAddress(vip, udpPort);
        Thread.ofPlatform().daemon(true).name("probe-send").start(() -> send(udp, target));
        Thread.ofPlatform().daemon(true).name("probe-receive").start(() -> receive(udp));
        System.out.println("READY");
        System.out.flush();
        for (int k = 1; ; k++) {
            Path trigger = control.resolve("check-" + k);
            while (!Files.exists(trigger)) LockSupport.parkNanos(10_000_000L);
            int lost = 0;
            for (int i = 0; i < sockets.size(); i++) {
                Socket s = sockets.get(i);
                if (s == null) continue;
                if (!echoes(s)) {
                    lost++;
                    s.close();
                    sockets.set(i, null);
                }
            }
            System.out.println("CHECK " + k + " LOST " + lost);
            System.out.flush();
        }
    }

    /**
     * {@code FailoverProbe rate VIP TCP_PORT SECONDS THREADS}: new connections as fast as THREADS threads can open
     * them (connect, one byte echoed, close), for SECONDS; prints {@code RATE CONNECTIONS_PER_SECOND FAILED}.
     */
    private static void connectionRate(String vip, int port, int seconds, int threads) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        java.util.concurrent.atomic.LongAdder done = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAdder failed = new java.util.concurrent.atomic.LongAdder();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(vip, port), 2000);
                        s.setSoTimeout(2000);
                        s.setSoLinger(true, 0); // no TIME_WAIT piling up on the client
                        if (echoes(s)) done.increment();
                        else failed.increment();
                    } catch (IOException e) {
                        failed.increment();
                    }
                }
            }));
        }
        for (Thread t : workers) t.join();
        System.out.println("RATE " + done.sum() / seconds + " " + failed.sum());
    }

    private static boolean echoes(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(42);
            out.flush();
            return in.read() == 42;
        } catch (IOException e) {
            return false;
        }
    }

    private static void send(DatagramChannel udp, InetSocketAddress target) {
        ByteBuffer b = ByteBuffer.allocate(8);
        for (long seq = 0; ; seq++) {
            b.clear();
            b.putLong(seq).flip();
            try {
                udp.send(b, target);
            } catch (IOException e) {
                // unreachable for a moment (ICMP): the silence shows as a gap
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static void receive(DatagramChannel udp) {
        ByteBuffer b = ByteBuffer.allocate(256);
        long last = System.nanoTime();
        long lastMillis = System.currentTimeMillis();
        while (true) {
            b.clear();
            try {
                udp.receive(b);
            } catch (IOException e) {
                continue;
            }
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            if (now - last > GAP_NANOS) {
                System.out.println("GAP " + lastMillis + " " + nowMillis + " " + (now - last) / 1_000_000);
                System.out.flush();
            }
            last = now;
            lastMillis = nowMillis;
        }
    }
}
