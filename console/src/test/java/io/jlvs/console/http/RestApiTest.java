package io.jlvs.console.http;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.RecentEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.FakeDirectorRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST calls of docs/api.md against a director whose runtime is a fake: each call, its errors and its tokens. */
class RestApiTest {
    static final String TOKEN = "s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecentEvents log = new RecentEvents(3);
    private FakeDirectorRuntime runtime;
    private AdmExecutor executor;
    private HttpConsole console;
    private ConsoleClient client;

    @BeforeEach
    void start() throws Exception {
        runtime = new FakeDirectorRuntime();
        executor = new AdmExecutor(runtime);
        console = new HttpConsole(new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null, null, null),
                AccessToken.of(TOKEN), executor, DataPlaneTelemetry.NONE, null, log, Thread.ofPlatform().daemon().factory());
        console.start();
        client = new ConsoleClient("http://127.0.0.1:" + console.boundAddress().getPort());
    }

    @AfterEach
    void stop() {
        console.close();
    }

    private String rules() {
        StringBuilder out = new StringBuilder();
        executor.execute(new String[] {"-S", "-n"}, out, new StringBuilder());
        return out.toString();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void aServiceCreatedThroughTheApiIsTheOneJlvsadmLists() throws Exception {
        var created = client.post("/api/v1/services",
                "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\",\"scheduler\":\"rr\",\"persistent\":300,\"netmask\":24}", TOKEN);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode s = json(created);
        assertEquals("tcp/10.0.0.1:80", s.get("id").asText());
        assertEquals("rr", s.get("scheduler").asText());
        assertEquals(300, s.get("persistent").asInt());
        assertEquals(24, s.get("netmask").asInt());
        assertEquals("-A -t 10.0.0.1:80 -s rr -p 300 -M 255.255.255.0\n", rules());

        var list = json(client.get("/api/v1/services"));
        assertEquals(1, list.get("services").size());
        assertEquals("tcp/10.0.0.1:80", list.get("services").get(0).get("id").asText());
        assertEquals(200, client.get("/api/v1/services/tcp/10.0.0.1:80").statusCode());
    }

    @Test
    void serversAreAddedEditedAndDeletedUnderTheirService() throws Exception {
        client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\",\"scheduler\":\"wrr\"}", TOKEN);
        var added = client.post("/api/v1/services/tcp/10.0.0.1:80/servers",
                "{\"address\":\"10.0.1.2:80\",\"method\":\"masq\",\"weight\":2}", TOKEN);
        assertEquals(201, added.statusCode(), added.body());
        assertEquals("masq", json(added).get("method").asText());
        client.post("/api/v1/services/tcp/10.0.0.1:80/servers", "{\"address\":\"10.0.1.3:80\",\"method\":\"masq\"}", TOKEN);

        var edited = client.put("/api/v1/services/tcp/10.0.0.1:80/servers/10.0.1.2:80", "{\"weight\":5}", TOKEN);
        assertEquals(200, edited.statusCode(), edited.body());
        assertEquals(5, json(edited).get("weight").asInt());
        assertEquals("masq", json(edited).get("method").asText(), "an edit keeps the fields it does not name");
        assertEquals("""
                -A -t 10.0.0.1:80 -s wrr
                -a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 5
                -a -t 10.0.0.1:80 -r 10.0.1.3:80 -m -w 1
                """, rules());

        assertEquals(2, json(client.get("/api/v1/services/tcp/10.0.0.1:80/servers")).get("servers").size());
        assertEquals(204, client.delete("/api/v1/services/tcp/10.0.0.1:80/servers/10.0.1.3:80", TOKEN).statusCode());
        assertEquals(404, client.get("/api/v1/services/tcp/10.0.0.1:80/servers/10.0.1.3:80").statusCode());
        assertEquals(204, client.delete("/api/v1/services/tcp/10.0.0.1:80", TOKEN).statusCode());
        assertEquals("", rules());
        assertEquals(404, client.get("/api/v1/services/tcp/10.0.0.1:80").statusCode());
    }

    @Test
    void editingAServiceKeepsTheSettingsTheBodyLeavesOut() throws Exception {
        client.post("/api/v1/services", "{\"protocol\":\"udp\",\"address\":\"10.0.0.1:53\",\"scheduler\":\"rr\","
                + "\"persistent\":60,\"onePacket\":true}", TOKEN);
        var r = client.put("/api/v1/services/udp/10.0.0.1:53", "{\"scheduler\":\"sh\",\"flags\":[\"sh-port\"]}", TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("-A -u 10.0.0.1:53 -s sh -b sh-port -p 60 -o\n", rules());
    }

    @Test
    void invalidChangesAnswer400WithIpvsadmsMessageAndChangeNothing() throws Exception {
        client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\",\"scheduler\":\"rr\"}", TOKEN);
        String before = rules();

        var badScheduler = client.post("/api/v1/services",
                "{\"protocol\":\"tcp\",\"address\":\"10.0.0.2:80\",\"scheduler\":\"fastest\"}", TOKEN);
        assertEquals(400, badScheduler.statusCode());
        assertTrue(json(badScheduler).get("command").asText().startsWith("jlvsadm -A -t 10.0.0.2:80 -s fastest"),
                badScheduler.body());

        var duplicate = client.post("/api/v1/services",
                "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\",\"scheduler\":\"rr\"}", TOKEN);
        assertEquals(400, duplicate.statusCode());
        assertEquals("Service already exists", json(duplicate).get("error").asText());

        var badWeight = client.post("/api/v1/services/tcp/10.0.0.1:80/servers",
                "{\"address\":\"10.0.1.2:80\",\"weight\":70000}", TOKEN);
        assertEquals(400, badWeight.statusCode());
        assertTrue(json(badWeight).get("error").asText().contains("weight"), badWeight.body());

        var badAddress = client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.300:80\"}", TOKEN);
        assertEquals(400, badAddress.statusCode());
        var unknownField = client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.3:80\",\"sched\":\"rr\"}", TOKEN);
        assertEquals(400, unknownField.statusCode());
        assertTrue(json(unknownField).get("error").asText().contains("unknown field 'sched'"));
        var notJson = client.post("/api/v1/services", "{protocol: tcp", TOKEN);
        assertEquals(400, notJson.statusCode());
        var wrongType = client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.3:80\",\"persistent\":\"long\"}", TOKEN);
        assertEquals(400, wrongType.statusCode());
        var notAService = client.get("/api/v1/services/icmp/10.0.0.1:80");
        assertEquals(400, notAService.statusCode());
        assertEquals(404, client.get("/api/v1/services/tcp/10.0.0.9:80").statusCode());
        assertEquals(404, client.get("/api/v1/nothing").statusCode());
        assertEquals(405, client.delete("/api/v1/services", TOKEN).statusCode());

        assertEquals(before, rules(), "no refused request changed anything");
    }

    @Test
    void writesNeedTheTokenAndReadsFromTheListenersAddressDoNot() throws Exception {
        String body = "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\"}";
        var none = client.post("/api/v1/services", body, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"jlvs\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(403, client.post("/api/v1/services", body, "wrong").statusCode());
        assertEquals(403, client.delete("/api/v1/services/tcp/10.0.0.1:80", "wrong").statusCode());
        assertEquals("", rules(), "a write without the right token changes nothing");
        assertEquals(200, client.get("/api/v1/services").statusCode());
        assertEquals(201, client.post("/api/v1/services", body, TOKEN).statusCode(), "the same write with the token");
    }

    @Test
    void bodiesMustBeJsonAndSmall() throws Exception {
        var text = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + console.boundAddress().getPort() + "/api/v1/services"))
                .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")), TOKEN);
        assertEquals(415, text.statusCode());
        String huge = "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\",\"pe\":\"" + "x".repeat(HttpConsole.MAX_BODY) + "\"}";
        assertEquals(413, client.post("/api/v1/services", huge, TOKEN).statusCode());
        assertEquals("", rules());
        assertEquals(200, client.get("/api/v1/services").statusCode(), "the listener still serves");
    }

    @Test
    void connectionsArePagedAndFiltered() throws Exception {
        runtime.syntheticConnections = 250;
        JsonNode all = json(client.get("/api/v1/connections?limit=100&offset=200"));
        assertEquals(250, all.get("total").asInt());
        assertEquals(50, all.get("connections").size());
        JsonNode first = all.get("connections").get(0);
        assertEquals("ESTABLISHED", first.get("state").asText());
        assertEquals("207.175.44.110:80", first.get("virtual").asText());

        JsonNode one = json(client.get("/api/v1/connections?client=10.0.0.7&state=established"));
        assertEquals(1, one.get("total").asInt());
        assertEquals("10.0.0.7:1031", one.get("connections").get(0).get("client").asText());
        assertEquals(1, json(client.get("/api/v1/connections?client=10.0.0.7:1031")).get("total").asInt());
        assertEquals(0, json(client.get("/api/v1/connections?client=10.0.0.7:9")).get("total").asInt());
        assertEquals(250, json(client.get("/api/v1/connections?service=tcp/207.175.44.110:80")).get("total").asInt());
        assertEquals(0, json(client.get("/api/v1/connections?state=SYN_RECV")).get("total").asInt());
        assertEquals(400, client.get("/api/v1/connections?limit=5000").statusCode());
        assertEquals(400, client.get("/api/v1/connections?colour=red").statusCode());
    }

    @Test
    void theEffectiveConfigurationIsShownAsRulesAndAsKeepalivedConf() throws Exception {
        client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\",\"scheduler\":\"rr\",\"persistent\":600}", TOKEN);
        client.post("/api/v1/services/tcp/10.0.0.1:80/servers", "{\"address\":\"10.0.1.2:80\",\"method\":\"route\",\"weight\":3}", TOKEN);
        var ipvsadm = client.get("/api/v1/config/ipvsadm");
        assertEquals(rules(), ipvsadm.body());
        assertTrue(ipvsadm.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals("""
                virtual_server 10.0.0.1 80 {
                    lb_algo rr
                    lvs_method DR
                    protocol TCP
                    persistence_timeout 600

                    real_server 10.0.1.2 80 {
                        weight 3
                    }
                }
                """, client.get("/api/v1/config/keepalived").body());
    }

    @Test
    void drainNeedsTheHealthEngineAndSaysSo() throws Exception {
        client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\"}", TOKEN);
        client.post("/api/v1/services/tcp/10.0.0.1:80/servers", "{\"address\":\"10.0.1.2:80\"}", TOKEN);
        var r = client.post("/api/v1/services/tcp/10.0.0.1:80/servers/10.0.1.2:80/drain", null, TOKEN);
        assertEquals(400, r.statusCode());
        assertEquals("this jlvs runs without the health engine", json(r).get("error").asText());
    }

    @Test
    void theLogKeepsTheLastEventsAndAnswersThoseAfterANumber() throws Exception {
        for (int i = 1; i <= 5; i++) log.add(i, "INFO", "Test", "event " + i);
        JsonNode all = json(client.get("/api/v1/log"));
        assertEquals(5, all.get("last").asInt());
        assertEquals(3, all.get("events").size(), "a ring of 3 keeps the last 3");
        assertEquals("event 3", all.get("events").get(0).get("message").asText());
        JsonNode after4 = json(client.get("/api/v1/log?after=4"));
        assertEquals(1, after4.get("events").size());
        assertEquals(5, after4.get("events").get(0).get("seq").asInt());
        assertEquals(400, client.get("/api/v1/log?after=x").statusCode());
    }

    @Test
    void statusAndStatsAreJson() throws Exception {
        client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\"}", TOKEN);
        JsonNode status = json(client.get("/api/v1/status"));
        assertTrue(status.get("vrrp").isArray());
        assertTrue(status.get("services").isArray());
        JsonNode stats = json(client.get("/api/v1/stats"));
        assertEquals("tcp/10.0.0.1:80", stats.get("services").get(0).get("id").asText());
        assertEquals(0, stats.get("table").get("entries").asInt());
    }

    @Test
    void consoleFilesAndWebJarsAreServedAndNothingOutsideThem() throws Exception {
        var uplot = client.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js");
        assertEquals(200, uplot.statusCode());
        assertTrue(uplot.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(404, client.get("/webjars/../../io/jlvs/console/HttpConsole.class").statusCode());
        assertEquals(404, client.get("/%2e%2e/pom.xml").statusCode());
        assertEquals(404, client.get("/no-such-page.html").statusCode());
        assertEquals(405, client.post("/index.html", "{}", TOKEN).statusCode());
    }
}
