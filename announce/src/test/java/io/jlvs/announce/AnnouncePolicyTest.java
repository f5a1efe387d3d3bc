package io.jlvs.announce;

import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AnnouncePolicyTest {
    private static String summary(List<VipDecision> decisions) {
        StringBuilder s = new StringBuilder();
        for (VipDecision d : decisions) {
            s.append(d.prefix()).append(d.announced() ? " announced: " : " withdrawn: ").append(d.reason()).append('\n');
        }
        return s.toString();
    }

    @Test
    void aVipIsAnnouncedWhileOneOfItsServicesHasALiveServerAndWithdrawnWhenNoneHas() {
        Directors d = new Directors()
                .adm("-A -t 10.0.0.100:80 -s mh").adm("-a -t 10.0.0.100:80 -r 172.16.0.2:80 -g -w 1")
                .adm("-A -t 10.0.0.100:443 -s mh").adm("-a -t 10.0.0.100:443 -r 172.16.0.2:443 -g -w 0")
                .adm("-A -u 10.0.0.101:53 -s mh").adm("-a -u 10.0.0.101:53 -r 172.16.0.3:53 -g -w 0")
                .adm("-A -t 10.0.0.102:80 -s mh")
                .adm("-A -f 7 -s mh").adm("-a -f 7 -r 172.16.0.4:0 -g -w 1");
        assertEquals("""
                10.0.0.100/32 announced: 1 of 2 services live
                10.0.0.101/32 withdrawn: no service with a live real server
                10.0.0.102/32 withdrawn: no service with a live real server
                """, summary(AnnouncePolicy.decide(d.config(), List.of(), false)));
    }

    @Test
    void aServiceWhoseQuorumIsLostCountsAsDeadEvenWithItsSorryServerInPlace() {
        Directors d = new Directors()
                .adm("-A -t 10.0.0.100:80 -s mh").adm("-a -t 10.0.0.100:80 -r 172.16.0.9:80 -g -w 1");
        ServiceKey key = ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo((int) Addresses.parseV4("10.0.0.100")), 80);
        ServiceHealth lost = new ServiceHealth(key, "10.0.0.100 80", 2, 0, 1, false, true, List.of());
        ServiceHealth held = new ServiceHealth(key, "10.0.0.100 80", 2, 0, 2, true, false, List.of());
        assertEquals("10.0.0.100/32 withdrawn: no service with a live real server\n",
                summary(AnnouncePolicy.decide(d.config(), List.of(lost), false)));
        assertEquals("10.0.0.100/32 announced: 1 of 1 services live\n",
                summary(AnnouncePolicy.decide(d.config(), List.of(held), false)));
    }

    @Test
    void aDrainedDirectorWithdrawsEveryVip() {
        Directors d = new Directors()
                .adm("-A -t 10.0.0.100:80 -s mh").adm("-a -t 10.0.0.100:80 -r 172.16.0.2:80 -g -w 1")
                .adm("-A -t 10.0.0.101:80 -s mh").adm("-a -t 10.0.0.101:80 -r 172.16.0.2:80 -g -w 1");
        assertEquals("""
                10.0.0.100/32 withdrawn: director drained
                10.0.0.101/32 withdrawn: director drained
                """, summary(AnnouncePolicy.decide(d.config(), List.of(), true)));
        assertEquals(2, AnnouncePolicy.decide(d.config(), List.of(), false).stream()
                .filter(VipDecision::announced).count());
    }
}
