package io.jlvs.console.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.RecentEvents;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.FakeDirectorRuntime;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Listing;
import io.jlvs.control.l7.L7ProxyFigures;
import io.jlvs.control.l7.L7SplicerFigures;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The layer-7 calls of docs/api.md: each change is the tcpvsadm command it stands for, each read the -L state. */
class L7RestApiTest {
    static final String TOKEN = "s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeL7Proxy proxy = new FakeL7Proxy();
    private AdmExecutor executor;
    private HttpConsole console;
    private ConsoleClient client;

    @BeforeEach
    void start() throws Exception {
        executor = new AdmExecutor(new FakeDirectorRuntime());
        executor.setL7Operations(proxy);
        console = new HttpConsole(new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null, null, null),
                AccessToken.of(TOKEN), executor, DataPlaneTelemetry.NONE, null, new RecentEvents(3),
                Thread.ofPlatform().daemon().factory());
        console.start();
        client = new ConsoleClient("http://127.0.0.1:" + console.boundAddress().getPort());
    }

    @AfterEach
    void stop() {
        console.close();
    }

    /** What tcpvsadm -L -n prints of the state in force: the listing the API's changes must leave. */
    private String listing() {
        return L7Listing.numeric().listAll(proxy.config().services(),
                proxy.config().services().stream().map(L7Counters::zero).toList());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private void created(String path, String body) throws Exception {
        var r = client.post(path, body, TOKEN);
        assertEquals(201, r.statusCode(), path + " " + body + ": " + r.body());
    }

    @Test
    void servicesServersAndRulesCreatedThroughTheApiAreWhatTcpvsadmLists() throws Exception {
        created("/api/v1/l7/services", "{\"ident\":\"web\",\"listen\":\"10.0.0.1:80\",\"scheduler\":\"hhttp\","
                + "\"xff\":true,\"splice\":\"pipe\"}");
        created("/api/v1/l7/services/web/servers", "{\"address\":\"10.0.1.2:80\"}");
        created("/api/v1/l7/services/web/servers", "{\"address\":\"10.0.1.3:80\",\"weight\":3}");
        created("/api/v1/l7/services/web/rules", "{\"pattern\":\"^/u/([a-z]+)\",\"match\":1,\"server\":\"10.0.1.2:80\"}");
        created("/api/v1/l7/services/web/rules", "{\"header\":\"Host\",\"pattern\":\"^api\\\\.\",\"server\":\"10.0.1.3:80\"}");
        assertEquals(200, client.post("/api/v1/l7/services/web/start", "{}", TOKEN).statusCode());
        assertEquals("""
                TCP Virtual Server version 0.0.18
                Virtual web {                                   # started
                    listen = 10.0.0.1:80
                    scheduler = hhttp
                    xff = on
                    splice = pipe
                    server = 10.0.1.2:80 1                      # 0 active connections
                    server = 10.0.1.3:80 3                      # 0 active connections
                    rule = pattern "^/u/([a-z]+)" match 1 use server 10.0.1.2:80  # 0 hits
                    rule = header Host pattern "^api\\." match 0 use server 10.0.1.3:80  # 0 hits
                }
                """, listing());

        var list = json(client.get("/api/v1/l7/services"));
        assertEquals(1, list.get("services").size());
        JsonNode web = list.get("services").get(0);
        assertEquals("web", web.get("ident").asText());
        assertEquals("started", web.get("state").asText());
        assertEquals("pipe", web.get("splice").asText());
        assertEquals("none", web.get("proxyProtocol").asText());
        assertEquals("10.0.1.3:80", web.get("servers").get(1).get("address").asText());
        assertEquals(3, web.get("servers").get(1).get("weight").asInt());
        assertEquals("Host", web.get("rules").get(1).get("header").asText());
        assertEquals(1, web.get("rules").get(0).get("match").asInt());
    }

    @Test
    void figuresAreTheProxysServersRulesCountersAndSplicer() throws Exception {
        created("/api/v1/l7/services", "{\"ident\":\"web\"}");
        created("/api/v1/l7/services/web/servers", "{\"address\":\"10.0.1.2:80\"}");
        created("/api/v1/l7/services/web/rules", "{\"pattern\":\".*\",\"server\":\"10.0.1.2:80\"}");
        proxy.figures.put("web", new L7Counters(List.of(7L), List.of(42L),
                new L7ProxyFigures(50, 40, 7, 1, 2, 3, 4, 5, 6), new L7SplicerFigures("sockmap", 9, 18)));

        JsonNode web = json(client.get("/api/v1/l7/services/web"));
        assertEquals(7, web.get("servers").get(0).get("activeConnections").asLong());
        assertEquals(42, web.get("rules").get(0).get("hits").asLong());
        assertEquals(0, web.get("rules").get(0).get("index").asInt());
        JsonNode c = web.get("counters");
        assertEquals(50, c.get("accepted").asLong());
        assertEquals(40, c.get("spliced").asLong());
        assertEquals(7, c.get("splicedNow").asLong());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), List.of(c.get("answered").get("400").asLong(),
                c.get("answered").get("431").asLong(), c.get("answered").get("502").asLong(),
                c.get("answered").get("503").asLong(), c.get("answered").get("504").asLong()));
        assertEquals(6, c.get("slowHeadsClosed").asLong());
        assertEquals("sockmap", web.get("splicer").get("mode").asText());
        assertEquals(9, web.get("splicer").get("pairs").asLong());
        assertEquals(18, web.get("splicer").get("sockhashEntries").asLong());
        assertEquals(42, json(client.get("/api/v1/l7/services/web/rules/0")).get("hits").asLong());
        assertEquals(7, json(client.get("/api/v1/l7/services/web/servers/10.0.1.2:80")).get("activeConnections").asLong());
        assertEquals(1, json(client.get("/api/v1/l7/services/web/servers")).get("servers").size());
    }

    @Test
    void editingKeepsWhatTheBodyLeavesOutAndDeletesTakeServersRulesAndServices() throws Exception {
        created("/api/v1/l7/services", "{\"ident\":\"web\",\"listen\":\"10.0.0.1:80\",\"proxyProtocol\":\"v2\","
                + "\"source\":\"172.16.0.1\"}");
        created("/api/v1/l7/services/web/servers", "{\"address\":\"10.0.1.2:80\"}");
        created("/api/v1/l7/services/web/servers", "{\"address\":\"10.0.1.3:80\"}");
        created("/api/v1/l7/services/web/rules", "{\"pattern\":\"^/a\",\"server\":\"10.0.1.2:80\"}");
        created("/api/v1/l7/services/web/rules", "{\"pattern\":\"^/b\",\"server\":\"10.0.1.3:80\"}");
        var edited = client.put("/api/v1/l7/services/web", "{\"scheduler\":\"chttp\",\"splice\":\"copy\"}", TOKEN);
        assertEquals(200, edited.statusCode(), edited.body());
        assertEquals("chttp", json(edited).get("scheduler").asText());
        assertEquals(204, client.delete("/api/v1/l7/services/web/rules/0", TOKEN).statusCode());
        assertEquals(204, client.delete("/api/v1/l7/services/web/servers/10.0.1.2:80", TOKEN).statusCode());
        assertEquals("""
                TCP Virtual Server version 0.0.18
                Virtual web {                                   # stopped
                    listen = 10.0.0.1:80
                    scheduler = chttp
                    proxy-protocol = v2
                    source = 172.16.0.1
                    splice = copy
                    server = 10.0.1.3:80 1                      # 0 active connections
                    rule = pattern "^/b" use server 10.0.1.3:80 # 0 hits
                }
                """, listing());
        assertEquals(200, client.post("/api/v1/l7/services/web/start", "{}", TOKEN).statusCode());
        assertEquals("started", json(client.get("/api/v1/l7/services/web")).get("state").asText());
        assertEquals(200, client.post("/api/v1/l7/services/web/stop", "{}", TOKEN).statusCode());
        assertEquals("stopped", json(client.get("/api/v1/l7/services/web")).get("state").asText());
        assertEquals(204, client.delete("/api/v1/l7/services/web", TOKEN).statusCode());
        assertEquals("TCP Virtual Server version 0.0.18\n", listing());
        assertEquals(404, client.get("/api/v1/l7/services/web").statusCode());
    }

    @Test
    void invalidChangesAnswer400WithTcpvsadmsMessageAndChangeNothing() throws Exception {
        created("/api/v1/l7/services", "{\"ident\":\"web\"}");
        created("/api/v1/l7/services/web/servers", "{\"address\":\"10.0.1.2:80\"}");
        String before = listing();

        var badSplice = client.post("/api/v1/l7/services", "{\"ident\":\"api\",\"splice\":\"zero\"}", TOKEN);
        assertEquals(400, badSplice.statusCode());
        assertEquals("illegal splice mode specified (sockmap, pipe or copy)", json(badSplice).get("error").asText());
        assertEquals("tcpvsadm -A -i api --splice zero", json(badSplice).get("command").asText());
        var duplicate = client.post("/api/v1/l7/services", "{\"ident\":\"web\"}", TOKEN);
        assertEquals(400, duplicate.statusCode(), duplicate.body());
        var badWeight = client.post("/api/v1/l7/services/web/servers", "{\"address\":\"10.0.1.3:80\",\"weight\":-1}", TOKEN);
        assertEquals(400, badWeight.statusCode());
        assertEquals("illegal weight specified", json(badWeight).get("error").asText());
        var badPattern = client.post("/api/v1/l7/services/web/rules", "{\"pattern\":\"([\",\"server\":\"10.0.1.2:80\"}", TOKEN);
        assertEquals(400, badPattern.statusCode());
        assertTrue(json(badPattern).get("command").asText().startsWith("tcpvsadm --add-rule -i web -p (["), badPattern.body());
        var notItsServer = client.post("/api/v1/l7/services/web/rules", "{\"pattern\":\"x\",\"server\":\"10.0.1.9:80\"}", TOKEN);
        assertEquals(400, notItsServer.statusCode(), notItsServer.body());
        var unknownField = client.post("/api/v1/l7/services", "{\"ident\":\"api\",\"port\":80}", TOKEN);
        assertEquals(400, unknownField.statusCode());
        assertTrue(json(unknownField).get("error").asText().contains("unknown field 'port'"));
        var identChange = client.put("/api/v1/l7/services/web", "{\"ident\":\"other\"}", TOKEN);
        assertEquals(400, identChange.statusCode());
        assertEquals(404, client.get("/api/v1/l7/services/nothere").statusCode());
        assertEquals(404, client.get("/api/v1/l7/services/web/rules/5").statusCode());
        assertEquals(404, client.delete("/api/v1/l7/services/web/servers/10.0.1.9:80", TOKEN).statusCode());
        assertEquals(404, client.get("/api/v1/l7/nothing").statusCode());
        assertEquals(405, client.delete("/api/v1/l7/services", TOKEN).statusCode());
        assertEquals(401, client.post("/api/v1/l7/services", "{\"ident\":\"api\"}", null).statusCode());

        assertEquals(before, listing(), "no refused request changed anything");
    }

    @Test
    void aDirectorWithoutTheProxyAnswers503() throws Exception {
        executor.setL7Operations(io.jlvs.control.l7.L7Operations.NONE);
        var r = client.get("/api/v1/l7/services");
        assertEquals(503, r.statusCode());
        assertEquals("this jlvs runs without the layer-7 proxy", json(r).get("error").asText());
    }
}
