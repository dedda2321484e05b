"""The Chinese catalogue covers every translatable string, and the Chinese UI reads as Chinese."""

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from agency.audit_labels import action_label
from agency.models import Role
from orders.models import InvoiceStatus
from staff.models import CertificateKind
from staff.skills import skill_label
from tests.factories import AuditLogFactory, InvoiceFactory

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale/zh_Hans/LC_MESSAGES/django.po")
# Names and formats a Chinese reader sees as such (file types, product and brand names).
LATIN_ALLOWED = {
    "PDF", "CSV", "JPEG", "PNG", "WebP", "MB", "ID", "UUID", "ISO", "Hearth",
    "Alt", "Shift", "Firefox", "Idempotency", "Key", "API", "JSON",
    # The payment providers' own names for their keys (WeChat Pay, Alipay).
    "APIv", "PEM", "AppID",
    # A signature's record: the network address and the document's hash (issue 20).
    "IP", "SHA",
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*[sdf]|%[sd%]|\{[^}]*\}|<[^>]*>|&\w+;")


def _messages(po: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translated entry, unwrapped by gettext's own tool."""
    text = subprocess.run(
        ["msgattrib", "--translated", "--no-obsolete", "--no-wrap", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pairs = re.findall(
        r'^msgid "(.*)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(.*)"$', text, re.M
    )
    return [(msgid, msgstr) for msgid, msgstr in pairs if msgid]


def _untranslated_and_fuzzy(po: Path) -> str:
    found = []
    for option in ("--untranslated", "--only-fuzzy"):
        found.append(
            subprocess.run(
                ["msgattrib", option, "--no-obsolete", str(po)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
    return "".join(found)


@pytest.mark.slow
def test_every_translatable_string_has_a_chinese_translation(tmp_path):
    # makemessages on a copy of the project: a string in the code that the catalogue
    # lacks arrives untranslated, one whose English changed arrives fuzzy.
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "static", "media", "__pycache__", "*.mo", ".mypy_cache", ".ruff_cache"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location",
         "--ignore=.venv", "--ignore=static"],
        cwd=copy,
        check=True,
        capture_output=True,
    )  # fmt: skip
    po = copy / CATALOGUE
    statistics = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    ).stderr
    assert "fuzzy" not in statistics and "untranslated" not in statistics, (
        "Strings without a Chinese translation (run makemessages and fill them):\n"
        + _untranslated_and_fuzzy(po)
    )


def test_no_chinese_translation_is_left_in_english():
    english = [
        (msgid, msgstr)
        for msgid, msgstr in _messages(ROOT / CATALOGUE)
        if set(re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", msgstr))) - LATIN_ALLOWED
    ]
    assert english == []


def test_chinese_labels_end_in_one_punctuation_mark():
    doubled = [
        msgstr for _, msgstr in _messages(ROOT / CATALOGUE) if re.search(r"[。：；][。：]", msgstr)
    ]
    assert doubled == []


def test_skills_and_certificates_read_differently_in_chinese():
    with translation.override("zh-hans"):
        assert skill_label("childcare") == "育儿"
        assert CertificateKind.CHILDCARE.label == "育婴证"


def test_the_finance_list_says_issued_as_an_invoice_does(world, client_for):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    InvoiceFactory(
        agency=world.a.agency,
        status=InvoiceStatus.ISSUED,
        number="2026-000001",
        issued_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
    )
    html = client_for(world.a.user(Role.FINANCE)).get(reverse("billing_list")).content.decode()
    assert "开票日期" in html and "已开具" in html
    assert "发证日期" not in html


def test_the_audit_log_names_actions_in_the_readers_language(world, client_for):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    AuditLogFactory(agency=world.a.agency, action="complaint.second_response")
    html = client_for(world.a.user(Role.MANAGER)).get(reverse("audit_list")).content.decode()
    assert "投诉第二次响应" in html
    assert ">complaint.second_response<" not in html


def test_an_action_without_a_label_is_shown_as_recorded():
    assert action_label("robot.dance") == "robot.dance"


def test_chinese_form_labels_get_one_full_width_colon():
    class Form(forms.Form):
        agree = forms.BooleanField(label=gettext_lazy("I have read the above and agree."))
        notes = forms.CharField(label=gettext_lazy("notes"))

    with translation.override("zh-hans"):
        form = Form()
        agree, notes = str(form["agree"].label_tag()), str(form["notes"].label_tag())
    assert agree.endswith("。</label>") and "。：" not in agree
    assert notes.endswith("：</label>")
