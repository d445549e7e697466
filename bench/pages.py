"""Every page Læra serves, timed at national scale on PostgreSQL behind gunicorn.

Builds (once, then reuses) on the competence benchmark's database (bench/competence_gaps.py: one
organisation of 20,000 people, 400 units, 200 competences, two rounds, 8 million assessment rows):

* that organisation made realistic: accounts for a leader (of a department), a coordinator and an
  employee beside its admin, NAV Røyken's plan imported and published at the top, arenas in every
  department;
* a national installation around it: 499 more organisations, each made through the services (admin,
  top unit, method bank) with nine teams and its share of 500,000 people in all.

Then it serves the installation with gunicorn (2 workers) on 127.0.0.1 with Læra's production settings
and bench/site/ (a `Server-Timing` header with the server's own time and query count, and a bare template
view), signs in as each role of the large organisation and as the admin of one of the others, and
follows every same-site link from the start page — one page per URL pattern, as the crawl test does — so
that a new page is measured without anyone listing it. Each page is fetched a few times; the table gives
per page p50/p95 of the server's time, its ratio to the bare view's p95, queries and HTML size. A
throughput figure at 4 concurrent clients follows. The last line is one JSON object. See bench/README.md.
"""

from __future__ import annotations

import html.parser
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

import competence_gaps as base

ROOT = base.ROOT
SITE = Path(__file__).resolve().parent / "site"
PASSWORD = "bench-password-2026"  # noqa: S105 - the benchmark's own accounts, on 127.0.0.1 only
NATIONAL_ORGANISATIONS = 500  # the large one included
NATIONAL_PEOPLE = 500_000
TEAMS_PER_ORGANISATION = 9
DATA_VERSION = "pages-v1"  # change to build the installation around the large organisation again
REPEAT = int(os.environ.get("BENCH_PAGE_REPEAT", "20"))
SLOW = 1.0  # seconds: a page slower than this is fetched twice, not REPEAT times, to bound the run
CONCURRENT_CLIENTS = 4
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_THROUGHPUT_SECONDS", "10"))
GOAL_RATIO = 10
GOAL_KB = 500

ROLES = {
    "admin": "admin@bench.laera.test",
    "leader": "leder@bench.laera.test",
    "coordinator": "koordinator@bench.laera.test",
    "employee": "ansatt@bench.laera.test",
}
SMALL_SLUG = "org-250"
SMALL_ADMIN = f"admin@{SMALL_SLUG}.bench.laera.test"
SKIPPED_ROUTES = {"accounts:logout", "accounts:language"}
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/bench/")
DOWNLOAD_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv", ".json", ".ics", ".md", ".zip")

log = base.log


# The installation ------------------------------------------------------------------------------------


def installation_is_ready() -> bool:
    from laera.organisations.models import Organisation, Person

    marker = Organisation.objects.filter(slug="org-499").first()
    return (
        marker is not None
        and marker.name == f"Kommune 499 ({DATA_VERSION})"
        and Organisation.objects.count() == NATIONAL_ORGANISATIONS
        and Person.objects.count() == NATIONAL_PEOPLE
    )


def build_installation() -> None:
    """The large organisation's roles, plan and arenas, then the other organisations around it."""
    started = time.perf_counter()
    large = _large_organisation()
    _roles(large)
    _plan_and_arenas(large)
    # The leader joined a department past the services, which would have brought the figures up to date:
    # main() brings them up to date before any page is measured.
    log(f"  roles, plan and arenas of the large organisation: {time.perf_counter() - started:.1f} s")
    _national(large)
    elapsed = time.perf_counter() - started
    log(f"  {NATIONAL_ORGANISATIONS} organisations, {NATIONAL_PEOPLE:,} people: {elapsed:.1f} s")
    base.analyze()


def _large_organisation() -> Any:
    from laera.organisations.models import Organisation

    return Organisation.objects.get(slug=base.SLUG)


