package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.logging.LogEntry;

/**
 * The web console in a real browser against the real daemon: an operator opens it, is asked for the API token
 * when making a change without one, builds a NAT service and its three real servers through the forms, and sees
 * a refused change explained next to its field; client traffic then shows up in the live table and the charts
 * without a reload; a drained server gets no new connection; the table shows exactly what `jlvsadm -L -n` lists;
 * the connections browser and the effective configuration answer; and the browser logged no error of its own.
 * A screenshot of each page goes to target/console-screenshots/.
 *
 * <p>The daemon listens on 127.0.0.1 in the director's namespace; the browser runs in that namespace too (see
 * {@link NamespacedChromium}), so it reads the API as a local client, and needs the token only for changes.
 */
class ConsoleBrowserTest {
    static final int PORT = 80;
    static final int HTTP_PORT = 9180;
    static final String CONSOLE = "http://127.0.0.1:" + HTTP_PORT + "/";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private LvsTopology topology;
    private JlvsDirector director;
    private ConsolePage page;
    private String vip;
    private String service;
    private List<String> servers;

    @Test
    void operatorBuildsAServiceWatchesItLiveDrainsAServerAndSeesWhatJlvsadmLists() throws Exception {
        forgetEarlierScreenshots();
        try (LvsTopology topology = LvsTopology.nat("jlvswc", 3)) {
            this.topology = topology;
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            Path tokenFile = topology.processes().logDirectory().resolve("http.token"); // the daemon creates it
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--http", "127.0.0.1:" + HTTP_PORT, "--http-token-file", tokenFile.toString()));
                 NamespacedChromium chromium = NamespacedChromium.start(topology.processes(),
                         topology.directorNamespace(), 1280, 900)) {
                this.director = director;
                awaitListener();
                page = new ConsolePage(chromium.driver());
                vip = topology.vip() + ":" + PORT;
                service = "tcp/" + vip;
                servers = topology.serverAddresses().stream().map(a -> a + ":" + PORT).toList();
                try {
                    scenario(Files.readString(tokenFile).strip());
                    assertOnlyExpectedConsoleErrors(chromium.consoleEntries());
                } catch (AssertionError | RuntimeException e) {
                    page.screenshot(SCREENSHOTS, "failure");
                    throw e;
                }
            }
        }
    }

    private void scenario(String token) {
        page.open(CONSOLE);
        // A mark in the page's global scope: still there at the end means the page was never reloaded.
        page.script("window.consoleTestMark = 'never reloaded'");
        page.awaitText("the empty overview", "#no-services", t -> t.startsWith("No virtual service"));

        buildTheServiceThroughTheForms(token);
        String drained = servers.getFirst();
        long rateBeforeDrain;
        try (RequestLoop load = RequestLoop.start(topology, "console-load", PORT)) {
            seeTheTrafficLive();
            rateBeforeDrain = page.serverRow(drained).number("conn-rate");
            drainAndSeeNoNewConnection(drained, load);
            reweightAndChangeTheScheduler(servers.get(1));
            browseTheConnectionsOf(servers.get(1));
        }
        readTheEffectiveConfiguration();
        page.show("overview");
        // IPVS's rate estimate is sampled every 2 s and smoothed: the drained server's falls over seconds.
        Conditions.await(drained + "'s rate falling in the table", Duration.ofSeconds(15),
                () -> page.serverRow(drained).number("conn-rate") < rateBeforeDrain);
        undrainAndDelete(drained, servers.getLast());
        lookAtItOnAPhone();

        assertEquals("never reloaded", page.script("return window.consoleTestMark"), "the page was reloaded");
        @SuppressWarnings("unchecked")
        List<String> fetched = (List<String>) page.script(
                "return performance.getEntriesByType('resource').map((e) => e.name)");
        assertTrue(fetched.stream().allMatch(u -> u.startsWith(CONSOLE)), "requests beyond the daemon: " + fetched);
    }

    /** The service and its servers through the forms: asked for the token first, a refusal shown at its field. */
    private void buildTheServiceThroughTheForms(String token) {
        page.show("services");
        page.choose("service-protocol", "tcp");
        page.type("service-address", vip);
        page.choose("service-scheduler", "rr");
        page.click("#service-submit");
        page.awaitText("the form asking for the token", "#service-form-error", t -> t.contains("API token"));
        assertTrue(page.displayed("#auth-banner"), "the banner asks for the token too");

        page.type("token-input", token);
        page.click("#token-save");
        page.click("#service-submit");
        page.awaitText("the service added", "#service-form-status", t -> t.equals("Added TCP " + vip + "."));
        // the status shows as the API answers; the service list and the server form follow once it is read again
        assertEquals(service, page.awaitScript("the server form offering the new service",
                        "return document.getElementById('server-service').value", service::equals),
                "the server form offers the new service");
        for (String server : servers) {
            page.type("server-address", server);
            page.choose("server-method", "masq");
            page.type("server-weight", "1");
            page.click("#server-submit");
            page.awaitText(server + " added", "#server-form-status", t -> t.equals("Added " + server + "."));
        }

        page.type("server-address", servers.getFirst());
        page.click("#server-submit");
        String refusal = page.awaitText("the refusal next to the address", "#server-address-error", t -> !t.isEmpty());
        assertTrue(refusal.contains("already exists"), "ipvsadm's message at the field: " + refusal);
        assertEquals("true", page.attribute("#server-address", "aria-invalid"));
        assertEquals("polite", page.attribute("#server-address-error", "aria-live"), "announced by screen readers");
        assertTrue(page.text("#server-form-error").contains("jlvsadm -a"), "the refused command at the form");
        page.screenshot(SCREENSHOTS, "2-configuration");
    }

    /** The client's requests in the live table (every server's counters and rates) and in the chart. */
    private void seeTheTrafficLive() {
        page.show("overview");
        Conditions.await("every server's connections in the live table", Duration.ofSeconds(20), () -> {
            for (String server : servers) {
                ConsolePage.Row row = page.serverRow(server);
                if (row.number("conn-rate") == 0
                        || row.number("active-conns") + row.number("inactive-conns") == 0) return false;
            }
            return page.serviceRow(service).number("conn-rate") > 0;
        });
        page.screenshot(SCREENSHOTS, "1-overview");

        page.show("charts");
        String chart = "figure[data-chart='" + service + "'][data-metric='connections']";
        page.awaitAttribute("connections in the chart", chart, "data-peak", p -> Double.parseDouble(p) > 0);
        assertTrue(page.displayed(chart + " canvas"), "uPlot drew the chart");
        assertEquals(1 + servers.size(), ((Number) page.script("return document.querySelectorAll(arguments[0])"
                + ".length", chart + " .u-legend .u-series:not(:first-child)")).intValue(),
                "a line for the service and one per server");
        page.screenshot(SCREENSHOTS, "3-charts");
    }

    /**
     * Drain from the configuration page: the table shows it grey at weight 0, and from the first stats event made
     * after the drain on, its connection count stands still while the others' grow.
     */
    private void drainAndSeeNoNewConnection(String drained, RequestLoop load) {
        List<String> serving = servers.stream().filter(s -> !s.equals(drained)).toList();
        page.show("services");
        page.click(card() + "[data-config-server='" + drained + "'] [data-action='drain']");
        page.awaitText("the drain done", "#service-list-status", t -> t.equals("Drained " + drained + "."));
        page.show("overview");
        Conditions.await(drained + " drained in the table", ConsolePage.UI_TIMEOUT, () -> {
            ConsolePage.Row row = page.serverRow(drained);
            return row.cell("weight").equals("0") && row.classes().contains("health-drained");
        });
        long shownAtDrain = Long.parseLong(page.attribute("#stats-time", "data-time"));
        page.awaitAttribute("a stats event after the drain", "#stats-time", "data-time",
                t -> Long.parseLong(t) > shownAtDrain);
        long drainedTotal = page.serverRow(drained).connections();
        List<Long> servingTotals = serving.stream().map(s -> page.serverRow(s).connections()).toList();
        load.awaitMoreBatches(2);
        boolean counted = Conditions.holdsWithin(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < serving.size(); i++) {
                if (page.serverRow(serving.get(i)).connections() <= servingTotals.get(i)) return false;
            }
            return true;
        });
        assertTrue(counted, "the serving servers' new connections in the table, beyond " + servingTotals
                + ": " + page.rows());
        assertEquals(drainedTotal, page.serverRow(drained).connections(), "a new connection on the drained server");
        page.awaitText("the drain in the daemon's events", "#daemon-log", t -> t.contains("drained " + drained));
    }

    /** A weight through the server's own field, the scheduler through the service's edit form; as jlvsadm lists. */
    private void reweightAndChangeTheScheduler(String reweighted) {
        page.show("services");
        String row = card() + "[data-config-server='" + reweighted + "'] ";
        page.type(page.attribute(row + "input.weight-input", "id"), "3");
        page.click(row + "[data-action='set-weight']");
        page.awaitText("the weight set", "#service-list-status", t -> t.equals("Weight of " + reweighted + " set to 3."));
        page.click(card() + "[data-action='edit-service']");
        page.choose("service-scheduler", "wrr");
        page.click("#service-submit");
        page.awaitText("the service saved", "#service-form-status", t -> t.equals("Saved TCP " + vip + "."));
        page.show("overview");
        String listing = assertTableMatchesJlvsadm();
        assertTrue(listing.contains("TCP  " + vip + " wrr"), "the scheduler changed:\n" + listing);
        assertEquals("3", ServiceRows.weight(listing, reweighted), "the weight changed");
    }

    /** The connections browser filtered by service and server shows that server's connections only. */
    private void browseTheConnectionsOf(String server) {
        page.show("connections");
        page.choose("filter-service", service);
        page.type("filter-server", server);
        page.click("#connections-apply");
        String filter = "server=" + server.replace(":", "%3A");
        page.awaitAttribute("the connections of " + server, "#connections-table", "data-query", q -> q.contains(filter));
        assertTrue(Long.parseLong(page.attribute("#connections-range", "data-total")) > 0,
                page.text("#connections-range"));
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) page.script("return [...document.querySelectorAll("
                + "'#connections-body td.server')].map((td) => td.textContent)");
        assertTrue(!shown.isEmpty() && shown.stream().allMatch(server::equals),
                "only the filtered server's connections: " + shown);
        page.screenshot(SCREENSHOTS, "4-connections");
    }

    private void readTheEffectiveConfiguration() {
        page.show("config");
        String rules = page.awaitText("the rules in force", "#config-ipvsadm", t -> t.contains("-A -t " + vip));
        assertTrue(rules.contains("-A -t " + vip + " -s wrr"), rules);
        assertTrue(rules.contains("-a -t " + vip + " -r " + servers.getFirst() + " -m -w 0"), rules);
        assertTrue(rules.contains("-a -t " + vip + " -r " + servers.get(1) + " -m -w 3"), rules);
        assertTrue(page.text("#config-keepalived").contains("virtual_server " + topology.vip() + " " + PORT),
                page.text("#config-keepalived"));
        page.screenshot(SCREENSHOTS, "5-effective-configuration");
    }

    /** Undrain gives the weight back; delete asks for a second press; jlvsadm lists the outcome. */
    private void undrainAndDelete(String drained, String deleted) {
        page.show("services");
        page.click(card() + "[data-config-server='" + drained + "'] [data-action='undrain']");
        page.awaitText("the undrain done", "#service-list-status", t -> t.equals("Undrained " + drained + "."));
        Conditions.await("the list redrawn", ConsolePage.UI_TIMEOUT,
                () -> page.displayed(card() + "[data-config-server='" + drained + "'] [data-action='drain']"));
        String delete = card() + "[data-config-server='" + deleted + "'] button.danger";
        page.click(delete);
        page.awaitText("the delete asking to be confirmed", "#service-list-status",
                t -> t.startsWith("Press the button again"));
        page.click(delete);
        page.awaitText("the delete done", "#service-list-status", t -> t.equals("Deleted " + deleted + "."));
        page.show("overview");
        String listing = assertTableMatchesJlvsadm();
        assertEquals(servers.stream().filter(s -> !s.equals(deleted)).toList(),
                List.copyOf(ServiceRows.servers(listing).keySet()), "the server deleted");
        assertEquals("1", ServiceRows.weight(listing, drained), "the weight back");
    }

    /** On a phone's width the page does not scroll sideways (its table does, inside its own box). */
    private void lookAtItOnAPhone() {
        page.resize(390, 844);
        assertEquals(Boolean.TRUE, page.script("return document.documentElement.scrollWidth"
                + " <= document.documentElement.clientWidth"), "the page scrolls sideways on a phone");
        page.screenshot(SCREENSHOTS, "6-overview-narrow");
    }

    /** The service's card on the configuration page, as the start of a CSS selector. */
    private String card() {
        return "[data-service-card='" + service + "'] ";
    }

    /**
     * The console's services, servers, forwarding and weights are those `jlvsadm -L -n` lists, in its order (the
     * table follows a change within a second or so). Answers the listing.
     */
    private String assertTableMatchesJlvsadm() {
        String listing = director.admOrThrow("-L", "-n");
        List<String> listed = listingLines(listing);
        boolean same = Conditions.holdsWithin(Duration.ofSeconds(5),
                () -> page.rows().stream().map(ConsolePage.Row::asListing).toList().equals(listed));
        assertTrue(same, "the console's table " + page.rows().stream().map(ConsolePage.Row::asListing).toList()
                + " is not jlvsadm's listing:\n" + listing);
        return listing;
    }

    /** The service lines ("TCP 10.0.0.100:80 rr") and server lines ("-> 172.16.0.2:80 Masq 1") of a listing. */
    private static List<String> listingLines(String listing) {
        List<String> lines = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && List.of("TCP", "UDP", "SCTP", "FWM").contains(f[0])) {
                lines.add(String.join(" ", f));
            } else if (f.length >= 6 && f[0].equals("->") && !f[1].equals("RemoteAddress:Port")) {
                lines.add(String.join(" ", f[0], f[1], f[2], f[3]));
            }
        }
        return lines;
    }

    /** Deletes the screenshots of an earlier run, so that a failure's picture is never an old one. */
    private static void forgetEarlierScreenshots() throws IOException {
        if (!Files.isDirectory(SCREENSHOTS)) return;
        try (var files = Files.list(SCREENSHOTS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".png")).toList()) Files.delete(f);
        }
    }

    /** Waits until the daemon's HTTP listener answers in the director's namespace. */
    private void awaitListener() {
        Conditions.await("the console listening", Duration.ofSeconds(20), () -> {
            CommandResult r = topology.inDirector("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    CONSOLE + "api/v1/status");
            return r.stdout().equals("200");
        });
    }

    /**
     * The browser console holds no error but the two the scenario caused on purpose, which chromium logs for any
     * answer of 400 and up: the 401 of the change made without the token, and the 400 of the refused server.
     */
    private static void assertOnlyExpectedConsoleErrors(List<LogEntry> entries) {
        List<String> unexpected = new ArrayList<>();
        int expected = 0;
        for (LogEntry e : entries) {
            if (e.getLevel().intValue() < Level.SEVERE.intValue()) continue;
            String m = e.getMessage();
            boolean refusedOnPurpose = m.contains("/api/v1/services")
                    && (m.contains("status of 401") || m.contains("status of 400"));
            if (refusedOnPurpose) expected++;
            else unexpected.add(m);
        }
        assertEquals(List.of(), unexpected, "errors in the browser console");
        assertEquals(2, expected, "the two refusals of the scenario in the browser console: " + entries);
    }
}
