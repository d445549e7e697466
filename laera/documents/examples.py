"""Plans as plain data: NAV Røyken's real plan (the demo) and a rich example (tests, screenshots).

`royken_example()` is NAV Røyken's "Plan for kunnskapsutvikling, kunnskapsdeling og kunnskapsspredning i
NAV Røyken våren 2015", the appendix of the KLAR guide (003_8a0b773b4c09b074.txt, docs/product.md §7): the
same title, leader, introduction, arena overview, three themes and every row of their tables. The
original's tables survive only as flattened text, so each row is rebuilt from the column order there; the
guide's own example table shows the SE rows whole. Obvious slips of the pen ("veildere", "Emplyment") are
corrected; the original gives no evaluation date, so there is none here.

`rich_example()` exercises everything the builders must handle: a team sub-plan, alternative dates, a
recurrence, a deadline, a trigger, outcomes without activities, None values, and texts with æøå, quotes,
pipes, semicolons, commas, backslashes and line breaks.
"""

from __future__ import annotations

import datetime

from laera.documents.plan_data import (
    ActivityData,
    ActivityTime,
    ArenaLine,
    Labels,
    OutcomeData,
    PlanDocument,
    ThemeData,
)

NB_LABELS = Labels(
    plan="Plan for læring",
    leader="Leder",
    introduction="Innledning",
    arenas_heading="Oversikt over læringsarenaer og deltakere",
    themes_heading="Læringstemaer",
    theme="Tema",
    outcome="Læringsutbytte",
    arena="Arena",
    method="Pedagogisk virkemiddel",
    participants="Deltakere",
    time="Tid for gjennomføring",
    responsible="Ansvarlig",
    evaluation="Evaluering",
    contents="Innhold",
    page="Side",
    draft="Utkast – ikke publisert",
    consultation="På høring – ikke publisert",
)

_CATEGORY_LABELS = {
    "knowledge": "Kunnskap",
    "skills": "Ferdigheter",
    "general_competence": "Generell kompetanse",
}


def _outcome(
    key: str,
    text: str,
    category: str,
    verb: str,
    *activities: ActivityData,
    competences: tuple[str, ...] = (),
) -> OutcomeData:
    return OutcomeData(
        key=key,
        text=text,
        category=category,
        category_label=_CATEGORY_LABELS[category],
        verb=verb,
        activities=activities,
        competences=competences,
    )


_ROYKEN_INTRODUCTION = (
    "Planen er utviklet i samarbeid med NAV Røyken og Høgskolen i Østfold og er første utprøving av det "
    "læringssystemet som er utviklet i prosjektet. Malen for oppsettet av planen følger den modellen som er "
    "presentert nedenfor.\n\n"
    "Temaene som er valgt for våren 2015 er basert på innspill fra de ansatte i kontoret og på oppdragsbrev "
    "og tilskuddsbrev fra henholdsvis NAV og Fylkesmannen i Buskerud."
)

