// The ledger's schema, as the migrations in sql/ build it: each migration is applied once, in name order.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

struct Migration {
    std::string name;
    int statements;
};

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline std::vector<Migration> apply_migrations(const std::filesystem::path& dir) {
    if (!std::filesystem::is_directory(dir))
        throw std::runtime_error("no migrations folder: " + dir.string());
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".sql") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<Migration> applied;
    for (const auto& file : files) {
        std::string sql = read_file(file);
        int statements = 0;
        for (char c : sql) statements += c == ';';
        if (statements == 0) throw std::runtime_error(file.string() + ": no statement");
        applied.push_back({file.filename().string(), statements});
    }
    return applied;
}
