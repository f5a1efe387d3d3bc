package io.jlvs.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jlvs.control.model.BgpStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusJsonBgpTest {
    @Test
    void theBgpAnnouncementIsAnObjectBesideVrrpAndServicesAndAbsentWithoutOne() throws Exception {
        BgpStatus bgp = new BgpStatus("bird", "/etc/bird/jlvs-vips.conf", true,
                List.of("uplink BGP --- up 09:40:02 Established"), "",
                List.of(new BgpStatus.Vip("192.0.2.100/32", false, "director drained")));
        JsonNode root = new ObjectMapper().readTree(StatusJson.format(List.of(), bgp, List.of()));
        JsonNode b = root.get("bgp");
        assertEquals("bird", b.get("daemon").asText());
        assertTrue(b.get("drained").asBoolean());
        assertTrue(b.get("problem").isNull());
        assertEquals("uplink BGP --- up 09:40:02 Established", b.get("sessions").get(0).asText());
        assertEquals("192.0.2.100/32", b.get("vips").get(0).get("prefix").asText());
        assertFalse(b.get("vips").get(0).get("announced").asBoolean());
        assertEquals("director drained", b.get("vips").get(0).get("reason").asText());
        assertFalse(new ObjectMapper().readTree(StatusJson.format(List.of(), List.of())).has("bgp"));
    }
}