_ROYKEN_ARENAS = (
    ArenaLine(
        name="Kontormøte",
        recurrence="Hver 14. dag",
        participants="alle deltar",
        purpose=(
            "Temaer i kontormøte er saker som angår hele kontoret i forhold til generell utvikling i NAV "
            "på systemnivå."
        ),
    ),
    ArenaLine(
        name="Teammøter/fagmøter",
        recurrence="1 gang pr. uke",
        participants="deltakere i de ulike teamene deltar på sitt møte",
        purpose="I henholdsvis oppfølgingsteam, mottaksteam og sykefraværsteam.",
    ),
    ArenaLine(
        name="Sosialfaglig møte",
        recurrence="1 gang pr. uke",
        participants="alle deltar",
        purpose="Fagmøte for saker som omhandler lov om sosiale tjenester i NAV.",
    ),
    ArenaLine(
        name="Organisert individuell veiledning",
        recurrence="Etter behov",
        participants="med teamleder eller fagansvarlig",
    ),
    ArenaLine(
        name="Personalseminar",
        recurrence="Årlig",
        participants="hele kontoret",
        purpose="Benyttes til utvikling, deling og spredning.",
    ),
    ArenaLine(name="Kollegaveiledning «skulder til skulder»", recurrence="Etter behov", participants=""),
    ArenaLine(name="SE-møter", recurrence="Ukentlig", participants=""),
    ArenaLine(
        name="Veiledningsgrupper med fokus på bruk av MI som samtalemetodikk",
        recurrence="2 timer hver 3. uke",
        participants="alle veiledere deltar, kontoret delt i 3 grupper à 7–8 stk.",
    ),
    ArenaLine(
        name="Tiltaksutvalg NAV Lier/Røyken og Hurum",
        recurrence="",
        participants="",
        purpose=(
            "Kunnskapsspredning og utvikling av tiltaksbasen i regionen med bakgrunn i felles budsjett."
        ),
    ),
    ArenaLine(
        name="Fagsamlinger i regi av NAV Buskerud",
        recurrence="Etter behov",
        participants="",
        purpose="Ulike temaer, men alltid med sikte på utvikling av kunnskap.",
    ),
    ArenaLine(
        name="Samarbeidsforum med NAV Buskerud Arbeidslivssenter",
        recurrence="1 gang pr. måned",
        participants="delprosjektleder og 2 jobbveiledere deltar",
    ),
    ArenaLine(
        name="Bedriftsbesøk",
        recurrence="",
        participants="",
        purpose="Formelle og uformelle samarbeidsarenaer med lokalt næringsliv.",
    ),
    ArenaLine(
        name="Samarbeidsavtale med Røyken kommune",
        recurrence="",
        participants="veiledere SYFO og veileder oppfølging involvert",
    ),
    ArenaLine(
        name="Ledersamlinger og mellomledersamlinger",
        recurrence="6 ganger i året",
        participants="leder og mellomleder",
    ),
    ArenaLine(
        name="Tverrsektorielle møter med Røyken kommune, eks. Oppvekstteam 16–24",
        recurrence="Hver 6. uke",
        participants="utvalgte veiledere og mellomleder deltar",
    ),
    ArenaLine(
        name="Deltakelse i politiske utvalg",
        recurrence="Etter behov",
        participants="ledere og fagansvarlige deltar",
    ),
    ArenaLine(
        name="Boligsosialt arbeid og boligtildeling i kommunen",
        recurrence="",
        participants="fagansvarlig deltar",
    ),
    ArenaLine(
        name="Diverse eksterne kurs",
        recurrence="Etter behov",
        participants="gjelder alle",
        purpose="Både kompetanseheving og kunnskapsspredning.",
    ),
    ArenaLine(
        name="Legemøter",
        recurrence="2 ganger i året",
        participants="alle fastleger i kommunen, samt utvalgte veiledere og NAV-leder",
    ),
    ArenaLine(name="Samarbeid med lokalt næringsråd", recurrence="", participants=""),
)

_SE = ThemeData(
    key="t-se",
    title="Supported employment (SE)",
    outcomes=(
        _outcome(
            "o-se-1",
            "Ansatte i NAV-kontoret skal kjenne hovedtrekkene i SE",
            "knowledge",
            "know_of",
            ActivityData(
                key="a-se-1",
                arena="Personalseminar",
                method="Forelesning/innlegg",
                responsible="Merethe",
                participants="Alle ansatte i NAV-kontoret",
                time=ActivityTime(
                    kind="dates",
                    text="22. og 23. april",
                    dates=(datetime.date(2015, 4, 22), datetime.date(2015, 4, 23)),
                ),
                mandatory=True,
                arena_is_mapped=True,
                method_key="lecture",
            ),
        ),
        _outcome(
            "o-se-2",
            "NAV-veiledere skal kjenne til grunnleggende forskning knyttet til SE",
            "knowledge",
            "know_of",
            ActivityData(
                key="a-se-2",
                arena="Personalseminar",
                method="Forelesning",
                responsible="Christian Ebeltoft, HiØ",
                participants="Alle ansatte i kontoret",
                time=ActivityTime(
                    kind="dates",
                    text="22. eller 23. april",
                    dates=(datetime.date(2015, 4, 22), datetime.date(2015, 4, 23)),
                    either=True,
                ),
                mandatory=True,
                arena_is_mapped=True,
                method_key="lecture",
            ),
        ),
        _outcome(
            "o-se-3",
            "NAV-veiledere i prosjektet kan anvende SE-metodikken",
            "skills",
            "apply",
            ActivityData(
                key="a-se-3",
                arena="Brukermøtet",
                method="Relasjonsarbeid, råd/veiledning fra HiØ",
                responsible="HiØ",
                participants="Brukere som deltar i prosjektet og medarbeidere",
                time=ActivityTime(kind="continuous", text="Fortløpende i prosjektperioden"),
                method_key="learning_with_users",
            ),
        ),
        _outcome(
            "o-se-4",
            "NAV-veiledere i prosjektet gjennomfører videreutdanning i SE",
            "general_competence",
            "plan_and_carry_out",
            ActivityData(
                key="a-se-4",
                arena="Høgskole",
                method="Kurs eller videreutdanning",
                responsible="HiØ",
                participants=(
                    "SE-veiledere som deltar i prosjektet og som ikke har gjennomført videreutdanning "
                    "eller kurs"
                ),
                time=ActivityTime(kind="trigger", text="Nyansatt medarbeider"),
                method_key="further_education",
            ),
        ),
    ),
)

