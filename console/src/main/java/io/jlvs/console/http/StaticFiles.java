package io.jlvs.console.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's files from the daemon's jar: {@code /} and {@code /FILE} from io/jlvs/console/web/, and
 * {@code /webjars/...} from the WebJars on the class path. Read once and kept; a path with an empty, "." or ".."
 * segment, or with a backslash, is never looked up.
 */
final class StaticFiles {
    private static final String WEB = "io/jlvs/console/web/";
    private static final String WEBJARS = "META-INF/resources/webjars/";

    /** A file's bytes and its content type; immutable means the path carries a version (WebJars). */
    record File(byte[] body, String contentType, boolean immutable) {}

    private static final File MISSING = new File(null, null, false);
    private final Map<String, File> cache = new ConcurrentHashMap<>();
    private final ClassLoader loader = StaticFiles.class.getClassLoader();

    /** The file of a request path, or null. */
    File find(String path) {
        if (path.equals("/")) path = "/index.html";
        if (!safe(path)) return null;
        File f = cache.computeIfAbsent(path, this::load);
        return f == MISSING ? null : f;
    }

    private File load(String path) {
        boolean webjar = path.startsWith("/webjars/");
        String resource = webjar ? WEBJARS + path.substring("/webjars/".length()) : WEB + path.substring(1);
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) return MISSING;
            return new File(in.readAllBytes(), contentType(path), webjar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean safe(String path) {
        if (!path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) return false;
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return false;
        }
        return true;
    }

    static String contentType(String path) {
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "json", "map" -> "application/json";
            case "webmanifest" -> "application/manifest+json";
            default -> "application/octet-stream";
        };
    }
}
