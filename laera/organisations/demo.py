"""NAV Røyken, spring 2015: its units, people, job roles and working group, from the appendix of the KLAR
guide (003_8a0b773b4c09b074.txt; docs/product.md §6 and §7).

Idempotent: every object is looked up by its natural key before it is created through a service.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from laera.core.demo import DEMO_SLUG
from laera.core.hooks import register_hook
from laera.core.permissions import Role

from . import services
from .models import JobRole, Membership, Organisation, Person, Unit, WorkingGroupMeeting
from .selectors import DEMO_ACCOUNTS

DEMO_PASSWORD = "demo"  # noqa: S105 - the published password of the demo accounts

UNITS = [
    # (name, parent, description)
    ("NAV Røyken", None, "NAV-kontoret i Røyken kommune."),
    ("Oppfølgingsteam", "NAV Røyken", "Arbeidsrettet oppfølging av brukere."),
    ("Mottaksteam", "NAV Røyken", "Mottak, publikumsmottak og kartlegging av nye brukere."),
    ("Sykefraværsteam", "NAV Røyken", "Oppfølging av sykmeldte og arbeidsgivere (SYFO)."),
    (
        "Sosialtjenesten",
        "NAV Røyken",
        "Økonomisk sosialhjelp, boligsosialt arbeid og Lov om sosiale tjenester i NAV.",
    ),
    ("SE-prosjektet", "Oppfølgingsteam", "Supported Employment: jobbveiledere og delprosjektleder."),
]

JOB_ROLES = [
    ("NAV-leder", "Leder for NAV-kontoret."),
    ("Mellomleder", "Teamleder med personalansvar."),
    ("Fagansvarlig", "Har faglig ansvar og veileder kolleger."),
    ("NAV-veileder", "Veileder brukere om arbeid, ytelser og tjenester."),
    ("Jobbveileder", "Følger opp brukere og arbeidsgivere etter Supported Employment-metodikken."),
    ("Delprosjektleder", "Leder et delprosjekt, for eksempel SE-prosjektet."),
    ("Sosialfaglig veileder", "Arbeider etter Lov om sosiale tjenester i NAV."),
    ("HR-rådgiver", "Personal og kompetanse."),
]

# (name, e-mail, job role, role, units)
PEOPLE = [
    ("Ole Petter Gravningen", "leder@demo.laera.no", "NAV-leder", Role.LEADER, ["NAV Røyken"]),
    ("Hanne Berg", "admin@demo.laera.no", "HR-rådgiver", Role.ADMIN, ["NAV Røyken"]),
    (
        "Kari Nordby",
        "koordinator@demo.laera.no",
        "Fagansvarlig",
        Role.COORDINATOR,
        ["NAV Røyken", "Oppfølgingsteam"],
    ),
    ("Lars Haugen", "ansatt@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Oppfølgingsteam"]),
    ("Hilde Solberg", "hilde.solberg@demo.laera.no", "Mellomleder", Role.LEADER, ["Oppfølgingsteam"]),
    ("Trond Aasen", "trond.aasen@demo.laera.no", "Mellomleder", Role.LEADER, ["Mottaksteam"]),
    ("Ingrid Bakke", "ingrid.bakke@demo.laera.no", "Mellomleder", Role.LEADER, ["Sykefraværsteam"]),
    (
        "Merethe Lunde",
        "merethe.lunde@demo.laera.no",
        "Fagansvarlig",
        Role.EMPLOYEE,
        ["Oppfølgingsteam", "SE-prosjektet"],
    ),
    ("Anders Lie", "anders.lie@demo.laera.no", "Delprosjektleder", Role.EMPLOYEE, ["SE-prosjektet"]),
    ("Espen Moe", "espen.moe@demo.laera.no", "Jobbveileder", Role.EMPLOYEE, ["SE-prosjektet"]),
    ("Silje Eriksen", "silje.eriksen@demo.laera.no", "Jobbveileder", Role.EMPLOYEE, ["SE-prosjektet"]),
    ("Marit Johansen", "marit.johansen@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Oppfølgingsteam"]),
    ("Tor Kristiansen", "tor.kristiansen@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Oppfølgingsteam"]),
    ("Nina Larsen", "nina.larsen@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Mottaksteam"]),
    ("Ahmed Hassan", "ahmed.hassan@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Mottaksteam"]),
    ("Sara Pedersen", "sara.pedersen@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Mottaksteam"]),
    ("Jon Olsen", "jon.olsen@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Sykefraværsteam"]),
    ("Ragnhild Dahl", "ragnhild.dahl@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Sykefraværsteam"]),
    ("Eirik Halvorsen", "eirik.halvorsen@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Sykefraværsteam"]),
    ("Mona Nilsen", "mona.nilsen@demo.laera.no", "Sosialfaglig veileder", Role.EMPLOYEE, ["Sosialtjenesten"]),
    ("Fatima Ali", "fatima.ali@demo.laera.no", "Sosialfaglig veileder", Role.EMPLOYEE, ["Sosialtjenesten"]),
    ("Per Jacobsen", "per.jacobsen@demo.laera.no", "Fagansvarlig", Role.EMPLOYEE, ["Sosialtjenesten"]),
    ("Linda Strand", "linda.strand@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Oppfølgingsteam"]),
    # Enough people per team for the competence gap figures to show above the privacy threshold.
    ("Kristin Haug", "kristin.haug@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Mottaksteam"]),
    ("Bjørn Sandvik", "bjorn.sandvik@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Mottaksteam"]),
    ("Camilla Vik", "camilla.vik@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Mottaksteam"]),
    ("Geir Solheim", "geir.solheim@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Sykefraværsteam"]),
    ("Tone Aune", "tone.aune@demo.laera.no", "NAV-veileder", Role.EMPLOYEE, ["Sykefraværsteam"]),
    ("Henrik Berge", "henrik.berge@demo.laera.no", "Fagansvarlig", Role.EMPLOYEE, ["Sykefraværsteam"]),
    ("Hege Lund", "hege.lund@demo.laera.no", "Sosialfaglig veileder", Role.EMPLOYEE, ["Sosialtjenesten"]),
    ("Eva Hansen", "eva.hansen@demo.laera.no", "Sosialfaglig veileder", Role.EMPLOYEE, ["Sosialtjenesten"]),
    (
        "Kjetil Brekke",
        "kjetil.brekke@demo.laera.no",
        "Sosialfaglig veileder",
        Role.EMPLOYEE,
        ["Sosialtjenesten"],
    ),
]

UNIT_LEADERS = {
    "NAV Røyken": "leder@demo.laera.no",
    "Oppfølgingsteam": "hilde.solberg@demo.laera.no",
    "Mottaksteam": "trond.aasen@demo.laera.no",
    "Sykefraværsteam": "ingrid.bakke@demo.laera.no",
    "Sosialtjenesten": "leder@demo.laera.no",
    "SE-prosjektet": "hilde.solberg@demo.laera.no",
}

DEMO_ACCOUNT_EMAILS = {
    "leder@demo.laera.no",
    "admin@demo.laera.no",
    "koordinator@demo.laera.no",
    "ansatt@demo.laera.no",
}

WORKING_GROUP = {
    "unit": "NAV Røyken",
    "members": [
        "koordinator@demo.laera.no",
        "marit.johansen@demo.laera.no",
        "espen.moe@demo.laera.no",
        "trond.aasen@demo.laera.no",
    ],
    "lead": "koordinator@demo.laera.no",
    "minute_taker": "marit.johansen@demo.laera.no",
    "mandate": (
        "Kartlegge kunnskapsflyten og læringsarenaene i kontoret, samle innspill fra de ansatte og "
        "brukerutvalget, og legge fram et forslag til plan for læring for våren 2015 for ledelsen. "
        "Gruppa representerer ulike yrkesgrupper og team i kontoret."
    ),
    "deadline": datetime.date(2015, 2, 13),
}

MEETINGS = [
    (
        datetime.date(2015, 1, 8),
        "marit.johansen@demo.laera.no",
        "Til stede: Kari Nordby (leder), Marit Johansen (referent), Espen Moe, Trond Aasen.\n\n"
        "1. Mandat og tidsramme gjennomgått. Planen skal gjelde våren 2015 og evalueres i juni.\n"
        "2. Idémyldring på flip-over om kunnskapsflyten i kontoret etter Sveibys ni "
        "kunnskapsoverføringer. Mye skjer mellom individer: fadderordning, kollegaveiledning, "
        "skulder til skulder-læring og at to ansatte er felles om en bruker.\n"
        "3. Vi ble enige om hvordan overføringene skal omtales i kontoret, slik at alle forstår "
        "det samme.\n\n"
        "Til neste møte: Kari fører idémyldringen inn i tabeller; Trond lister opp arenaene.",
    ),
    (
        datetime.date(2015, 1, 22),
        "marit.johansen@demo.laera.no",
        "Til stede: alle.\n\n"
        "1. Arenaene gjennomgått: kontormøte hver 14. dag, teammøter hver uke, sosialfaglig møte, "
        "personalseminar, SE-møter, MI-veiledningsgrupper hver 3. uke med mer.\n"
        "2. Ansvar: hvem har det formelle ansvaret, og hvem tar det i den daglige driften?\n"
        "3. Innspill til temaer samles på tavla på kontormøtet 29. januar. Brukerutvalget drøfter "
        "temaer på sitt møte og sender forslag innen 6. februar.",
    ),
]


@register_hook("demo_organisation")
def ensure_organisation() -> Organisation:
    organisation = Organisation.objects.filter(slug=DEMO_SLUG).first()
    if organisation is None:
        organisation, _person, _password = services.organisation_create(
            name="NAV Røyken",
            slug=DEMO_SLUG,
            admin_email="admin@demo.laera.no",
            admin_name="Hanne Berg",
            default_language="nb",
            is_demo=True,
        )
    return organisation


# The first loader: the others build on its units, people and job roles.
@register_hook("demo_load", order=10)
def load(organisation: Organisation) -> None:
    """Units, job roles, people, leaders, the office's working group and its minutes."""
    units = {u.name: u for u in Unit.objects.for_org(organisation)}
    for name, parent, description in UNITS:
        if name not in units:
            units[name] = services.unit_create(
                actor=None,
                organisation=organisation,
                name=name,
                parent=units[parent] if parent else None,
                description=description,
            )
        elif not units[name].description:
            units[name].description = description
            units[name].save(update_fields=["description", "updated_at"])

    roles = {r.name: r for r in JobRole.objects.for_org(organisation)}
    for name, description in JOB_ROLES:
        if name not in roles:
            roles[name] = services.job_role_create(
                actor=None, organisation=organisation, name=name, description=description
            )

    people = {p.email: p for p in Person.objects.for_org(organisation)}
    for full_name, email, job_role, role, unit_names in PEOPLE:
        person = people.get(email)
        if person is None:
            person = services.person_create(
                actor=None,
                organisation=organisation,
                full_name=full_name,
                email=email,
                job_role=roles[job_role],
                role=role,
                units=[units[n] for n in unit_names],
            )
            people[email] = person
        else:
            Person.objects.filter(pk=person.pk).update(
                full_name=full_name, job_role=roles[job_role], role=role
            )
            for unit_name in unit_names:
                Membership.objects.get_or_create(
                    organisation=organisation, person=person, unit=units[unit_name]
                )

    User = get_user_model()
    for user in User.objects.filter(email__in=DEMO_ACCOUNT_EMAILS):
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])

    for unit_name, email in UNIT_LEADERS.items():
        Unit.objects.filter(pk=units[unit_name].pk).update(leader=people[email])

    unit = Unit.objects.get(pk=units[WORKING_GROUP["unit"]].pk)
    for email in WORKING_GROUP["members"]:  # type: ignore[attr-defined]
        services.working_group_member_add(actor=None, unit=unit, person=people[email])
    services.working_group_update(
        actor=None,
        unit=unit,
        mandate=str(WORKING_GROUP["mandate"]),
        deadline=WORKING_GROUP["deadline"],  # type: ignore[arg-type]
        lead=people[str(WORKING_GROUP["lead"])],
        minute_taker=people[str(WORKING_GROUP["minute_taker"])],
        version=None,  # the demo loader: no form to compare with
    )
    group = unit.working_group
    for held_on, minute_taker, minutes in MEETINGS:
        if not WorkingGroupMeeting.objects.filter(group=group, held_on=held_on).exists():
            services.meeting_create(
                actor=None, unit=unit, held_on=held_on, minutes=minutes, minute_taker=people[minute_taker]
            )


@register_hook("demo_accounts")
def demo_accounts() -> list[tuple[str, str]]:
    return list(DEMO_ACCOUNTS)
