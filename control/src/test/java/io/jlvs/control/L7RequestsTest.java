package io.jlvs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Operations;
import io.jlvs.control.l7.L7Service;
import io.jlvs.control.l7.TcpvsadmParser;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tcpvsadm's requests through AdmExecutor: changes reach the proxy whole, -L answers with figures, refusals fail. */
class L7RequestsTest {
    /** A proxy that keeps what it is given and counts one connection per server. */
    private static final class FakeProxy implements L7Operations {
        L7Config config = L7Config.EMPTY;
        int applied;

        public L7Config config() { return config; }

        public void apply(L7Config next) throws L7Exception {
            if (next.services().stream().anyMatch(s -> s.listen().port() == 1))
                throw L7Exception.refused("cannot bind 0.0.0.0:1");
            config = next;
            applied++;
        }

        public L7Counters counters(L7Service service) {
            return new L7Counters(service.servers().stream().map(s -> 1L).toList(), List.of());
        }
    }

    private final AdmExecutor executor = new AdmExecutor(new FakeDirectorRuntime());

    private List<ControlReply> handle(String line) throws IOException, L7Exception {
        List<ControlReply> replies = new ArrayList<>();
        executor.handle(new ControlRequest.L7(TcpvsadmParser.parse(line.split(" "))), replies::add);
        return replies;
    }

    @Test
    void withoutTheProxyEveryRequestIsRefused() throws Exception {
        assertEquals(List.of(new ControlReply.Failure("this jlvs runs without the layer-7 proxy", 255),
                new ControlReply.Outcome(255)), handle("-A -i web"));
        assertEquals(List.of(new ControlReply.Failure("this jlvs runs without the layer-7 proxy", 255),
                new ControlReply.Outcome(255)), handle("-L"));
    }

    @Test
    void changesReachTheProxyAndTheListingHasItsFigures() throws Exception {
        FakeProxy proxy = new FakeProxy();
        executor.setL7Operations(proxy);
        assertEquals(List.of(new ControlReply.Outcome(0)), handle("-A -i web -P 80"));
        assertEquals(List.of(new ControlReply.Outcome(0)), handle("-a -i web -r 10.0.0.2:80"));
        assertEquals(List.of(new ControlReply.Outcome(0)), handle("--start"));
        assertEquals(List.of(new ControlReply.Outcome(0)), handle("--start"));
        assertEquals(3, proxy.applied, "an unchanged config is not handed over again");
        List<ControlReply> listing = handle("-L -n -i web");
        L7Service web = proxy.config.service("web");
        assertEquals(List.of(new ControlReply.L7Table(false, true,
                List.of(new ControlReply.L7ServiceRow(web, new L7Counters(List.of(1L), List.of())))),
                new ControlReply.Outcome(0)), listing);
        StringBuilder out = new StringBuilder();
        ReplyPrinter printer = new ReplyPrinter(out, new StringBuilder(), NameResolver.system());
        for (ControlReply r : handle("-L -n")) printer.send(r);
        assertEquals("""
                TCP Virtual Server version 0.0.18
                Virtual web {                                   # started
                    listen = 0.0.0.0:80
                    scheduler = http
                    server = 10.0.0.2:80 1                      # 1 active connection
                }
                """, out.toString());
    }

    @Test
    void refusalsOfTheChangesAndOfTheProxy() throws Exception {
        FakeProxy proxy = new FakeProxy();
        executor.setL7Operations(proxy);
        assertEquals(List.of(new ControlReply.Failure("No such service", 255), new ControlReply.Outcome(255)),
                handle("-D -i web"));
        assertEquals(List.of(new ControlReply.Failure("No such service", 1), new ControlReply.Outcome(1)),
                handle("-L -i web"));
        assertEquals(List.of(new ControlReply.Failure("cannot bind 0.0.0.0:1", 255), new ControlReply.Outcome(255)),
                handle("-A -i web -P 1"));
        assertEquals(L7Config.EMPTY, proxy.config);
        assertEquals(List.of(new ControlReply.Failure("a -f request carries the file's configuration", 255),
                new ControlReply.Outcome(255)), handle("-f /etc/tcpvs.conf"));
    }
}
