package com.example.orders;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** A small orders service: GET /total sums an order with VAT (BigDecimal) and signs it (SHA-256). */
public final class Main {
    record Line(String sku, int quantity, BigDecimal price) {}

    static String total() throws Exception {
        List<Line> order = List.of(
                new Line("book", 2, new BigDecimal("12.90")),
                new Line("pen", 10, new BigDecimal("0.99")),
                new Line("lamp", 1, new BigDecimal("34.50")));
        BigDecimal net = order.stream()
                .map(l -> l.price().multiply(BigDecimal.valueOf(l.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal gross = net.multiply(new BigDecimal("1.20")).setScale(2, RoundingMode.HALF_EVEN);
        String body = "{\"lines\":" + order.size() + ",\"net\":\"" + net + "\",\"gross\":\"" + gross
                + "\",\"java\":" + Runtime.version().feature() + "}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
        return body.substring(0, body.length() - 1) + ",\"sha256\":\"" + HexFormat.of().formatHex(digest) + "\"}\n";
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/total", exchange -> {
            byte[] out;
            try {
                out = total().getBytes(StandardCharsets.UTF_8);
            } catch (Exception e) {
                out = e.toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        System.out.println("listening on " + port);
    }
}
