package com.example.greeting;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A greeting service: GET /greeting?name=NAME answers with the greeting and how the JVM was started. */
public final class Application {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getProperty("server.port", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/greeting", Application::greet);
        server.start();
        System.out.println("listening on " + port);
    }

    private static void greet(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String name = "World";
        if (query != null && query.startsWith("name=")) {
            name = URLDecoder.decode(query.substring(5), StandardCharsets.UTF_8);
        }
        String body = String.format(
                "{\"greeting\":\"Hello, %s!\",\"java\":%d,\"egd\":\"%s\",\"tmp\":\"%s\"}%n",
                name,
                Runtime.version().feature(),
                System.getProperty("java.security.egd", ""),
                System.getProperty("java.io.tmpdir"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