def _account(person: Any, email: str, role: str) -> None:
    from laera.accounts.models import User
    from laera.organisations.models import Person

    user = User.objects.filter(email=email).first() or User.objects.create_user(email, PASSWORD)
    user.set_password(PASSWORD)
    user.full_name = person.full_name
    user.save()
    Person.objects.filter(pk=person.pk).update(user=user, email=email, role=role)


def _roles(organisation: Any) -> None:
    from laera.core.permissions import Role
    from laera.organisations.models import Membership, Person, Unit

    admin = Person.objects.get(organisation=organisation, role=Role.ADMIN)
    _account(admin, ROLES["admin"], Role.ADMIN)
    department = Unit.objects.get(organisation=organisation, name="Avdeling 01")
    team = Unit.objects.get(organisation=organisation, name="Team 01-01")
    members = list(Person.objects.filter(memberships__unit=team).exclude(pk=admin.pk).order_by("pk")[:3])
    leader, coordinator, employee = members
    _account(leader, ROLES["leader"], Role.LEADER)
    _account(coordinator, ROLES["coordinator"], Role.COORDINATOR)
    _account(employee, ROLES["employee"], Role.EMPLOYEE)
    Unit.objects.filter(pk=department.pk).update(leader=leader)
    Membership.objects.get_or_create(organisation=organisation, person=leader, unit=department)


def _plan_and_arenas(organisation: Any) -> None:
    import dataclasses
    import datetime

    from laera.documents.examples import royken_example
    from laera.mapping.services import ArenaInput, arenas_create
    from laera.organisations.models import Unit
    from laera.plans import services as plans
    from laera.plans.models import PlanStatus

    top = Unit.objects.get(organisation=organisation, parent__isnull=True)
    doc = royken_example()
    doc = dataclasses.replace(doc, evaluation_on=datetime.date(2015, 6, 18))
    plan = plans.plan_import_with_children(actor=None, unit=top, doc=doc)
    plans.plan_set_status(actor=None, plan=plan, status=PlanStatus.PUBLISHED)
    for department in Unit.objects.filter(organisation=organisation, parent=top).order_by("name"):
        arenas_create(
            actor=None,
            unit=department,
            inputs=[
                ArenaInput(name="Fagmøte", starts_on=datetime.date(2026, 1, 6), duration_minutes=60),
                ArenaInput(
                    name="Veiledningsgruppe", starts_on=datetime.date(2026, 1, 8), duration_minutes=90
                ),
            ],
        )


SMALL_COMPETENCES = 20


def small_content_is_ready() -> bool:
    from laera.plans.models import Plan

    return Plan.objects.filter(unit__organisation__slug=SMALL_SLUG).exists()


