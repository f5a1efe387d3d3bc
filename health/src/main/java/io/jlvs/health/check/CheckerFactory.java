package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;

import java.net.InetSocketAddress;

/** Builds the checker a spec describes for one real server (its address and port are the defaults to connect to). */
public interface CheckerFactory {
    Checker create(CheckerSpec spec, InetSocketAddress realServer);
}
