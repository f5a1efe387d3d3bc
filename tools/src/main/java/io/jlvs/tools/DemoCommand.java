package io.jlvs.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `jlvs demo`: a director in front of three real HTTP servers in namespaces of its own. */
@Command(name = "demo", description = "Build namespaces, start jlvs in front of 3 real servers, send requests, show the "
        + "tables, remove everything. Options: --mode nat|dr|tun, --io afpacket|pcap|afxdp.")
final class DemoCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>(); // picocli adds to it: must be mutable

    @Override
    public Integer call() {
        return Demo.run(args.toArray(String[]::new));
    }
}
