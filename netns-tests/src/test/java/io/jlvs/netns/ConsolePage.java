package io.jlvs.netns;

import io.jlvs.tools.netns.Conditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * What a test does with the web console in a browser: go to its pages through the navigation (never a reload),
 * fill and submit its forms, and read its live table and its messages. Every wait polls the page
 * ({@link Conditions}) until what the operator would see is there.
 */
final class ConsolePage {
    static final Duration UI_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A row of the overview's table: its cells by their data-cell name (prot, address, weight, active-conns,
     * conn-rate, ...) and its connections since the service was created.
     */
    record Row(String kind, String id, String classes, long connections, Map<String, String> cells) {
        String cell(String name) {
            return cells.getOrDefault(name, "");
        }

        long number(String name) {
            String text = cell(name);
            return text.isEmpty() ? 0 : Long.parseLong(text);
        }

        /** The row as `jlvsadm -L -n` writes it, without the connection counts: "TCP ADDR SCHED FLAGS", "-> ADDR FWD W". */
        String asListing() {
            if (kind.equals("service")) {
                return String.join(" ", cell("prot"), cell("address"), cell("scheduler"), cell("flags")).strip();
            }
            return String.join(" ", "->", cell("address"), cell("forward"), cell("weight"));
        }
    }

    private static final String ROWS_SCRIPT = """
            return [...document.querySelectorAll('#services-body tr')].map((tr) => {
              const cells = {};
              for (const c of tr.cells) cells[c.dataset.cell] = c.textContent.trim();
              const service = tr.classList.contains('service-row');
              return { kind: service ? 'service' : 'server', id: service ? tr.dataset.service : tr.dataset.server,
                       classes: tr.className, connections: Number(tr.dataset.connections || 0), cells };
            });""";

    private final ChromeDriver driver;

    ConsolePage(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Loads the console and waits until its event stream is live. */
    void open(String url) {
        driver.get(url);
        awaitAttribute("the event stream live", "#live-state", "data-state", "live"::equals);
    }

    /** Goes to a page through its link in the navigation (overview, charts, services, connections, config). */
    void show(String page) {
        driver.findElement(By.id("nav-" + page)).click();
        Conditions.await("page " + page + " shown", UI_TIMEOUT,
                () -> driver.findElement(By.id("page-" + page)).isDisplayed());
    }

    void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    void choose(String id, String value) {
        new Select(driver.findElement(By.id(id))).selectByValue(value);
    }

    /**
     * Clicks the element; found again when the page redrew it between the look-up and the click (its lists are
     * rebuilt when the configuration changes).
     */
    void click(String css) {
        Conditions.await("a click on " + css, UI_TIMEOUT, () -> {
            try {
                driver.findElement(By.cssSelector(css)).click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.getFirst().getText().strip();
    }

    boolean displayed(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return !found.isEmpty() && found.getFirst().isDisplayed();
    }

    /** Waits until the element's text passes; answers that text. */
    String awaitText(String description, String css, Predicate<String> wanted) {
        Conditions.await(description + " (" + css + ")", UI_TIMEOUT, () -> wanted.test(text(css)));
        return text(css);
    }

    void awaitAttribute(String description, String css, String attribute, Predicate<String> wanted) {
        Conditions.await(description, UI_TIMEOUT, () -> {
            List<WebElement> found = driver.findElements(By.cssSelector(css));
            return !found.isEmpty() && wanted.test(String.valueOf(found.getFirst().getDomAttribute(attribute)));
        });
    }

    String attribute(String css, String attribute) {
        return driver.findElement(By.cssSelector(css)).getDomAttribute(attribute);
    }

    /** The overview table's rows, read in one script so that a live update cannot fall between two of them. */
    @SuppressWarnings("unchecked")
    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Object o : (List<Object>) driver.executeScript(ROWS_SCRIPT)) {
            Map<String, Object> m = (Map<String, Object>) o;
            rows.add(new Row((String) m.get("kind"), (String) m.get("id"), (String) m.get("classes"),
                    ((Number) m.get("connections")).longValue(), (Map<String, String>) (Map<String, ?>) m.get("cells")));
        }
        return rows;
    }

    /** The row of a real server (ADDRESS:PORT) in the overview table. */
    Row serverRow(String server) {
        return rows().stream().filter(r -> r.kind().equals("server") && r.id().equals(server)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + server + " in " + rows()));
    }

    Row serviceRow(String service) {
        return rows().stream().filter(r -> r.kind().equals("service") && r.id().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + service + " in " + rows()));
    }

    /** Resizes the browser's window, to look at the console as a phone shows it, say. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Waits until the script's answer passes (the page updates after its own awaits); answers it. */
    Object awaitScript(String description, String script, Predicate<Object> wanted) {
        Conditions.await(description, UI_TIMEOUT, () -> wanted.test(driver.executeScript(script)));
        return driver.executeScript(script);
    }

    Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    void screenshot(Path folder, String name) {
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
