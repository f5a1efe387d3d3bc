package io.jlvs.tools.netns;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

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
