"""NAV Røyken's arenas as the KLAR guide lists them, and a knowledge-flow map for the office.

The guide is 003_8a0b773b4c09b074.txt, a source named in docs/product.md §7; its arenas are listed in §3.2.

The map starts from the guide's own example for transfer 1 and fills the others plausibly; transfer 8
(from internal to external structure) is left empty, as a gap for the working group to see.
"""

from __future__ import annotations

import datetime

from laera.core.hooks import register_hook
from laera.organisations.models import JobRole, Organisation, Person, Unit

from . import services
from .models import Arena, KnowledgeFlow, Recurrence

D = datetime.date
R = Recurrence

# name, unit, kind, recurrence, times a year, first meeting, minutes, purpose, participants, responsible
ARENAS: list[dict[str, object]] = [
    {
        "name": "Kontormøte",
        "unit": "NAV Røyken",
        "recurrence": R.EVERY_2_WEEKS,
        "starts": D(2015, 1, 8),
        "minutes": 90,
        "purpose": "Saker som angår hele kontoret i forhold til generell utvikling i NAV på systemnivå.",
        "all": True,
        "responsible": "leder@demo.laera.no",
        "informal": "koordinator@demo.laera.no",
    },
    {
        "name": "Teammøte/fagmøte Oppfølgingsteam",
        "unit": "Oppfølgingsteam",
        "recurrence": R.WEEKLY,
        "starts": D(2015, 1, 6),
        "minutes": 60,
        "purpose": "Fagmøte i teamet.",
        "units": ["Oppfølgingsteam"],
        "responsible": "hilde.solberg@demo.laera.no",
    },
    {
        "name": "Teammøte/fagmøte Mottaksteam",
        "unit": "Mottaksteam",
        "recurrence": R.WEEKLY,
        "starts": D(2015, 1, 7),
        "minutes": 60,
        "purpose": "Fagmøte i teamet.",
        "units": ["Mottaksteam"],
        "responsible": "trond.aasen@demo.laera.no",
    },
    {
        "name": "Teammøte/fagmøte Sykefraværsteam",
        "unit": "Sykefraværsteam",
        "recurrence": R.WEEKLY,
        "starts": D(2015, 1, 7),
        "minutes": 60,
        "purpose": "Fagmøte i teamet.",
        "units": ["Sykefraværsteam"],
        "responsible": "ingrid.bakke@demo.laera.no",
    },
    {
        "name": "Sosialfaglig møte",
        "unit": "NAV Røyken",
        "recurrence": R.WEEKLY,
        "starts": D(2015, 1, 9),
        "minutes": 60,
        "purpose": "Fagmøte for saker som omhandler Lov om sosiale tjenester i NAV.",
        "all": True,
        "responsible": "per.jacobsen@demo.laera.no",
    },
    {
        "name": "Individuell veiledning",
        "unit": "NAV Røyken",
        "recurrence": R.ON_DEMAND,
        "purpose": "Organisert individuell veiledning med teamleder eller fagansvarlig etter behov.",
        "all": True,
        "informal": "koordinator@demo.laera.no",
    },
    {
        "name": "Personalseminar",
        "unit": "NAV Røyken",
        "recurrence": R.YEARLY,
        "starts": D(2015, 4, 22),
        "minutes": 960,
        "purpose": "Årlig seminar for hele kontoret, brukt til utvikling, deling og spredning.",
        "all": True,
        "responsible": "leder@demo.laera.no",
    },
    {
        "name": "Kollegaveiledning «skulder til skulder»",
        "unit": "NAV Røyken",
        "recurrence": R.ON_DEMAND,
        "purpose": "Kolleger veileder hverandre i det daglige arbeidet.",
        "all": True,
        "informal": "merethe.lunde@demo.laera.no",
    },
    {
        "name": "SE-møte",
        "unit": "SE-prosjektet",
        "recurrence": R.WEEKLY,
        "starts": D(2015, 1, 5),
        "minutes": 60,
        "purpose": "Ukentlig møte i prosjektet Supported Employment.",
        "units": ["SE-prosjektet"],
        "responsible": "anders.lie@demo.laera.no",
    },
    {
        "name": "Veiledningsgrupper MI",
        "unit": "NAV Røyken",
        "recurrence": R.EVERY_3_WEEKS,
        "starts": D(2015, 1, 13),
        "minutes": 120,
        "purpose": "Veiledning med fokus på motiverende intervju (MI) som samtalemetodikk. "
        "Alle veiledere deltar; kontoret er delt i 3 grupper à 7–8.",
        "roles": ["NAV-veileder", "Jobbveileder"],
        "responsible": "koordinator@demo.laera.no",
    },
    {
        "name": "Tiltaksutvalg NAV Lier/Røyken og Hurum",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.ON_DEMAND,
        "purpose": (
            "Kunnskapsspredning og utvikling av tiltaksbasen i regionen med bakgrunn i felles budsjett."
        ),
        "roles": ["Mellomleder"],
        "groups": "NAV Lier, NAV Hurum",
    },
    {
        "name": "Fagsamlinger i regi av NAV Buskerud",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.ON_DEMAND,
        "purpose": "Ulike temaer, alltid med sikte på utvikling av kunnskap.",
        "external": "NAV Buskerud",
        "all": True,
    },
    {
        "name": "Samarbeidsforum med NAV Buskerud Arbeidslivssenter",
        "unit": "SE-prosjektet",
        "kind": "external",
        "recurrence": R.MONTHLY,
        "starts": D(2015, 1, 20),
        "minutes": 120,
        "purpose": "Samarbeidsforum; delprosjektleder og to jobbveiledere deltar.",
        "people": ["anders.lie@demo.laera.no", "espen.moe@demo.laera.no", "silje.eriksen@demo.laera.no"],
        "external": "NAV Buskerud Arbeidslivssenter",
    },
    {
        "name": "Bedriftsbesøk",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.ON_DEMAND,
        "purpose": "Formelle og uformelle samarbeidsarenaer med lokalt næringsliv. "
        "Samarbeidsavtale med Røyken "
        "kommune.",
        "units": ["Sykefraværsteam", "Oppfølgingsteam"],
        "groups": "Lokalt næringsliv",
    },
    {
        "name": "Ledersamlinger og mellomledersamlinger",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.TIMES_PER_YEAR,
        "times": 6,
        "starts": D(2015, 1, 15),
        "minutes": 360,
        "purpose": "Samlinger for leder og mellomledere.",
        "roles": ["NAV-leder", "Mellomleder"],
        "external": "NAV Buskerud",
    },
    {
        "name": "Tverrsektorielle møter med Røyken kommune",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.EVERY_6_WEEKS,
        "starts": D(2015, 1, 14),
        "minutes": 120,
        "purpose": "For eksempel Oppvekstteam 16–24. Utvalgte veiledere og mellomleder deltar.",
        "roles": ["Mellomleder"],
        "groups": "Røyken kommune",
    },
    {
        "name": "Politiske utvalg",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.ON_DEMAND,
        "purpose": "Ledere og fagansvarlige deltar etter behov.",
        "roles": ["NAV-leder", "Fagansvarlig"],
        "groups": "Røyken kommune",
    },
    {
        "name": "Boligsosialt arbeid og boligtildeling",
        "unit": "Sosialtjenesten",
        "kind": "external",
        "recurrence": R.ON_DEMAND,
        "purpose": "Boligsosialt arbeid og boligtildeling i kommunen.",
        "people": ["per.jacobsen@demo.laera.no"],
        "groups": "Røyken kommune",
    },
    {
        "name": "Eksterne kurs",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.ON_DEMAND,
        "purpose": (
            "Diverse eksterne kurs, både kompetanseheving og kunnskapsspredning; gjelder alle etter behov."
        ),
        "all": True,
    },
    {
        "name": "Legemøter",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.TIMES_PER_YEAR,
        "times": 2,
        "starts": D(2015, 3, 12),
        "minutes": 120,
        "purpose": "Med alle fastleger i kommunen, utvalgte veiledere og NAV-leder.",
        "people": ["leder@demo.laera.no"],
        "units": ["Sykefraværsteam"],
        "groups": "Fastleger i kommunen",
    },
    {
        "name": "Samarbeid med lokalt næringsråd",
        "unit": "NAV Røyken",
        "kind": "external",
        "recurrence": R.ON_DEMAND,
        "purpose": "Samarbeid med det lokale næringsrådet.",
        "groups": "Lokalt næringsråd",
        "responsible": "leder@demo.laera.no",
    },
]

