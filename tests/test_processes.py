"""The processes `./scripts/up` (Procfile.dev) and docker-compose.yml start: one worker per queue,
and a development server that keeps no database connections."""

import shlex
from pathlib import Path

import yaml
from django.conf import settings
from honcho.environ import parse_procfile

ROOT = Path(__file__).resolve().parent.parent


def procfile() -> dict[str, list[str]]:
    processes = parse_procfile((ROOT / "Procfile.dev").read_text()).processes
    return {name: shlex.split(command) for name, command in processes.items()}


def compose() -> dict[str, list[str]]:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: service["command"] for name, service in services.items() if "command" in service}


def queues_of(command: list[str]) -> set[str]:
    return {
        queue
        for word in command
        if word.startswith("--queues=")
        for queue in word.removeprefix("--queues=").split(",")
    }


def test_the_development_server_keeps_no_database_connections():
    # runserver serves every request on a new thread; a kept connection per thread
    # ran PostgreSQL out of clients.
    web = procfile()["web"]
    assert web[0] == "DATABASE_CONN_MAX_AGE=0" and "runserver" in web


def test_each_queue_has_its_own_worker_in_development_and_in_compose():
    for commands in (procfile(), compose()):
        workers = [queues_of(c) for c in commands.values() if "worker" in c]
        assert sorted(map(sorted, workers)) == [["celery"], ["reports"]]
    assert set(settings.QUEUE_MAX_WAIT_SECONDS) == {"celery", "reports"}
