package io.jlvs.platform.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel parameters under /proc/sys, named as sysctl(8) does: "net.ipv4.ip_forward", or with slashes when a
 * part contains dots ("net/ipv4/conf/eth0.100/arp_ignore"). Values of net.* belong to the network namespace of
 * the calling thread.
 */
public final class Sysctl {
    private Sysctl() {}

    static Path path(String key) {
        String relative = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
        return Path.of("/proc/sys", relative);
    }

    public static String read(String key) {
        try {
            return Files.readString(path(key)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sysctl " + key + " (" + path(key) + "): " + e, e);
        }
    }

    public static void write(String key, String value) {
        try {
            Files.writeString(path(key), value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set sysctl " + key + " = " + value + " (" + path(key) + "): " + e, e);
        }
    }
}
