"""The base fixture set: two agencies, each with one user per role.

Every test can try the outsider: `world.b` is the other agency.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from agency.models import Agency, Branch, Membership, Role, User
from agency.sms import LocmemSMSBackend
from tests.factories import AgencyFactory, BranchFactory, MembershipFactory

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

#: Where every test's clock starts: an ordinary office hour in the middle of a week and of a
#: month, far from midnight in both UTC and the agencies' Asia/Shanghai. A test that needs
#: another moment (late evening, a weekend, a deadline) travels there itself.
PINNED_NOW = datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@dataclass
class Tenant:
    agency: Agency
    branch: Branch
    members: dict[Role, Membership]

    def user(self, role: Role) -> User:
        return self.members[role].user


@dataclass
class World:
    a: Tenant
    b: Tenant


def make_tenant(slug: str, name: str) -> Tenant:
    agency = AgencyFactory(slug=slug, name=name)
    branch = BranchFactory(agency=agency)
    members = {
        role: MembershipFactory(
            agency=agency,
            role=role,
            branch=branch if role == Role.STAFF else None,
            user__username=f"{slug}-{role.value}",
        )
        for role in Role
    }
    return Tenant(agency=agency, branch=branch, members=members)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    """Every test starts at PINNED_NOW, so no result depends on the hour the suite runs.

    The clock then runs on (tick) so that rows written one after another keep their order
    and a beat in a worker thread still finds its entries due. Browser tests are left on the
    wall clock: Chromium's clock, which decides whether a cookie has expired, cannot be moved
    from here. scripts/test runs them (and a sample of the pinned tests) a second time at an
    awkward wall-clock instant to prove the point.
    """
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Services called directly speak the active language; requests choose their own.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Texts "sent" during a test, like Django's mail.outbox for email."""
    settings.SMS_BACKEND = "agency.sms.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    LocmemSMSBackend.keys.clear()
    return LocmemSMSBackend.outbox


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads (photos, scans) land in the test's own directory, never in the project."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    return World(a=make_tenant("alpha", "Alpha 家政"), b=make_tenant("bravo", "Bravo Home"))


def login(client: Client, user: User) -> Client:
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def client_for(client: Client):
    """`client_for(user)`: the test client, logged in as that user."""

    def _client_for(user: User) -> Client:
        return login(client, user)

    return _client_for


@pytest.fixture
def broker_down(monkeypatch):
    """Celery's broker at a closed port, as when Redis is stopped: every send fails."""
    from config.celery import app

    # Sends go to the write URL; the plain broker URL gives way to CELERY_BROKER_URL.
    monkeypatch.setitem(app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    # Celery keeps its connections in pools built on first use: start from none.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)


@dataclass
class DocumentBuilds:
    """Documents asked for as a person asks: the first answer says "being prepared" and
    sends the build after commit; the build runs as the reports queue's worker runs it (the
    routed task, in this process); the next answer is the stored file."""

    capture_on_commit: Any
    #: (task name, args, queue it is routed to) of every task sent.
    sent: list[tuple[str, list[Any], str]]

    def ask(self, client: Client, url: str, **extra: Any) -> Any:
        """One request, its after-commit sends recorded, nothing built."""
        from config.celery import app

        def record(name: str, args: Any = (), **options: Any) -> None:
            queue = app.amqp.router.route(options, name, args)["queue"].name
            self.sent.append((name, list(args), queue))

        with (
            mock.patch.object(app, "send_task", side_effect=record),
            self.capture_on_commit(execute=True),
        ):
            return client.get(url, **extra)

    def run_sent(self) -> None:
        """What a worker does with the tasks sent so far: run each once."""
        from config.celery import app

        app.loader.import_default_modules()  # the apps' tasks, as a worker loads them
        sent, self.sent[:] = list(self.sent), []
        for name, args, _queue in sent:
            app.tasks[name].apply(args=args, throw=True)

    def fetch(self, client: Client, url: str, **extra: Any) -> Any:
        """The document at `url` once its build has run: its (streamed) response."""
        first = self.ask(client, url, **extra)
        assert first.status_code == 202, (first.status_code, first.content[:300])
        assert first["Retry-After"]
        assert [(name, queue) for name, _args, queue in self.sent] == [
            ("agency.tasks.build_document", "reports")
        ]
        self.run_sent()
        return client.get(url, **extra)


@pytest.fixture
def documents(django_capture_on_commit_callbacks) -> DocumentBuilds:
    return DocumentBuilds(capture_on_commit=django_capture_on_commit_callbacks, sent=[])