_AMK = ThemeData(
    key="t-amk",
    title="Arbeidsmarkedskompetanse",
    outcomes=(
        _outcome(
            "o-amk-1",
            "Ansatte i NAV-kontoret skal ha kunnskap om hva begrepet arbeidsmarkedskompetanse innebærer",
            "knowledge",
            "have_knowledge_of",
            ActivityData(
                key="a-amk-1",
                arena="Personalmøter",
                method="Innlegg",
                responsible="Ole Petter",
                participants="Alle ansatte i kontoret",
                time=ActivityTime(kind="dates", text="12. mars", dates=(datetime.date(2015, 3, 12),)),
                mandatory=True,
                arena_is_mapped=True,
                method_key="lecture",
            ),
        ),
        _outcome(
            "o-amk-2",
            "NAV-veiledere skal ha kunnskap om tiltak og virkemidler knyttet til arbeidsmarkedsloven med "
            "forskrifter",
            "knowledge",
            "have_knowledge_of",
            ActivityData(
                key="a-amk-2",
                arena="E-arena",
                method="E-læringsmodul",
                responsible="",
                participants="NAV-veiledere",
                time=ActivityTime(kind="deadline", text="Innen 1. mai", deadline=datetime.date(2015, 5, 1)),
                mandatory=True,
                method_key="e_learning",
            ),
        ),
        _outcome(
            "o-amk-3",
            "NAV-veiledere skal ha kunnskap om utviklingen på arbeidsmarkedet",
            "knowledge",
            "have_knowledge_of",
            ActivityData(
                key="a-amk-3",
                arena="Fagmøte",
                method="Forelesning/innlegg",
                responsible="Ole Petter",
                participants="NAV-veiledere",
                time=ActivityTime(kind="recurrence", text="Hvert kvartal", rrule="FREQ=MONTHLY;INTERVAL=3"),
                arena_is_mapped=True,
                method_key="lecture",
            ),
        ),
        _outcome(
            "o-amk-4",
            "NAV-veiledere skal ha kunnskap om utviklingen i det lokale næringsliv, med muligheter og "
            "begrensninger",
            "knowledge",
            "have_knowledge_of",
            ActivityData(
                key="a-amk-4",
                arena="«Frokostmøter» med næringslivet",
                method="Forelesning/innlegg",
                responsible="Hilde",
                participants="NAV-veiledere og arbeidsgivere",
                time=ActivityTime(kind="recurrence", text="En gang pr. mnd.", rrule="FREQ=MONTHLY"),
                open_to_others=True,
                method_key="employer_breakfast",
            ),
        ),
        _outcome(
            "o-amk-5",
            "NAV-veiledere skal kjenne til og samarbeide med kommunale, fylkeskommunale og statlige "
            "tjenester som arbeider med brukere som er marginalisert i fht. arbeidsmarkedet.",
            "general_competence",
            "exchange_views",
            ActivityData(
                key="a-amk-5",
                arena="Kontormøte, fagmøter",
                method="Forelesning/innlegg",
                responsible="",
                participants="NAV-veiledere avhengig av saksområde",
                # Twice in a half-year: once in each quarter.
                time=ActivityTime(
                    kind="recurrence", text="To ganger i løpet av våren", rrule="FREQ=MONTHLY;INTERVAL=3"
                ),
                arena_is_mapped=True,
                method_key="lecture",
            ),
            ActivityData(
                key="a-amk-6",
                arena="Ansattes 10 minutter",
                method="Kurs",
                responsible="Fylkesmannen",
                participants="NAV-veiledere avhengig av saksområde",
                time=ActivityTime(kind="dates", text="Mai"),
                method_key="transfer_from_courses",
            ),
        ),
        _outcome(
            "o-amk-6",
            "NAV-veiledere skal kjenne organisasjoner som arbeider med brukere som er marginalisert i fht. "
            "arbeidsmarkedet.",
            "knowledge",
            "know_of",
            ActivityData(
                key="a-amk-7",
                arena="Fagmøter",
                method="Forelesning/innlegg og «befaring»",
                responsible="",
                participants="NAV-veiledere og representanter fra frivillige organisasjoner, Røde Kors",
                time=ActivityTime(kind="continuous", text="Løpende"),
                open_to_others=True,
                arena_is_mapped=True,
                method_key="study_visit",
            ),
        ),
        _outcome(
            "o-amk-7",
            "NAV-veiledere skal ha ferdigheter i å samhandle med brukere, arbeidsgivere og andre "
            "samarbeidspartnere.",
            "skills",
            "communicate",
            ActivityData(
                key="a-amk-8",
                arena="Kurs",
                method="Utdanning/kurs/gruppearbeid",
                responsible="",
                participants="Utvalgte NAV-veiledere",
                time=ActivityTime(kind="dates", text="Mai"),
                method_key="course",
            ),
        ),
    ),
)

