package io.jlvs.tools.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Finds the jlvs installation folder (the one holding bin/jlvs): the system property jlvs.home, else the environment
 * variable JLVS_HOME, else the folder two levels above the running jar (tools/target/jlvs-tools.jar).
 */
public final class JlvsHome {
    private JlvsHome() {
    }

    public static Path locate() {
        String property = System.getProperty("jlvs.home");
        if (property != null && !property.isBlank()) {
            return checked(Path.of(property), "system property jlvs.home");
        }
        String env = System.getenv("JLVS_HOME");
        if (env != null && !env.isBlank()) {
            return checked(Path.of(env), "environment variable JLVS_HOME");
        }
        Path code = codeLocation();
        // jar <home>/tools/target/jlvs-tools.jar or classes <home>/tools/target/classes: walk up to bin/jlvs.
        for (Path p = code; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/jlvs"))) {
                return p.normalize();
            }
        }
        throw new IllegalStateException("cannot find the jlvs home (bin/jlvs) above " + code
                + "; set -Djlvs.home=... or JLVS_HOME");
    }

    /**
     * Copies bin/ and the runtime jars (tools/target/jlvs-tools.jar, tools/target/lib) of the jlvs home into the
     * folder {@code name} of the runner's log folder and returns it as a home of its own. bin/jlvs and bin/jlvsadm
     * rebuild whenever any source in their home is newer than the jar; in a tree others are editing that means a
     * Maven build (of possibly half-written code) on every call, and a rebuild replaces the jars under a running
     * daemon. The copy holds no sources, so its scripts run the code as it was when the copy was made. The daemon's
     * ahead-of-time cache is trained once in the home and copied along (the JVM accepts it for the copied jars, which
     * keep their size and time), so that daemons started from copies run as an installed one does, without each
     * training its own.
     * The copy goes when the runner closes (a hundred megabytes the logs beside it do not need).
     */
    public static Path frozenCopy(ProcessRunner processes, String name) {
        Path target = processes.logDirectory().resolve(name);
        processes.removeAtClose(target);
        return frozenCopy(target);
    }

    private static Path frozenCopy(Path target) {
        Path home = locate();
        Path jar = home.resolve("tools/target/jlvs-tools.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build first (bin/jlvs --help builds it, or mvn -DskipTests package -pl tools -am)");
        }
        try {
            copyTree(home.resolve("bin"), target.resolve("bin"));
            copyTree(home.resolve("tools/target/lib"), target.resolve("tools/target/lib"));
            Files.copy(jar, target.resolve("tools/target/jlvs-tools.jar"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
            Path cache = ensureAotCache(home);
            if (Files.isRegularFile(cache)) {
                Files.copy(cache, target.resolve("tools/target/jlvs.aot"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the jlvs home " + home + " to " + target, e);
        }
        return target.toAbsolutePath().normalize();
    }

    /** Trains the home's ahead-of-time cache if it has none for its current jar (the launcher's function). */
    private static Path ensureAotCache(Path home) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                ". bin/jlvs-common.sh && jlvs_find_jdk && jlvs_ensure_aot_cache").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            pb.start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while training the ahead-of-time cache", e);
        }
        return home.resolve("tools/target/jlvs.aot");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path copy = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static Path checked(Path home, String source) {
        if (!Files.isRegularFile(home.resolve("bin/jlvs"))) {
            throw new IllegalStateException(source + " = " + home + " holds no bin/jlvs");
        }
        return home.toAbsolutePath().normalize();
    }

    private static Path codeLocation() {
        try {
            return Path.of(JlvsHome.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
