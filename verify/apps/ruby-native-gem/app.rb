require "pqversion"

# What the app reports: its libpq's major version (the exact one differs as the archive moves).
puts "pqversion loaded; libpq #{PqVersion.libpq_version / 10000}"
