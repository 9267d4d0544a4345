// ledgerd: applies the migrations in --migrations at start, then serves --assets and its status on port 7070.
#include <algorithm>
#include <arpa/inet.h>
#include <cstring>
#include <iostream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ledger.hpp"

static std::string response(int status, const std::string& type, const std::string& body) {
    std::ostringstream out;
    out << "HTTP/1.1 " << status << (status == 200 ? " OK" : " Not Found") << "\r\nContent-Type: " << type
        << "\r\nContent-Length: " << body.size() << "\r\nConnection: close\r\n\r\n" << body;
    return out.str();
}

int main(int argc, char** argv) {
    std::filesystem::path migrations = "sql", assets = "resources";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--migrations") migrations = argv[i + 1];
        else if (flag == "--assets") assets = argv[i + 1];
    }
    std::vector<Migration> applied;
    std::string index;
    try {
        applied = apply_migrations(migrations);
        index = read_file(assets / "index.html");
    } catch (const std::exception& e) {
        std::cerr << "ledgerd: " << e.what() << std::endl;
        return 1;
    }
    std::ostringstream status;
    status << "applied " << applied.size() << " migrations\n";
    for (const auto& m : applied) status << m.name << ": " << m.statements << " statements\n";
    status << "index.html: " << index.size() << " bytes\n";
    std::cout << status.str() << std::flush;

    int server = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(7070);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(server, 16) != 0) {
        std::cerr << "ledgerd: port 7070: " << std::strerror(errno) << std::endl;
        return 1;
    }
    for (;;) {
        int client = accept(server, nullptr, nullptr);
        if (client < 0) continue;
        char buf[4096];
        ssize_t n = read(client, buf, sizeof buf - 1);
        std::string request(buf, n > 0 ? n : 0);
        std::string path = request.substr(0, request.find("\r\n"));
        std::string reply;
        if (path.rfind("GET /status ", 0) == 0) reply = response(200, "text/plain", status.str());
        else if (path.rfind("GET / ", 0) == 0) reply = response(200, "text/html", index);
        else reply = response(404, "text/plain", "not found\n");
        (void)!write(client, reply.data(), reply.size());
        close(client);
    }
}