def small_content() -> None:
    """The kinds of content the large organisation has, in the small one too (job roles, a catalogue with
    requirements, last year's round and this year's with answers, a published plan with its sub-plans,
    arenas), so that comparing the two organisations' query counts compares sizes, not kinds of content."""
    import datetime

    from django.utils import timezone

    from laera.competences.models import (
        Assessment,
        Competence,
        Importance,
        MappingRound,
        Requirement,
        RoundParticipant,
    )
    from laera.competences.services import catalogues, rounds
    from laera.competences.services.figures import figures_invalidate, figures_refresh
    from laera.competences.services.progress import progress_drop, progress_refresh
    from laera.organisations import services as org_services
    from laera.organisations.models import Organisation, Person, Unit

    small = Organisation.objects.get(slug=SMALL_SLUG)
    top = Unit.objects.get(organisation=small, parent__isnull=True)
    roles = [
        org_services.job_role_create(actor=None, organisation=small, name=name)
        for name in ("Veileder", "Saksbehandler")
    ]
    people = list(Person.objects.filter(organisation=small).order_by("pk"))
    for index, role in enumerate(roles):
        Person.objects.filter(pk__in=[p.pk for i, p in enumerate(people) if i % 2 == index]).update(
            job_role=role
        )
    catalogue = catalogues.catalogue_create(actor=None, organisation=small, name="Kompetanse")
    areas = [
        catalogues.area_create(actor=None, catalogue=catalogue, name=f"Område {a + 1}") for a in range(2)
    ]
    competences = Competence.objects.bulk_create(
        Competence(
            organisation=small,
            catalogue=catalogue,
            area=areas[c % 2],
            name=f"Kompetanse {c + 1:02d}",
            position=(c // 2 + 1) * 10,
        )
        for c in range(SMALL_COMPETENCES)
    )
    importance = [Importance.CRITICAL, Importance.IMPORTANT, Importance.USEFUL]
    Requirement.objects.bulk_create(
        Requirement(
            organisation=small,
            competence=competence,
            job_role=role,
            level=1 + (c + r) % 4,
            importance=importance[(c + r) % 3],
        )
        for c, competence in enumerate(competences)
        for r, role in enumerate(roles)
    )
    today = timezone.localdate()
    made = []
    for name, opens, deadline in (
        ("Kartlegging i fjor", today - datetime.timedelta(days=400), today - datetime.timedelta(days=370)),
        ("Kartlegging i år", today - datetime.timedelta(days=10), today + datetime.timedelta(days=20)),
    ):
        made.append(
            rounds.round_create(
                actor=None,
                organisation=small,
                data=rounds.RoundInput(
                    name=name, catalogue=catalogue, units=[top], opens_on=opens, deadline=deadline
                ),
            )
        )
    MappingRound.objects.filter(pk=made[0].pk).update(closed_at=timezone.now() - datetime.timedelta(days=360))
    now = timezone.now()
    for number, round in enumerate(made):
        Assessment.objects.bulk_create(
            (
                Assessment(
                    organisation=small,
                    round=round,
                    person=person,
                    competence=competence,
                    self_level=(p + c + number) % 5,
                    self_at=now,
                    leader_level=(p * 3 + c) % 5 if p % 3 else None,
                    leader_at=now if p % 3 else None,
                    required_level=1 + (c + p % 2) % 4,
                    importance=importance[(c + p % 2) % 3],
                )
                for p, person in enumerate(people)
                for c, competence in enumerate(competences)
            ),
            batch_size=5000,
        )
        RoundParticipant.objects.filter(round=round).update(submitted_at=now, leader_done_at=now)
        figures_invalidate(round)
        progress_drop(round)
    figures_refresh(organisation_id=small.pk)
    progress_refresh(organisation_id=small.pk)
    _plan_and_arenas(small)


def _national(large: Any) -> None:
    """499 organisations made by the service, as an operator makes them, then their teams and people in
    bulk: 500,000 people in the installation with the large organisation's 20,000."""
    from django.db import connection, transaction

    from laera.organisations import services as org_services
    from laera.organisations.models import Membership, Person, Unit

    others = NATIONAL_ORGANISATIONS - 1
    per_organisation, extra = divmod(NATIONAL_PEOPLE - base.PEOPLE, others)
    organisations = []
    with transaction.atomic():
        for number in range(1, NATIONAL_ORGANISATIONS):
            organisation, admin, _password = org_services.organisation_create(
                name=f"Kommune {number:03d} ({DATA_VERSION})",
                slug=f"org-{number}",
                admin_email=f"admin@org-{number}.bench.laera.test",
                admin_name=f"Admin {number}",
            )
            organisations.append((organisation, admin))
        small = next(o for o, _a in organisations if o.slug == SMALL_SLUG)
        _account(Person.objects.get(organisation=small, email=SMALL_ADMIN), SMALL_ADMIN, "admin")
        tops = {
            u.organisation_id: u for u in Unit.objects.filter(parent__isnull=True).exclude(organisation=large)
        }
        Unit.objects.bulk_create(
            Unit(organisation=o, name=f"Team {t + 1}", parent=tops[o.pk])
            for o, _a in organisations
            for t in range(TEAMS_PER_ORGANISATION)
        )
    with connection.cursor() as cursor:
        for index, (organisation, _admin) in enumerate(organisations):
            count = per_organisation - 1 + (1 if index < extra else 0)  # the admin is one of them
            cursor.execute(
                f"""INSERT INTO {base.table(Person)} (created_at, updated_at, version, organisation_id,
                        full_name, email, role, is_active)
                    SELECT now(), now(), 1, %s, 'Person ' || n,
                        'person' || n || '@org-' || %s || '.bench.laera.test', 'employee', true
                    FROM generate_series(1, %s) AS n""",
                [organisation.pk, organisation.slug.removeprefix("org-"), count],
            )
        cursor.execute(
            f"""INSERT INTO {base.table(Membership)}
                    (created_at, updated_at, organisation_id, person_id, unit_id)
                SELECT now(), now(), p.organisation_id, p.id, (
                    SELECT u.id FROM {base.table(Unit)} u
                    WHERE u.organisation_id = p.organisation_id AND u.parent_id IS NOT NULL
                    ORDER BY u.id OFFSET mod(p.id, %s) LIMIT 1)
                FROM {base.table(Person)} p
                WHERE p.organisation_id <> %s
                  AND NOT EXISTS (SELECT 1 FROM {base.table(Membership)} m WHERE m.person_id = p.id)""",
            [TEAMS_PER_ORGANISATION, large.pk],
        )


# The server ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment() -> dict[str, str]:
    data = ROOT / "var" / "bench"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pages_settings",
        "DATABASE_URL": base.DATABASE_URL,
        "SECRET_KEY": "bench-only-secret-key-that-is-long-enough-for-django-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7"),
        "LAERA_DATA_DIR": str(data),
        "STATIC_ROOT": str(data / "static"),
        "PYTHONPATH": os.pathsep.join([str(SITE), str(ROOT)]),
        "LOGIN_CLIENT_ACCOUNT_LIMIT": "1000",
        "LOGIN_ACCOUNT_LIMIT": "1000",
        "LOGIN_CLIENT_LIMIT": "1000",
    }


