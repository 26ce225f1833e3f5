"""The English catalogue is complete, and switching the language renders pages in English."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

EN_PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags, line number."""
    entries: list[dict] = []
    entry: dict | None = None
    field = None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            entry, field = None, None
            continue
        if entry is None:
            entry = {"line": number, "flags": [], "msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": []}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] = (entry[field] or "") + value
        else:
            keyword, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(value)
            else:
                field = keyword
                entry[field] = value
    return [e for e in entries if e["msgstr"]]  # drop comment-only (obsolete) blocks


def _label(entry: dict) -> str:
    context = f"[{entry['msgctxt']}] " if entry["msgctxt"] else ""
    return f"line {entry['line']}: {context}{entry['msgid'][:60]}"


@pytest.fixture(scope="module")
def en_entries() -> list[dict]:
    assert EN_PO.exists(), "locale/en/LC_MESSAGES/django.po is missing: run scripts/update-messages.sh"
    return parse_po(EN_PO.read_text(encoding="utf-8"))


def test_locale_en_catalogue_has_every_entry_translated(en_entries):
    untranslated = [_label(e) for e in en_entries[1:] if not all(e["msgstr"])]

    assert untranslated == []


def test_locale_en_catalogue_has_no_fuzzy_entry(en_entries):
    fuzzy = [_label(e) for e in en_entries if "fuzzy" in e["flags"]]

    assert fuzzy == []


def test_locale_en_translations_keep_the_placeholders(en_entries):
    wrong = [
        _label(e)
        for e in en_entries[1:]
        if any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(e["msgid"])) for s in e["msgstr"][:1])
    ]

    assert wrong == []


def test_locale_en_header_declares_english_and_utf8(en_entries):
    header = en_entries[0]

    assert header["msgid"] == ""
    assert "Language: en\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]


def test_locale_parser_reports_empty_and_fuzzy_entries():
    text = (
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        '#: a.py\nmsgid "首页"\nmsgstr "Home"\n\n'
        'msgid "退出"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"第 %(n)s 页"\nmsgstr "Page %(n)s"\n\n'
        'msgctxt "status"\nmsgid "有效"\nmsgid_plural "有效"\nmsgstr[0] "Valid"\nmsgstr[1] ""\n'
    )

    entries = parse_po(text)

    assert [e["msgid"] for e in entries] == ["", "首页", "退出", "第 %(n)s 页", "有效"]
    assert [bool(all(e["msgstr"])) for e in entries[1:]] == [True, False, True, False]
    assert entries[3]["flags"] == ["fuzzy", "python-format"]
    assert entries[4]["msgctxt"] == "status"


@pytest.fixture
def compiled_catalogue(settings, tmp_path):
    """The compiled English catalogue (make test compiles it; a lone pytest run compiles it here)."""
    mo = EN_PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < EN_PO.stat().st_mtime:
        if not shutil.which("msgfmt"):
            pytest.skip("gettext (msgfmt) is not installed")
        temporary = tmp_path / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(temporary), str(EN_PO)], check=True)
        temporary.replace(mo)
    # Changing LOCALE_PATHS makes Django drop catalogues it has already loaded.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


@pytest.mark.django_db
def test_set_language_to_english_renders_the_home_page_in_english(client, compiled_catalogue):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "<title>Culture and Audiovisual Filing Portal</title>" in html
    assert "Network Culture and Audiovisual Programme Filing Portal" in html
    assert ">Log in</a>" in html
    assert ">Register now</a>" in html
    assert ">About us</a>" in html
    assert "立即注册" not in html
    assert 'value="zh-hans" lang="zh-CN">中文</button>' in html


@pytest.mark.django_db
def test_set_language_back_to_chinese(client, compiled_catalogue):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    html = client.get("/pages/about/").content.decode()

    assert '<html lang="zh-CN">' in html
    assert "<title>关于我们</title>" in html


@pytest.mark.django_db
def test_manual_in_english_keeps_settings_phone_numbers(client, compiled_catalogue):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/help/mct/").content.decode()

    assert "If you have a problem, please call customer service: 400-0009373 or 010-85166688." in html
