require "mkmf"
# libpq's headers, where pg_config (libpq-dev) says they are.
incdir = `pg_config --includedir`.strip
$CPPFLAGS << " -I#{incdir}" unless incdir.empty?
abort "libpq-fe.h is missing (install libpq-dev)" unless have_header("libpq-fe.h")
abort "libpq is missing (install libpq-dev)" unless have_library("pq", "PQlibVersion")
create_makefile("pqversion/pqversion")