def start_server() -> tuple[subprocess.Popen[bytes], int]:
    environment = server_environment()
    python = str(Path(sys.executable))
    subprocess.run(
        [python, "-m", "django", "collectstatic", "--noinput", "-v", "0"], env=environment, check=True
    )
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            gunicorn,
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--timeout",
            "120",
            "laera.config.wsgi:application",
        ],
        env={**environment, "WEB_CONCURRENCY": "2"},
    )
    for _attempt in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, port
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


# A client --------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float  # as the client saw it

    @property
    def server_ms(self) -> float:
        return _timing(self.headers, "app")[0]

    @property
    def queries(self) -> int:
        return int(_timing(self.headers, "db")[1] or 0)


def _timing(headers: dict[str, str], name: str) -> tuple[float, str | None]:
    for part in headers.get("server-timing", "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if fields[0] != name:
            continue
        duration = next((float(f[4:]) for f in fields if f.startswith("dur=")), 0.0)
        description = next((f[5:].strip('"') for f in fields if f.startswith("desc=")), None)
        return duration, description
    return 0.0, None


@dataclass
class Client:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://127.0.0.1:{self.port}",
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            }
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        connection.close()
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        return Answer(response.status, data, answer_headers, seconds)

    def sign_in(self, email: str) -> None:
        page = self.request("GET", "/accounts/login/")
        token = _csrf_token(page.body.decode())
        answer = self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "email": email, "password": PASSWORD}
        )
        if answer.status != 302:
            raise RuntimeError(f"signing in as {email} failed: {answer.status}")


