#!/usr/bin/env python3
"""Spoofed SYN flood for tests: SYNs from random sources in 10.9.0.0/16 (fd00:9::/112 to an IPv6 DST) with random
ports to DST:PORT for SECONDS,
at RATE packets per second (0: as fast as one process sends them). Every SYN is a new flow (65,536 distinct ones, cycled), so none refreshes an
entry an earlier one made. Prints the number sent."""
import random, socket, struct, sys, time

dst, port, seconds, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF

ipv6 = ":" in dst
daddr = socket.inet_pton(socket.AF_INET6 if ipv6 else socket.AF_INET, dst)
packets = []
rnd = random.Random(7)
for i in range(65536):
    saddr = (socket.inet_pton(socket.AF_INET6, "fd00:9::")[:14] if ipv6 else bytes([10, 9])) + bytes([i >> 8, i & 0xFF])
    sport = rnd.randrange(1024, 65535)
    tcp = struct.pack("!HHIIBBHHH", sport, port, rnd.getrandbits(32), 0, 5 << 4, 0x02, 64240, 0, 0)
    if ipv6:
        pseudo = saddr + daddr + struct.pack("!I3xB", len(tcp), 6)
    else:
        pseudo = saddr + daddr + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    if ipv6:
        ip = struct.pack("!IHBB16s16s", 6 << 28, len(tcp), 6, 64, saddr, daddr)
    else:
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i & 0xFFFF, 0, 64, 6, 0, saddr, daddr)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    packets.append(ip + tcp)

s = socket.socket(socket.AF_INET6 if ipv6 else socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
target = (dst, 0)
start = time.monotonic()
sent, end = 0, start + seconds
while time.monotonic() < end:
    for p in packets[sent % 65536:sent % 65536 + 512]:
        s.sendto(p, target)
    sent += 512
    if rate > 0:
        ahead = start + sent / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
print("sent", sent)