_NKS = ThemeData(
    key="t-nks",
    title="Nasjonal kvalitetsstrategi",
    outcomes=(
        _outcome(
            "o-nks-1",
            "Alle ansatte i NAV-kontoret skal kjenne til de seks kjennetegnene ved god kvalitet i helse- og "
            "sosialtjenestene. Tjenestene skal:\n"
            "Være trygge og sikre\n"
            "Være virkningsfulle\n"
            "Være samordnet og koordinert\n"
            "Involvere brukerne og gi dem innflytelse\n"
            "Utnytte ressursene på en god måte\n"
            "Være tilgjengelige og rettferdig fordelt",
            "knowledge",
            "know_of",
            ActivityData(
                key="a-nks-1",
                arena="Personalmøte",
                method="Forelesning",
                responsible="Berit Eivi Nilsen",
                participants="Alle ansatte",
                time=ActivityTime(kind="dates", text="9. april", dates=(datetime.date(2015, 4, 9),)),
                mandatory=True,
                arena_is_mapped=True,
                method_key="lecture",
            ),
            ActivityData(
                key="a-nks-2",
                arena="Lokalt brukerutvalg, ledermøte",
                method="Kunnskapssirkel",
                responsible="",
                participants="NAV-ledere og 6 forbund",
                time=ActivityTime(kind="dates", text="Juni"),
                open_to_others=True,
                method_key="research_circle",
            ),
        ),
    ),
)


def royken_example() -> PlanDocument:
    """NAV Røyken's plan for learning, spring 2015, as plain data in Norwegian bokmål."""
    return PlanDocument(
        title=("Plan for kunnskapsutvikling, kunnskapsdeling og kunnskapsspredning i NAV Røyken våren 2015"),
        name="Våren 2015",
        organisation="NAV Røyken",
        unit="NAV Røyken",
        language="nb",
        period_start=datetime.date(2015, 1, 1),
        period_end=datetime.date(2015, 6, 30),
        leader="Ole Petter Gravningen",
        status="published",
        introduction=_ROYKEN_INTRODUCTION,
        evaluation_on=None,
        labels=NB_LABELS,
        arenas=_ROYKEN_ARENAS,
        themes=(_SE, _AMK, _NKS),
    )


