package io.jlvs.console.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

/** What a REST call answers: a status, a content type and a body (empty for 204). */
public record ApiResponse(int status, String contentType, byte[] body) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static ApiResponse json(int status, JsonNode body) {
        try {
            return new ApiResponse(status, JSON, JsonViews.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
    }

    public static ApiResponse text(String body) {
        return new ApiResponse(200, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, JSON, new byte[0]);
    }

    public static ApiResponse error(ApiException e) {
        var o = JsonViews.MAPPER.createObjectNode();
        o.put("error", e.getMessage());
        if (e.command() != null) o.put("command", e.command());
        return json(e.status(), o);
    }
}
