"""Every text field of every form in Læra carries the shared text rules and a maximum length.

The forms are found by importing every module of the project, so a form added later is checked
without editing this file; a form that needs a new keyword to be made must name it in FORM_ARGUMENTS.
"""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

import laera
from laera.core.forms import TEXT_RULES_EXEMPT, StyledForm, TextRulesForm
from laera.core.limits import LINE_MAX_LENGTH, LONG_TEXT_MAX_LENGTH, SECRET_MAX_LENGTH, TextRulesValidator
from laera.core.notices import notice_kinds
from laera.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

SKIPPED_PACKAGES = ("laera.config", "laera.locale")


def _import_every_module() -> None:
    for module in pkgutil.walk_packages(laera.__path__, "laera."):
        name = module.name
        if ".tests" in name or ".migrations" in name or name.startswith(SKIPPED_PACKAGES):
            continue
        importlib.import_module(name)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def project_forms() -> list[type[forms.BaseForm]]:
    _import_every_module()
    return sorted(
        (
            cls
            for cls in _subclasses(forms.BaseForm)
            if cls.__module__.startswith("laera.") and ".tests" not in cls.__module__
        ),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def _request(world: World) -> Any:
    request = RequestFactory().get("/")
    request.user = world.user("admin")
    request.session = {}  # type: ignore[assignment]
    return request


# What each keyword a form asks for is, in the test world.
FORM_ARGUMENTS: dict[str, Callable[[World], Any]] = {
    "actor": lambda w: w.actor("admin"),
    "unit": lambda w: w.team,
    "person": lambda w: w.people["employee"],
    "group": lambda w: w.group,
    "user": lambda w: w.user("admin"),
    "request": _request,
    "email": lambda w: "new@example.org",
    "kinds": lambda w: notice_kinds(),
    "new_account": lambda w: True,
    "creating": lambda w: False,
    "language": lambda w: "nb",
    "catalogue": lambda w: w.extra_objects["catalogue"],
    "area": lambda w: w.extra_objects["area"],
    "levels": lambda w: list(w.extra_objects["catalogue"].levels.all()),
    "competences": lambda w: [w.extra_objects["competence"]],
    "rounds": lambda w: [w.extra_objects["round"]],
    "areas": lambda w: [w.extra_objects["area"]],
    "plan": lambda w: w.extra_objects["plan"],
    "outcome": lambda w: w.extra_objects["outcome"],
    "theme": lambda w: w.extra_objects["theme"],
    "arena": lambda w: w.extra_objects["arena"],
    "round": lambda w: w.extra_objects["round"],
    "existing": lambda w: {},
}
NOT_ARGUMENTS = {"self", "data", "files"}


def _required_arguments(cls: type) -> set[str]:
    """The keywords without a default that any `__init__` along the class's ancestry asks for."""
    names: set[str] = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if parameter.default is parameter.empty and parameter.name not in NOT_ARGUMENTS:
                names.add(parameter.name)
    return names


def _make(cls: type[forms.BaseForm], world: World) -> forms.BaseForm:
    needed = _required_arguments(cls)
    missing = needed - set(FORM_ARGUMENTS)
    assert not missing, f"{cls.__qualname__} needs {sorted(missing)}: add them to FORM_ARGUMENTS"
    form = cls(data={}, **{name: FORM_ARGUMENTS[name](world) for name in needed})  # type: ignore[arg-type]
    form.is_valid()  # fields added after the form was made get the rules before it is cleaned
    return form


def test_the_walk_finds_the_forms() -> None:
    names = {cls.__qualname__ for cls in project_forms()}
    assert {"UnitForm", "ArenaForm", "PlanForm", "CompetenceForm", "LoginForm", "ScaleForm"} <= names


def test_every_text_field_of_every_form_has_the_rules_and_a_length(world: World) -> None:
    problems: list[str] = []
    checked = 0
    for cls in project_forms():
        form = _make(cls, world)
        for name, field in form.fields.items():
            where = f"{cls.__module__}.{cls.__qualname__}.{name}"
            if not isinstance(field, forms.CharField):
                continue
            if field.max_length is None:
                problems.append(f"{where} has no maximum length")
            if isinstance(field, TEXT_RULES_EXEMPT):
                continue  # e-mail addresses keep their own validation
            checked += 1
            rules = [v for v in field.validators if isinstance(v, TextRulesValidator)]
            if len(rules) != 1:
                problems.append(f"{where} has {len(rules)} text-rule validators")
                continue
            textarea = isinstance(field.widget, forms.Textarea)
            if rules[0].multiline != textarea:
                problems.append(
                    f"{where}: line breaks allowed is {rules[0].multiline}, Textarea is {textarea}"
                )
            if field.max_length is not None and field.max_length > max(
                LONG_TEXT_MAX_LENGTH, SECRET_MAX_LENGTH
            ):
                problems.append(f"{where} allows {field.max_length} characters")
    assert not problems, "\n".join(problems)
    assert checked > 50


def test_the_ceilings_of_fields_without_a_length_of_their_own() -> None:
    class Example(StyledForm):
        title = forms.CharField()
        notes = forms.CharField(widget=forms.Textarea)
        secret = forms.CharField(widget=forms.PasswordInput)
        short = forms.CharField(max_length=10)

    form = Example()
    lengths = {name: field.max_length for name, field in form.fields.items()}
    assert lengths == {
        "title": LINE_MAX_LENGTH,
        "notes": LONG_TEXT_MAX_LENGTH,
        "secret": SECRET_MAX_LENGTH,
        "short": 10,
    }
    assert form.fields["notes"].widget.attrs["maxlength"] == str(LONG_TEXT_MAX_LENGTH)
    too_long = Example(data={"title": "t" * (LINE_MAX_LENGTH + 1), "notes": "n", "secret": "s", "short": "s"})
    assert not too_long.is_valid() and "title" in too_long.errors


def test_a_field_added_after_the_form_was_made_gets_the_rules_too() -> None:
    class Late(TextRulesForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["late"] = forms.CharField(label="Late")

    form = Late(data={"late": "a\u202eb"})
    with translation.override("en"):
        assert not form.is_valid()
        assert "Late contains an invisible character" in form.errors["late"][0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Kari \u202egnirts", "Name contains an invisible character that changes the direction of the text"),
        ("Kari \u2066x\u2069", "(U+2066 LEFT-TO-RIGHT ISOLATE)"),
        ("Kari\x00", "Name contains a control character (U+0000)"),
        ("Ka\x85ri", "Name contains a control character (U+0085)"),
        ("Kari\ufffe", "Name contains a code that is not a character (U+FFFE)"),
        ("Kari\nNordmann", "Name must be on one line"),
    ],
)
def test_a_single_line_field_refuses_hidden_and_control_characters(value: str, message: str) -> None:
    class Example(StyledForm):
        name = forms.CharField(label="Name", max_length=200)

    with translation.override("en"):
        form = Example(data={"name": value})
        assert not form.is_valid()
        (error,) = form.errors["name"]  # one message, naming the field
        assert message in error


def test_multi_line_text_keeps_tabs_and_line_breaks_and_nordic_letters() -> None:
    class Example(StyledForm):
        text = forms.CharField(widget=forms.Textarea)

    form = Example(data={"text": "Første linje\n\tandre linje\r\nÆØÅ «sitat» – ok"})
    assert form.is_valid(), form.errors


def test_passwords_keep_any_printable_character() -> None:
    class Example(StyledForm):
        password = forms.CharField(widget=forms.PasswordInput, strip=False)

    assert Example(data={"password": "pass \u202e ord ÆØÅ"}).is_valid()
    assert not Example(data={"password": "pass\x00"}).is_valid()


# Through the pages ----------------------------------------------------------------------------------


def _admin(world: World) -> Client:
    user = world.user("admin")
    user.language = "en"
    user.save(update_fields=["language"])
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Team \u202eevil", "Name contains an invisible character that changes the direction of the text"),
        ("Team\x00", "Name contains a control character (U+0000)"),
    ],
)
def test_the_unit_page_refuses_a_name_with_the_message(world: World, value: str, message: str) -> None:
    from laera.organisations.models import Unit

    before = Unit.objects.filter(organisation=world.organisation).count()
    response = _admin(world).post(
        reverse("organisations:unit_create", kwargs={"org_slug": world.organisation.slug}),
        {"name": value, "parent": world.top.pk},
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert Unit.objects.filter(organisation=world.organisation).count() == before


def test_the_arena_page_refuses_a_direction_override_and_an_over_long_purpose(world: World) -> None:
    from laera.mapping.models import Arena

    before = Arena.objects.filter(unit__organisation=world.organisation).count()
    response = _admin(world).post(
        reverse("mapping:arena_create", kwargs={"org_slug": world.organisation.slug}),
        {
            "unit": world.team.pk,
            "name": "Fagmøte \u202e",
            "kind": "internal",
            "recurrence": "on_demand",
            "purpose": "p" * (LONG_TEXT_MAX_LENGTH + 1),
        },
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Name contains an invisible character that changes the direction of the text" in page
    assert f"Ensure this value has at most {LONG_TEXT_MAX_LENGTH} characters" in page
    assert Arena.objects.filter(unit__organisation=world.organisation).count() == before
