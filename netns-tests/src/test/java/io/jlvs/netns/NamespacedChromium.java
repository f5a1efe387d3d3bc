package io.jlvs.netns;

import io.jlvs.tools.netns.ProcessRunner;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium inside a network namespace, driven by Selenium through Debian's chromedriver.
 *
 * <p>A daemon's console listens on the loopback of its own namespace, which nothing in the root namespace can
 * reach. So chromedriver runs in the root namespace (where Selenium talks to it over its HTTP port), and it starts
 * chromium through a two-line script that enters the namespace first ({@code ip netns exec NS chromium}); with
 * {@code --remote-debugging-pipe}, chromedriver speaks DevTools to chromium over two inherited file descriptors
 * instead of a TCP port, so nothing has to cross between the namespaces but those pipes. The browser sees the
 * namespace's 127.0.0.1 and reads the API without a token, as a browser on the director itself would.
 *
 * <p>The driver binary is given explicitly, so Selenium Manager never looks for (or downloads) one.
 */
final class NamespacedChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private NamespacedChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Starts chromium in {@code namespace}; its launcher script and chromedriver's log go to the runner's log folder. */
    static NamespacedChromium start(ProcessRunner processes, String namespace, int width, int height) {
        Path launcher = processes.logDirectory().resolve("chromium-in-" + namespace);
        try {
            Files.writeString(launcher, "#!/bin/sh\nexec ip netns exec " + namespace + " " + CHROMIUM + " \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(launcher.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--remote-debugging-pipe",
                "--window-size=" + width + "," + height, "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(processes.logDirectory().toFile(), "chromedriver.log"))
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
            return new NamespacedChromium(service, driver);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** The browser console's entries since the last call (chromedriver hands each entry out once). */
    List<LogEntry> consoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Quits chromium and stops chromedriver; never throws, so it cannot hide a test's own failure. */
    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            System.err.println("chromium did not quit cleanly: " + e);
        } finally {
            service.stop();
        }
    }
}
