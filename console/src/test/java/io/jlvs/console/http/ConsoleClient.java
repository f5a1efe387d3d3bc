package io.jlvs.console.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A test client of the HTTP console: one call at a time, with or without the bearer token. */
final class ConsoleClient {
    private final HttpClient http;
    private final String base;

    ConsoleClient(HttpClient http, String base) {
        this.http = http;
        this.base = base;
    }

    ConsoleClient(String base) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null);
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
    }

    HttpResponse<String> post(String path, String json, String token) throws IOException, InterruptedException {
        return send(body(path, "POST", json), token);
    }

    HttpResponse<String> put(String path, String json, String token) throws IOException, InterruptedException {
        return send(body(path, "PUT", json), token);
    }

    HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), token);
    }

    private HttpRequest.Builder body(String path, String method, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    HttpResponse<String> send(HttpRequest.Builder request, String token) throws IOException, InterruptedException {
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
