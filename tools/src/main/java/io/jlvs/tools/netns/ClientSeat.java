package io.jlvs.tools.netns;

/** Where test clients run: the client namespace of a topology, its process runner, and the VIP they talk to. */
public record ClientSeat(ProcessRunner processes, String namespace, String vip) {}
