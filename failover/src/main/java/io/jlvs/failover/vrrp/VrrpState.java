package io.jlvs.failover.vrrp;

/** The states of a VRRP instance (RFC 5798 section 6.4, plus FAULT and STOPPED as keepalived has them). */
public enum VrrpState { INIT, BACKUP, MASTER, FAULT, STOPPED }
