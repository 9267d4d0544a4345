import psycopg2
import psycopg2.extensions

# The C extension loads, and says which libpq it runs with (its major version: the exact one moves).
print("psycopg2", psycopg2.__version__.split()[0], "libpq", psycopg2.extensions.libpq_version() // 10000)
