package io.jlvs.control;

/** Connection timeouts in seconds that --set changes: TCP ESTABLISHED, TCP FIN_WAIT, UDP. */
public record Timeouts(int tcp, int tcpFin, int udp) {}
