"""Every user-visible string is translated by hand into all five languages, and the catalogues are current."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PACKAGE_DIR = LOCALE_DIR.parent
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")


def _catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))


def test_the_five_languages_are_configured() -> None:
    assert LANGUAGES == ["nb", "nn", "sv", "da", "en"]
    assert settings.LANGUAGE_CODE == "nb"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_complete(code: str) -> None:
    catalogue = _catalogue(code)
    assert len(catalogue) > 100
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{code}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{code}: fuzzy: {fuzzy[:20]}"
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_survive_translation(code: str) -> None:
    for entry in _catalogue(code):
        pairs = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        )
        for source, text in pairs:
            expected = sorted(PLACEHOLDER.findall(source))
            if entry.msgid_plural:
                # The singular may drop the count, the plural may not.
                expected = sorted(set(expected))
                assert set(PLACEHOLDER.findall(text)) <= set(expected) | set(
                    PLACEHOLDER.findall(entry.msgid)
                ), (code, entry.msgid, text)
            else:
                assert sorted(PLACEHOLDER.findall(text)) == expected, (code, entry.msgid, text)


@pytest.mark.parametrize("code", ["nb", "nn", "sv", "da"])
def test_translations_are_not_english_copies(code: str) -> None:
    """A hand translation differs from the English text, except for names and very short words."""
    catalogue = _catalogue(code)
    copies = [
        e.msgid for e in catalogue if not e.msgid_plural and e.msgstr == e.msgid and len(e.msgid.split()) > 2
    ]
    assert not copies, f"{code}: not translated, only copied: {copies[:20]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is needed to extract strings")
def test_catalogues_hold_every_string_in_the_code(tmp_path: Path) -> None:
    """Extract the strings afresh into a copy and compare: a string added without `make messages` fails."""
    copy = tmp_path / "laera"
    shutil.copytree(
        PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "static", "tests")
    )
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "laera.config.settings.test",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(PACKAGE_DIR.parent),
        },
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))}
    committed = {e.msgid for e in _catalogue("en")}
    missing = sorted(fresh - committed)
    assert not missing, f"Run `make messages` and translate: {missing[:20]}"
