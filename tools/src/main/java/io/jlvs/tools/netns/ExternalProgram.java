package io.jlvs.tools.netns;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A program the netns kit, the demo or the benchmark runs, with the Debian package that installs it. Checking them
 * all before starting lets a command name every missing one at once instead of failing midway through a run.
 *
 * @param command a name looked up on PATH, or an absolute path used as it is
 * @param debianPackage the package that installs it
 */
public record ExternalProgram(String command, String debianPackage) {
    public static final ExternalProgram IP = new ExternalProgram("ip", "iproute2");
    public static final ExternalProgram SS = new ExternalProgram("ss", "iproute2");
    public static final ExternalProgram SYSCTL = new ExternalProgram("sysctl", "procps");
    public static final ExternalProgram ETHTOOL = new ExternalProgram("ethtool", "ethtool");
    public static final ExternalProgram NFT = new ExternalProgram("nft", "nftables");
    public static final ExternalProgram SH = new ExternalProgram("sh", "dash");
    public static final ExternalProgram SEQ = new ExternalProgram("seq", "coreutils");
    public static final ExternalProgram CURL = new ExternalProgram("curl", "curl");
    public static final ExternalProgram NGINX = new ExternalProgram("nginx", "nginx");
    public static final ExternalProgram KEEPALIVED = new ExternalProgram("keepalived", "keepalived");
    public static final ExternalProgram BIRD = new ExternalProgram("bird", "bird2");
    public static final ExternalProgram HAPROXY = new ExternalProgram(HaproxyTcpProxy.HAPROXY, "haproxy");

    /** Programs every namespace topology needs: building it, tuning it, checking listeners. */
    public static final List<ExternalProgram> TOPOLOGY = List.of(IP, SS, SYSCTL, ETHTOOL, SH);

    /** Whether the program can be run: an executable file at its path, or on PATH. */
    public boolean installed() {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }

    /** The programs of {@code needed} that are not installed, in order. */
    public static List<ExternalProgram> missing(List<ExternalProgram> needed) {
        List<ExternalProgram> missing = new ArrayList<>();
        for (ExternalProgram program : needed) {
            if (!program.installed() && !missing.contains(program)) {
                missing.add(program);
            }
        }
        return missing;
    }

    /**
     * One line naming each missing program and its package, for {@code tool} ("jlvs bench"), or null when none is
     * missing.
     */
    public static String missingMessage(String tool, List<ExternalProgram> needed) {
        List<ExternalProgram> missing = missing(needed);
        if (missing.isEmpty()) {
            return null;
        }
        List<String> names = missing.stream().map(p -> p.command() + " (Debian package " + p.debianPackage() + ")").toList();
        List<String> packages = missing.stream().map(ExternalProgram::debianPackage).distinct().toList();
        return tool + ": missing " + String.join(", ", names) + "; install them (apt-get install "
                + String.join(" ", packages) + ") and run again";
    }
}