# transfer, activity, arena (mapped name or free text), formal responsible, informal responsible (e-mail)
FLOWS: list[tuple[int, str, str, str, str]] = [
    (1, "Fadderordning", "Booke i kalender", "Daglig drift", "koordinator@demo.laera.no"),
    (1, "Kollegaveiledning", "IT-plattform", "Daglig drift", "merethe.lunde@demo.laera.no"),
    (1, "Skulder til skulder-læring", "Veiledningsplattformen", "Daglig drift", ""),
    (1, "To ansatte er felles om en bruker", "", "Daglig drift", ""),
    (
        2,
        "Jobbveiledere forteller om SE-metodikken",
        "Samarbeidsforum med NAV Buskerud Arbeidslivssenter",
        "anders.lie@demo.laera.no",
        "espen.moe@demo.laera.no",
    ),
    (
        2,
        "Veiledere orienterer fastlegene om oppfølging av sykmeldte",
        "Legemøter",
        "leder@demo.laera.no",
        "ingrid.bakke@demo.laera.no",
    ),
    (
        3,
        "Forelesning fra Høgskolen i Østfold om SE",
        "Personalseminar",
        "leder@demo.laera.no",
        "koordinator@demo.laera.no",
    ),
    (3, "Innspill fra brukerutvalget", "Brukerutvalget", "leder@demo.laera.no", ""),
    (
        3,
        "Læring fra bedriftsbesøk",
        "Bedriftsbesøk",
        "hilde.solberg@demo.laera.no",
        "tor.kristiansen@demo.laera.no",
    ),
    (3, "Fagsamlinger med nye temaer", "Fagsamlinger i regi av NAV Buskerud", "NAV Buskerud", ""),
    (
        4,
        "Erfaringer fra MI-gruppene skrives inn i veiledningsplattformen",
        "Veiledningsgrupper MI",
        "koordinator@demo.laera.no",
        "marit.johansen@demo.laera.no",
    ),
    (
        4,
        "Rutinen for mottak oppdateres etter teammøtene",
        "Teammøte/fagmøte Mottaksteam",
        "trond.aasen@demo.laera.no",
        "nina.larsen@demo.laera.no",
    ),
    (5, "E-læringsmoduler", "E-arena", "leder@demo.laera.no", ""),
    (
        5,
        "Opplæring av nyansatte etter rutinebeskrivelsene",
        "Individuell veiledning",
        "hilde.solberg@demo.laera.no",
        "koordinator@demo.laera.no",
    ),
    (6, "Felles tiltaksbase i regionen", "Tiltaksutvalg NAV Lier/Røyken og Hurum", "NAV Buskerud", ""),
    (
        7,
        "Samarbeidsavtale med Røyken kommune endrer rutinene for unge brukere",
        "Tverrsektorielle møter med Røyken kommune",
        "leder@demo.laera.no",
        "hilde.solberg@demo.laera.no",
    ),
    (
        9,
        "Kontormøtet samordner rutiner mellom teamene",
        "Kontormøte",
        "leder@demo.laera.no",
        "koordinator@demo.laera.no",
    ),
]


