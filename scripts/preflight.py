"""Check that PostgreSQL and Redis answer, and say how to start them if not.

With --create-database, also create the application database when missing.
Reads DATABASE_URL and REDIS_URL with the same defaults as config/settings.py.
"""

import argparse
import os
import sys
from collections.abc import Mapping
from typing import Any

import dj_database_url
import psycopg
import redis
from psycopg import sql

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hearth"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--create-database", action="store_true")
    args = parser.parse_args()
    database = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    ok = check_postgres(database, create=args.create_database)
    ok = check_redis(redis_url) and ok
    return 0 if ok else 1


def check_postgres(database: Mapping[str, Any], *, create: bool) -> bool:
    where = f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"
    try:
        conn = psycopg.connect(
            host=database["HOST"],
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"],
            dbname="postgres",
            connect_timeout=3,
            autocommit=True,
        )
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL is not reachable at {where}: {exc}".strip(), file=sys.stderr)
        print(
            "Start it with: sudo pg_ctlcluster $(ls /etc/postgresql) main start\n"
            "or point DATABASE_URL at a running server.",
            file=sys.stderr,
        )
        return False
    with conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]
        ).fetchone()
        if not exists and create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
            print(f"Created database {database['NAME']}")
    return True


def check_redis(url: str) -> bool:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        print(f"Redis is not reachable at {url}: {exc}", file=sys.stderr)
        print(
            "Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379\n"
            "or point REDIS_URL at a running server.",
            file=sys.stderr,
        )
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
