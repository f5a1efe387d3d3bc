package io.jlvs.tools;

import io.jlvs.tools.bench.NetnsBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `jlvs bench`: the side-by-side netns benchmark against the kernel and HAProxy. */
@Command(name = "bench", description = "Measure kernel routing, nftables NAT, HAProxy and jlvs side by side in namespaces.")
final class BenchCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        NetnsBenchmark.main(args.toArray(String[]::new));
        return 0;
    }
}
