package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;

/**
 * FILE_CHECK: reads the number in the tracked file. With weight 0 the server is up when the number is 0. With a
 * weight the number times the weight is the server's weight (dynamicWeight): below 1 it is down. A missing,
 * unreadable or non-numeric file is down. The file is read on a checker loop: tracked files are small local files
 * (tmpfs, /proc, /sys), read in microseconds.
 */
final class FileChecker implements Checker {
    /** Tracked files hold one number: anything longer is not such a file. */
    private static final int MAX_BYTES = 64;
    private final CheckChannels channels;
    private final CheckerSpec.File spec;

    FileChecker(CheckChannels channels, CheckerSpec.File spec) {
        this.channels = channels;
        this.spec = spec;
    }

    @Override
    public CompletableFuture<CheckResult> check() {
        return CompletableFuture.supplyAsync(this::read, channels.nextLoop());
    }

    private CheckResult read() {
        long start = System.nanoTime();
        long value;
        try (var in = Files.newInputStream(spec.file())) {
            String text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.US_ASCII).strip();
            value = Long.parseLong(text.isEmpty() ? "0" : text.split("\\s+")[0]);
        } catch (IOException e) {
            return CheckResult.down("cannot read " + spec.file() + ": " + e, System.nanoTime() - start);
        } catch (NumberFormatException e) {
            return CheckResult.down("no number in " + spec.file(), System.nanoTime() - start);
        }
        long elapsed = System.nanoTime() - start;
        if (spec.weight() == 0) {
            return value == 0 ? CheckResult.up("value 0", elapsed) : CheckResult.down("value " + value, elapsed);
        }
        long weight = value * spec.weight();
        if (weight < 1) return new CheckResult(false, "value " + value + " gives weight " + weight, elapsed, 0);
        int dynamicWeight = (int) Math.min(weight, Integer.MAX_VALUE);
        return new CheckResult(true, "value " + value + " gives weight " + weight, elapsed, dynamicWeight);
    }

    @Override
    public String describe() { return "FILE_CHECK " + spec.trackName() + " (" + spec.file() + ")"; }
}