def _csrf_token(page: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(page: str, current: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    found = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin(f"http://bench{current}", href))
        parts = urlsplit(url)
        if parts.netloc != "bench" or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        if parts.path.lower().endswith(DOWNLOAD_SUFFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def route_of(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        return str(resolve(urlsplit(path).path).view_name)
    except Resolver404:
        return None


# Measuring -------------------------------------------------------------------------------------------


@dataclass
class Page:
    who: str
    route: str
    path: str
    server_ms: list[float]
    client_ms: list[float]
    queries: int
    kb: float
    status: int

    @property
    def p50(self) -> float:
        return statistics.median(self.server_ms)

    @property
    def p95(self) -> float:
        return p95(self.server_ms)

    @property
    def client_p95(self) -> float:
        return p95(self.client_ms)


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile: with a handful of samples, their worst but one or the worst."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_page(client: Client, path: str) -> tuple[Answer, list[Answer]]:
    first = client.request("GET", path)
    repeat = REPEAT if first.seconds < SLOW else 2
    return first, [client.request("GET", path) for _ in range(repeat)]


def crawl(client: Client, who: str, start: str) -> list[Page]:
    pages: list[Page] = []
    queue = [start]
    seen = {start}
    taken: set[tuple[str, bool]] = set()
    while queue:
        path = queue.pop(0)
        route = route_of(path)
        if route is None or route in SKIPPED_ROUTES:
            continue
        key = (route, "?" in path)
        if key in taken:
            continue
        first, answers = measure_page(client, path)
        if not first.headers.get("content-type", "").startswith("text/html"):
            continue
        taken.add(key)
        pages.append(
            Page(
                who=who,
                route=route + (" ?" if "?" in path else ""),
                path=path,
                server_ms=[a.server_ms for a in answers],
                client_ms=[a.seconds * 1000 for a in answers],
                queries=answers[-1].queries,
                kb=len(first.body) / 1024,
                status=first.status,
            )
        )
        for link in links(first.body.decode(errors="replace"), path):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def throughput(port: int, email: str, paths: list[str], seconds: float) -> float:
    """Requests a second that CONCURRENT_CLIENTS signed-in clients get through `paths`, round robin."""
    done = [0] * CONCURRENT_CLIENTS
    clients = []
    for _ in range(CONCURRENT_CLIENTS):
        client = Client(port)
        if email:
            client.sign_in(email)
        clients.append(client)
    deadline = time.perf_counter() + seconds

    def run(number: int) -> None:
        index = number
        while time.perf_counter() < deadline:
            clients[number].request("GET", paths[index % len(paths)])
            done[number] += 1
            index += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(CONCURRENT_CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def main() -> None:
    base.ensure_database(base.DATABASE_URL)
    base.setup_django()
    base.migrate()
    if not base.data_is_ready():
        log(
            "The competence benchmark's organisation is missing: building it first (bench/competence_gaps.py)"
        )
        from django.db import connections

        connections.close_all()
        base.drop_database(base.DATABASE_URL)
        base.ensure_database(base.DATABASE_URL)
        base.migrate()
        base.generate()
    if not installation_is_ready():
        size = f"{NATIONAL_ORGANISATIONS} organisations, {NATIONAL_PEOPLE:,} people"
        log(f"Building the installation around it: {size} ...")
        build_installation()
    else:
        log("Reusing the installation")
    if not small_content_is_ready():
        started = time.perf_counter()
        small_content()
        base.analyze()  # the planner's statistics, as autovacuum would bring them up to date
        log(f"  the content of {SMALL_SLUG}: {time.perf_counter() - started:.1f} s")
    # The summaries that the writing services keep current, brought up to date after the rows written
    # past them (and built where a newer Læra has added one): one query each when they are current.
    from laera.competences.services.figures import figures_refresh
    from laera.competences.services.progress import progress_refresh

    large = _large_organisation()
    figures_refresh(organisation_id=large.pk)
    progress_refresh(organisation_id=large.pk)
    from django.db import connections

    connections.close_all()

    server, port = start_server()
    try:
        bare_client = Client(port)
        bare_client.request("GET", "/bench/bare/")
        bare_answers = [bare_client.request("GET", "/bench/bare/") for _ in range(50)]
        bare = [a.server_ms for a in bare_answers]
        bare_p95 = p95(bare)
        bare_client_p95 = p95([a.seconds * 1000 for a in bare_answers])
        log(
            f"bare template view: server p50 {statistics.median(bare):.2f} ms, p95 {bare_p95:.2f} ms; "
            f"as the client sees it p95 {bare_client_p95:.2f} ms"
        )
        empty_client = Client(port)
        empty_client.sign_in(ROLES["employee"])
        empty_path = f"/bench/o/{base.SLUG}/empty/"
        empty_client.request("GET", empty_path)
        empty_answers = [empty_client.request("GET", empty_path) for _ in range(50)]
        empty = [a.server_ms for a in empty_answers]
        empty_p95 = p95(empty)
        empty_client_p95 = p95([a.seconds * 1000 for a in empty_answers])
        log(
            f"empty page (the base template, signed in): server p50 {statistics.median(empty):.2f} ms, "
            f"p95 {empty_p95:.2f} ms, {empty_answers[-1].queries} queries; "
            f"as the client sees it p95 {empty_client_p95:.2f} ms"
        )

        pages: list[Page] = []
        visits = [(role, email, f"/o/{base.SLUG}/") for role, email in ROLES.items()]
        visits.append(("admin (small)", SMALL_ADMIN, "/o/org-250/"))
        for who, email, start in visits:
            client = Client(port)
            client.sign_in(email)
            started = time.perf_counter()
            found = crawl(client, who, start)
            log(f"{who}: {len(found)} pages in {time.perf_counter() - started:.1f} s")
            pages += found

        header = (
            f"{'who':<14} {'page':<44} {'p50 ms':>9} {'p95 ms':>9} {'× empty':>8} {'× bare':>8} "
            f"{'client ms':>9} {'queries':>7} {'KB':>7}  path"
        )
        print(header)
        print("-" * len(header))
        for page in sorted(pages, key=lambda p: (p.route, p.who)):
            ratio = page.p95 / bare_p95
            print(
                f"{page.who:<14} {page.route:<44} {page.p50:>9.1f} {page.p95:>9.1f} "
                f"{page.p95 / empty_p95:>8.1f} {ratio:>8.1f} "
                f"{page.client_p95:>9.1f} {page.queries:>7} {page.kb:>7.1f}  {page.path}"
                + ("" if page.status == 200 else f"  ({page.status})")
            )

        # Queries that grow with the organisation: the same page in the large organisation and the small one.
        large = {p.route: p.queries for p in pages if p.who == "admin"}
        small = {p.route: p.queries for p in pages if p.who == "admin (small)"}
        growing = sorted(route for route in large.keys() & small.keys() if large[route] != small[route])

        ordinary = [p.path for p in pages if p.who == "employee"]
        rps = throughput(port, ROLES["employee"], ordinary, THROUGHPUT_SECONDS)
        bare_rps = throughput(port, "", ["/bench/bare/"], THROUGHPUT_SECONDS)
        log(
            f"throughput at {CONCURRENT_CLIENTS} clients: the employee's pages {rps:.1f} requests/s, "
            f"the bare view {bare_rps:.1f} requests/s"
        )
        worst = max(pages, key=lambda p: p.p95)
        largest = max(pages, key=lambda p: p.kb)
        result = {
            "pages": len(pages),
            "bare_p95_ms": round(bare_p95, 3),
            "bare_client_p95_ms": round(bare_client_p95, 3),
            "empty_p95_ms": round(empty_p95, 3),
            "empty_client_p95_ms": round(empty_client_p95, 3),
            "worst_page": f"{worst.route} ({worst.who})",
            "worst_page_path": worst.path,
            "worst_page_p95_ms": round(worst.p95, 1),
            "worst_page_ratio": round(worst.p95 / empty_p95, 1),
            "worst_page_client_ratio": round(worst.client_p95 / empty_client_p95, 1),
            "worst_page_ratio_to_bare_template": round(worst.p95 / bare_p95, 1),
            "largest_page": f"{largest.route} ({largest.who})",
            "largest_page_path": largest.path,
            "largest_page_kb": round(largest.kb, 1),
            "pages_over_ratio_goal": sum(1 for p in pages if p.p95 / empty_p95 > GOAL_RATIO),
            "pages_over_size_goal": sum(1 for p in pages if p.kb > GOAL_KB),
            "queries_differ_between_sizes": growing,
            "throughput_rps": round(rps, 1),
            "bare_throughput_rps": round(bare_rps, 1),
            "organisations": NATIONAL_ORGANISATIONS,
            "people": NATIONAL_PEOPLE,
        }
        print(json.dumps(result), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