@register_hook("demo_load", order=20)
def load(organisation: Organisation) -> None:
    services.method_bank_install(organisation)
    units = {u.name: u for u in Unit.objects.for_org(organisation)}
    people = {p.email: p for p in Person.objects.for_org(organisation)}
    roles = {r.name: r for r in JobRole.objects.for_org(organisation)}
    existing = {(a.unit_id, a.name): a for a in Arena.objects.for_org(organisation)}
    for spec in ARENAS:
        unit = units[str(spec["unit"])]
        if (unit.pk, spec["name"]) in existing:
            continue
        data = services.ArenaInput(
            name=str(spec["name"]),
            kind=str(spec.get("kind", Arena.Kind.INTERNAL)),
            recurrence=str(spec["recurrence"]),
            times_per_year=spec.get("times"),  # type: ignore[arg-type]
            starts_on=spec.get("starts"),  # type: ignore[arg-type]
            duration_minutes=spec.get("minutes"),  # type: ignore[arg-type]
            purpose=str(spec.get("purpose", "")),
            participants_all=bool(spec.get("all", False)),
            participant_units=[units[n] for n in spec.get("units", [])],  # type: ignore[attr-defined]
            participant_job_roles=[roles[n] for n in spec.get("roles", [])],  # type: ignore[attr-defined]
            participant_people=[people[e] for e in spec.get("people", [])],  # type: ignore[attr-defined]
            participant_groups=str(spec.get("groups", "")),
            responsible=people.get(str(spec.get("responsible", ""))),
            responsible_external=str(spec.get("external", "")),
            informal_responsible=people.get(str(spec.get("informal", ""))),
        )
        existing[(unit.pk, data.name)] = services.arena_create(actor=None, unit=unit, data=data)

    office = units["NAV Røyken"]
    if KnowledgeFlow.objects.filter(unit=office).exists():
        return
    arenas = {a.name: a for a in Arena.objects.for_org(organisation)}
    for transfer, activity, arena, formal, informal in FLOWS:
        services.flow_create(
            actor=None,
            unit=office,
            data=services.FlowInput(
                transfer=transfer,
                activity=activity,
                arena=arenas.get(arena),
                arena_text="" if arena in arenas else arena,
                formal_responsible=people.get(formal),
                formal_responsible_text="" if formal in people else formal,
                informal_responsible=people.get(informal),
            ),
        )