def rich_example() -> PlanDocument:
    """A small plan with a team sub-plan that uses every kind of value the data can hold."""
    tricky = 'Sikkerhet | «rutiner»; "sitat", komma\\skråstrek\nog ny linje – æøå ÆØÅ'
    child = PlanDocument(
        title="Delplan for oppfølgingsteamet våren 2015",
        name="Våren 2015",
        organisation="NAV Røyken",
        unit="Oppfølgingsteam",
        language="nb",
        period_start=datetime.date(2015, 1, 1),
        period_end=datetime.date(2015, 6, 30),
        leader="Kari Nordmann",
        status="draft",
        introduction="Teamets egen plan.",
        evaluation_on=datetime.date(2015, 6, 15),
        labels=NB_LABELS,
        themes=(
            ThemeData(
                key="t-child",
                title="Motiverende intervju (MI)",
                outcomes=(
                    _outcome(
                        "o-child-1",
                        "Veiledere kan anvende MI i samtaler",
                        "skills",
                        "apply",
                        ActivityData(
                            key="a-child-1",
                            arena="Veiledningsgrupper",
                            method="Veiledningsgruppe",
                            responsible="Teamleder",
                            participants="Oppfølgingsteamet",
                            time=ActivityTime(
                                kind="recurrence",
                                text="Hver 3. uke",
                                dates=(datetime.date(2015, 1, 14),),
                                rrule="FREQ=WEEKLY;INTERVAL=3",
                            ),
                            capacity=8,
                            hours=2.0,
                        ),
                    ),
                ),
            ),
        ),
    )
    return PlanDocument(
        title="Plan for læring i NAV Røyken – «prøve» våren 2015",
        name="Våren 2015",
        organisation="NAV Røyken",
        unit="NAV Røyken",
        language="nb",
        period_start=datetime.date(2015, 1, 1),
        period_end=datetime.date(2015, 6, 30),
        leader="Ole Petter Gravningen",
        status="consultation",
        introduction='Første avsnitt med «anførselstegn» og "sitat".\n\nAndre avsnitt: æøå.',
        evaluation_on=datetime.date(2015, 6, 20),
        labels=NB_LABELS,
        arenas=(
            ArenaLine(name="Kontormøte", recurrence="Hver 14. dag", participants="alle deltar"),
            ArenaLine(name="SE-møter", recurrence="Ukentlig", participants="", purpose="Drøfting av saker."),
        ),
        themes=(
            ThemeData(
                key="t-1",
                title="Supported employment (SE)",
                description="Hvorfor SE nå.",
                why="Innspill fra ansatte og oppdragsbrev.",
                outcomes=(
                    _outcome(
                        "o-1",
                        "NAV-veiledere skal kjenne til grunnleggende forskning knyttet til SE",
                        "knowledge",
                        "know_of",
                        ActivityData(
                            key="a-1",
                            arena="Personalseminar",
                            method="Forelesning",
                            responsible="HiØ",
                            participants="Alle ansatte i kontoret",
                            time=ActivityTime(
                                kind="dates",
                                text="22. eller 23. april",
                                dates=(datetime.date(2015, 4, 22), datetime.date(2015, 4, 23)),
                                either=True,
                            ),
                            mandatory=True,
                            capacity=None,
                            hours=1.5,
                            cost=12500.0,
                            arena_is_mapped=True,
                            method_key="lecture",
                        ),
                        ActivityData(
                            key="a-2",
                            arena="E-arena",
                            method="E-læringsmodul",
                            responsible="",
                            participants="NAV-veiledere",
                            time=ActivityTime(
                                kind="deadline", text="Innen 1. mai", deadline=datetime.date(2015, 5, 1)
                            ),
                        ),
                    ),
                    _outcome(
                        "o-2",
                        "Et utbytte uten aktiviteter ennå",
                        "skills",
                        "",
                        competences=("Motiverende intervju (MI)", "Lov om sosiale tjenester i NAV"),
                    ),
                    _outcome(
                        "o-3",
                        tricky,
                        "general_competence",
                        "communicate",
                        ActivityData(
                            key="a-3",
                            arena=tricky,
                            method="Kollegaveiledning «skulder til skulder»",
                            responsible="Åse Ødegård",
                            participants="Nyansatte; fadder",
                            time=ActivityTime(kind="trigger", text="Nyansatt medarbeider"),
                            open_to_others=True,
                            capacity=0,
                            hours=0.25,
                            cost=0.0,
                        ),
                        ActivityData(
                            key="a-4",
                            arena="Fagmøte",
                            method="Innlegg",
                            responsible="Ole Petter",
                            participants="NAV-veiledere",
                            time=ActivityTime(
                                kind="recurrence",
                                text="En gang pr. mnd.",
                                dates=(datetime.date(2015, 1, 15),),
                                rrule="FREQ=MONTHLY",
                            ),
                        ),
                        ActivityData(
                            key="a-5",
                            arena="Personalmøte",
                            method="Forelesning",
                            responsible="Berit Eivi Nilsen",
                            participants="Alle ansatte",
                            time=ActivityTime(
                                kind="dates",
                                text="22. og 23. april",
                                dates=(datetime.date(2015, 4, 22), datetime.date(2015, 4, 23)),
                            ),
                        ),
                        ActivityData(
                            key="a-6",
                            arena="Brukermøtet",
                            method="Relasjonsarbeid",
                            responsible="",
                            participants="Brukere",
                            time=ActivityTime(kind="continuous", text="Fortløpende i prosjektperioden"),
                        ),
                    ),
                ),
            ),
            ThemeData(key="t-2", title="Et tema uten utbytter"),
        ),
        children=(child,),
    )
