"""Exit 0 when the PostgreSQL at the URL given answers, 1 otherwise (used by `make test-postgres`)."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except psycopg.Error as error:
    print(f"PostgreSQL: {str(error).strip().splitlines()[0]}", file=sys.stderr)
    sys.exit(1)
