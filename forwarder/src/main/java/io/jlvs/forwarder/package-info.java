/**
 * The data plane: the per-frame pipeline, the transmitters (NAT, direct routing, IP-in-IP tunnel), the workers that
 * drive the packet ports, the VIP responder, and the runtime services the control plane configures.
 */
package io.jlvs.forwarder;
