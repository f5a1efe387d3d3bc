package io.jlvs.platform.hostguard;

/** A NAT real server's endpoint: IPv4 address (network-order int value), IP protocol number (6, 17, 132), port. */
public record NatBackend(int addrV4, int protocol, int port) {}
