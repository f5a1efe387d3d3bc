package io.jlvs.layer7.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where HTTP/1.1 bodies end: the framing of requests and responses, chunked bodies, response heads. */
class MessageFramingTest {
    private static RequestHead request(String head) {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        return ((RequestHeadParser.Complete) new RequestHeadParser(16 * 1024).parse(b, b.length)).head();
    }

    private static ResponseHead response(String head) {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        return ResponseHeadParser.parse(b, b.length);
    }

    @Test
    void requestsAreFramedByContentLengthOrChunkedAndAmbiguityIsRefused() {
        assertEquals(MessageFraming.NONE, MessageFraming.ofRequest(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
        assertEquals(new MessageFraming(MessageFraming.Kind.LENGTH, 12),
                MessageFraming.ofRequest(request("POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n")));
        assertEquals(new MessageFraming(MessageFraming.Kind.LENGTH, 12),
                MessageFraming.ofRequest(request("POST / HTTP/1.1\r\nContent-Length: 12, 12\r\n\r\n")));
        assertEquals(MessageFraming.CHUNKED,
                MessageFraming.ofRequest(request("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n")));
        for (String bad : new String[] {
                "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"}) {
            assertThrows(IllegalArgumentException.class, () -> MessageFraming.ofRequest(request(bad)), bad);
        }
    }

    @Test
    void responsesToHeadAnd1xx204And304HaveNoBodyAndOthersEndAtTheirLengthChunksOrClose() {
        ResponseHead withLength = response("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        assertEquals(MessageFraming.NONE, MessageFraming.ofResponse("HEAD", withLength));
        assertEquals(1000, MessageFraming.ofResponse("GET", withLength).length());
        assertEquals(MessageFraming.NONE, MessageFraming.ofResponse("GET", response("HTTP/1.1 204 No Content\r\n\r\n")));
        assertEquals(MessageFraming.NONE,
                MessageFraming.ofResponse("GET", response("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n")));
        assertEquals(MessageFraming.NONE, MessageFraming.ofResponse("POST", response("HTTP/1.1 100 Continue\r\n\r\n")));
        assertEquals(MessageFraming.CHUNKED,
                MessageFraming.ofResponse("GET", response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")));
        assertEquals(MessageFraming.UNTIL_CLOSE, MessageFraming.ofResponse("GET", response("HTTP/1.0 200 OK\r\n\r\n")));
        assertEquals(MessageFraming.UNTIL_CLOSE,
                MessageFraming.ofResponse("GET", response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")));
    }

    @Test
    void responseHeadsAreParsedOrRefused() {
        ResponseHead h = response("HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nX-A:  b \r\n\r\n");
        assertEquals(404, h.status());
        assertEquals("b", h.header("x-a"));
        assertTrue(h.keepAlive());
        assertFalse(response("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n").keepAlive());
        assertTrue(response("HTTP/1.1 200\r\n\r\n").keepAlive(), "a status line without a reason");
        for (String bad : new String[] {"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
                "HTTP/1.1 999 X\r\n\r\n", "SSH-2.0\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n"}) {
            assertThrows(IllegalArgumentException.class, () -> response(bad), bad);
        }
    }

    @Test
    void aHeadEndsAtItsBlankLineWithinTheLimit() {
        ByteBuf b = Unpooled.copiedBuffer("xxGET / HTTP/1.1\r\nA: b\r\n\r\nbody", StandardCharsets.US_ASCII);
        b.skipBytes(2);
        assertEquals(24, HeadBoundary.end(b, 1000));
        assertEquals(-1, HeadBoundary.end(b, 23), "not within the limit");
        assertEquals(7, HeadBoundary.end(Unpooled.copiedBuffer("GET /\n\nrest", StandardCharsets.US_ASCII), 100));
    }

    @Test
    void aChunkedBodyEndsAfterItsTrailerWhicheverWayItsBytesArrive() {
        String body = "4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";
        String after = "GET /next HTTP/1.1\r\n\r\n";
        byte[] all = (body + after).getBytes(StandardCharsets.US_ASCII);
        for (int step = 1; step <= all.length; step++) {
            ChunkedBody chunked = new ChunkedBody();
            int consumed = 0;
            for (int at = 0; at < all.length && !chunked.done(); at += step) {
                ByteBuf piece = Unpooled.wrappedBuffer(all, at, Math.min(step, all.length - at));
                consumed += chunked.scan(piece);
            }
            assertTrue(chunked.done(), "step " + step);
            assertEquals(body.length(), consumed, "step " + step + ": the body and nothing after it");
        }
        ChunkedBody lf = new ChunkedBody();
        assertEquals(9, lf.scan(Unpooled.copiedBuffer("3\nabc\n0\n\nmore", StandardCharsets.US_ASCII)));
        assertTrue(lf.done(), "bare line feeds are accepted");
    }

    @Test
    void aMalformedChunkedBodyIsRefused() {
        for (String bad : new String[] {"x\r\n", "\r\n", "3\r\nabcX", "3\r\nabc\rX", "10000000000000000\r\n",
                "0\r\n\rX"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new ChunkedBody().scan(Unpooled.copiedBuffer(bad, StandardCharsets.US_ASCII)), bad);
        }
    }
}
