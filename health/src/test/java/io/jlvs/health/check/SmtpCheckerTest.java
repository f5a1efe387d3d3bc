package io.jlvs.health.check;

import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.jlvs.health.check.CheckerTestSupport.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpCheckerTest {
    private static NettyCheckers checkers;

    @BeforeAll
    static void start() { checkers = CheckerTestSupport.newCheckers(null); }

    @AfterAll
    static void stop() { checkers.close(); }

    /** A scripted SMTP server: greeting, then heloReply to the HELO; records the commands it got. */
    private record SmtpServer(ServerSocket socket, List<String> commands) implements AutoCloseable {
        static SmtpServer start(String greeting, String heloReply) throws Exception {
            SmtpServer server = new SmtpServer(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()),
                    new CopyOnWriteArrayList<>());
            Thread.ofVirtual().start(() -> {
                while (!server.socket.isClosed()) {
                    {
                        try (Socket client = server.socket.accept()) {
                            OutputStream out = client.getOutputStream();
                            var in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                            out.write(greeting.getBytes(StandardCharsets.US_ASCII));
                            String line;
                            while ((line = in.readLine()) != null) {
                                server.commands.add(line);
                                if (line.startsWith("HELO")) out.write(heloReply.getBytes(StandardCharsets.US_ASCII));
                                if (line.equals("QUIT")) out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                            }
                        } catch (java.io.IOException clientGoneOrServerClosed) {
                            // next client, or the loop ends
                        }
                    }
                }
            });
            return server;
        }

        InetSocketAddress address() { return (InetSocketAddress) socket.getLocalSocketAddress(); }

        @Override
        public void close() throws Exception { socket.close(); }
    }

    private static CheckerSpec.Smtp smtp() {
        return new CheckerSpec.Smtp(Specs.SOURCE, CheckEndpoint.DEFAULT, Specs.timing(1), "director.example.com");
    }

    @Test
    void upAfterGreetingAndHelo() throws Exception {
        try (SmtpServer server = SmtpServer.start("220-mail.example.com\r\n220 ESMTP ready\r\n",
                "250-mail.example.com\r\n250 hello\r\n")) {
            CheckResult result = check(checkers, smtp(), server.address());
            assertTrue(result.up(), result.toString());
            assertEquals("SMTP 250 on HELO", result.reason());
            assertEquals("HELO director.example.com", server.commands().getFirst());
        }
    }

    @Test
    void downWhenHeloIsRefused() throws Exception {
        try (SmtpServer server = SmtpServer.start("220 ready\r\n", "554 go away\r\n")) {
            CheckResult result = check(checkers, smtp(), server.address());
            assertFalse(result.up());
            assertEquals("SMTP 554 on HELO", result.reason());
        }
    }

    @Test
    void downOnABadGreeting() throws Exception {
        try (SmtpServer server = SmtpServer.start("421 too busy\r\n", "250 ok\r\n")) {
            assertEquals("SMTP 421 on greeting", check(checkers, smtp(), server.address()).reason());
        }
    }

    @Test
    void timeoutWhenTheServerNeverGreets() throws Exception {
        try (SmtpServer server = SmtpServer.start("", "250 ok\r\n")) {
            assertEquals("timeout after 1.0 s", check(checkers, smtp(), server.address()).reason());
        }
    }
}
