"""The NKR/EQF verb ladder for learning outcomes (docs/product.md §3.5 and §5; the KLAR guide,
003_8a0b773b4c09b074.txt).

A learning outcome is what a person knows, can do and is able to do after learning. NKR describes it as
knowledge, skills and general competence; the verb at the start of the outcome says how deep it goes
("kjenner til" is shallower than "har inngående kunnskap om"). This module holds the ladder and the
phrases people in each of the plan languages use for every step, and answers three questions for the
outcome editor: which openings to offer for a category, which ladder verbs a text uses, and whether those
verbs fit the category the outcome was filed under.

The phrases are data, not interface text: the editor inserts them into the outcome in the plan's language,
so they are not translated through gettext. For each verb and language the first phrase is the one the
editor suggests; the rest are other ways people write the same step (the form after "skal"/"ska", plural
and definite forms, and a few common alternatives such as "har ferdigheter i") and are used to recognise
the verb in text and to complete what the writer has begun.

"har innsikt i" is both a knowledge step and a general-competence step in NKR (general competence: "har
innsikt i relevante fag- og yrkesetiske problemstillinger"). It is therefore two verbs with the same
phrases, one in each category, and a text using it fits either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    SKILLS = "skills", _("Skills")
    GENERAL_COMPETENCE = "general_competence", _("General competence")


LANGUAGES: tuple[str, ...] = ("nb", "nn", "sv", "da", "en")
FALLBACK_LANGUAGE = "nb"


@dataclass(frozen=True)
class Verb:
    key: str
    category: str
    rank: int
    # language code -> phrases; the first is the suggested opening. Not part of equality or the hash.
    phrases: Mapping[str, tuple[str, ...]] = field(compare=False, hash=False, repr=False)

    def suggested(self, language: str) -> str:
        return self.phrases[_language(language)][0]


@dataclass(frozen=True)
class VerbFit:
    fits: bool
    found: list[Verb]
    suggested_category: str | None


def _verb(
    key: str,
    category: str,
    rank: int,
    *,
    nb: tuple[str, ...],
    nn: tuple[str, ...],
    sv: tuple[str, ...],
    da: tuple[str, ...],
    en: tuple[str, ...],
) -> Verb:
    return Verb(key, category, rank, MappingProxyType({"nb": nb, "nn": nn, "sv": sv, "da": da, "en": en}))


_K, _S, _G = Category.KNOWLEDGE.value, Category.SKILLS.value, Category.GENERAL_COMPETENCE.value

_INSIGHT = {
    "nb": ("har innsikt i", "skal ha innsikt i", "ha innsikt i", "innsikt i"),
    "nn": ("har innsikt i", "skal ha innsikt i", "ha innsikt i", "innsikt i"),
    "sv": ("har insikt i", "ska ha insikt i", "ha insikt i", "insikt i"),
    "da": ("har indsigt i", "skal have indsigt i", "have indsigt i", "indsigt i"),
    "en": ("have insight into", "has insight into", "insight into"),
}

VERBS: tuple[Verb, ...] = (
    # Knowledge (kunnskap / kunskaper / viden)
    _verb(
        "know_of",
        _K,
        1,
        nb=(
            "kjenner til",
            "skal kjenne til",
            "kjenne til",
            "kjenner godt til",
            "kjenne godt til",
            "kjenner hovedtrekkene i",
            "kjenne hovedtrekkene i",
            "kjenner hovedtrekkene",
            "kjenne hovedtrekkene",
            "kjenner hovedtrekk",
            "kjenne hovedtrekk",
            "har kjennskap til",
            "ha kjennskap til",
            "er kjent med",
            "være kjent med",
            # "skal kjenne organisasjoner …": only with the modal, since a bare "kjenner" is too loose.
            "skal kjenne",
        ),
        nn=(
            "kjenner til",
            "skal kjenne til",
            "kjenne til",
            "kjenner godt til",
            "kjenne godt til",
            "kjenner hovudtrekka i",
            "kjenne hovudtrekka i",
            "kjenner hovudtrekka",
            "kjenne hovudtrekka",
            "har kjennskap til",
            "ha kjennskap til",
            "er kjend med",
            "vere kjend med",
            "skal kjenne",
        ),
        sv=(
            "känner till",
            "ska känna till",
            "känna till",
            "känner väl till",
            "känna väl till",
            "känner till huvuddragen i",
            "är förtrogen med",
            "vara förtrogen med",
            "är bekant med",
            "vara bekant med",
            "ska känna",
        ),
        da=(
            "kender til",
            "skal kende til",
            "kende til",
            "kender godt til",
            "kende godt til",
            "kender hovedtrækkene i",
            "kende hovedtrækkene i",
            "har kendskab til",
            "have kendskab til",
            "er bekendt med",
            "være bekendt med",
            "skal kende",
        ),
        en=(
            "know of",
            "know about",
            "knows of",
            "knows about",
            "know the main features of",
            "knows the main features of",
            "are familiar with",
            "is familiar with",
            "be familiar with",
            "should know",
        ),
    ),
    _verb(
        "have_knowledge_of",
        _K,
        2,
        nb=(
            "har kunnskap om",
            "skal ha kunnskap om",
            "ha kunnskap om",
            "har kunnskaper om",
            "ha kunnskaper om",
            "har grunnleggende kunnskap om",
            "ha grunnleggende kunnskap om",
            "har god kunnskap om",
            "ha god kunnskap om",
            "kunnskap om",
            "kunnskaper om",
        ),
        nn=(
            "har kunnskap om",
            "skal ha kunnskap om",
            "ha kunnskap om",
            "har kunnskapar om",
            "ha kunnskapar om",
            "har grunnleggjande kunnskap om",
            "ha grunnleggjande kunnskap om",
            "har god kunnskap om",
            "ha god kunnskap om",
            "kunnskap om",
            "kunnskapar om",
        ),
        sv=(
            "har kunskap om",
            "ska ha kunskap om",
            "ha kunskap om",
            "har kunskaper om",
            "ha kunskaper om",
            "har grundläggande kunskaper om",
            "ha grundläggande kunskaper om",
            "har god kunskap om",
            "ha god kunskap om",
            "visa kunskap och förståelse",
            "kunskap om",
            "kunskaper om",
        ),
        da=(
            "har viden om",
            "skal have viden om",
            "have viden om",
            "har grundlæggende viden om",
            "have grundlæggende viden om",
            "har god viden om",
            "have god viden om",
            "viden om",
        ),
        en=(
            "have knowledge of",
            "has knowledge of",
            "have knowledge about",
            "has knowledge about",
            "have basic knowledge of",
            "has basic knowledge of",
            "knowledge of",
            "knowledge about",
        ),
    ),
    _verb(
        "have_broad_knowledge_of",
        _K,
        3,
        nb=(
            "har bred kunnskap om",
            "skal ha bred kunnskap om",
            "ha bred kunnskap om",
            "har brede kunnskaper om",
            "ha brede kunnskaper om",
            "bred kunnskap om",
            "brede kunnskaper om",
        ),
        nn=(
            "har brei kunnskap om",
            "skal ha brei kunnskap om",
            "ha brei kunnskap om",
            "har breie kunnskapar om",
            "ha breie kunnskapar om",
            "brei kunnskap om",
            "breie kunnskapar om",
            "bred kunnskap om",
        ),
        sv=(
            "har bred kunskap om",
            "ska ha bred kunskap om",
            "ha bred kunskap om",
            "har breda kunskaper om",
            "ha breda kunskaper om",
            "bred kunskap om",
            "breda kunskaper om",
        ),
        da=(
            "har bred viden om",
            "skal have bred viden om",
            "have bred viden om",
            "bred viden om",
        ),
        en=(
            "have broad knowledge of",
            "has broad knowledge of",
            "broad knowledge of",
            "a broad knowledge of",
        ),
    ),
    _verb("have_insight_into", _K, 4, **_INSIGHT),
    _verb(
        "have_thorough_knowledge_of",
        _K,
        5,
        nb=(
            "har inngående kunnskap om",
            "skal ha inngående kunnskap om",
            "ha inngående kunnskap om",
            "har inngående kunnskaper om",
            "ha inngående kunnskaper om",
            "har grundig kunnskap om",
            "ha grundig kunnskap om",
            "har inngående kjennskap til",
            "ha inngående kjennskap til",
            "inngående kunnskap om",
            "inngående kunnskaper om",
            "grundig kunnskap om",
        ),
        nn=(
            "har inngåande kunnskap om",
            "skal ha inngåande kunnskap om",
            "ha inngåande kunnskap om",
            "har inngåande kunnskapar om",
            "ha inngåande kunnskapar om",
            "har grundig kunnskap om",
            "ha grundig kunnskap om",
            "inngåande kunnskap om",
            "inngåande kunnskapar om",
            "inngående kunnskap om",
            "grundig kunnskap om",
        ),
        sv=(
            "har fördjupad kunskap om",
            "ska ha fördjupad kunskap om",
            "ha fördjupad kunskap om",
            "har fördjupade kunskaper om",
            "ha fördjupade kunskaper om",
            "har ingående kunskaper om",
            "ha ingående kunskaper om",
            "fördjupad kunskap om",
            "fördjupade kunskaper om",
            "ingående kunskap om",
            "ingående kunskaper om",
        ),
        da=(
            "har indgående viden om",
            "skal have indgående viden om",
            "have indgående viden om",
            "har indgående kendskab til",
            "have indgående kendskab til",
            "har dybdegående viden om",
            "have dybdegående viden om",
            "indgående viden om",
            "indgående kendskab til",
            "dybdegående viden om",
        ),
        en=(
            "have thorough knowledge of",
            "has thorough knowledge of",
            "have in-depth knowledge of",
            "has in-depth knowledge of",
            "thorough knowledge of",
            "in-depth knowledge of",
        ),
    ),
    # Skills (ferdigheter / ferdigheiter / färdigheter / færdigheder)
    _verb(
        "apply",
        _S,
        1,
        nb=(
            "kan anvende",
            "skal kunne anvende",
            "kunne anvende",
            "anvende",
            "anvender",
            "kan bruke",
            "kunne bruke",
            # "skal ha ferdigheter i å samhandle …" (NAV Røyken): a skill, filed at the first step.
            "har ferdigheter i",
            "ha ferdigheter i",
        ),
        nn=(
            "kan bruke",
            "skal kunne bruke",
            "kunne bruke",
            "kan nytte",
            "kunne nytte",
            "kan bruka",
            "kunne bruka",
            "kan nytta",
            "kunne nytta",
            "kan anvende",
            "kunne anvende",
            "har ferdigheiter i",
            "ha ferdigheiter i",
        ),
        sv=(
            "kan tillämpa",
            "ska kunna tillämpa",
            "kunna tillämpa",
            "tillämpa",
            "tillämpar",
            "kan använda",
            "kunna använda",
            "har färdigheter i",
            "ha färdigheter i",
        ),
        da=(
            "kan anvende",
            "skal kunne anvende",
            "kunne anvende",
            "anvende",
            "anvender",
            "kan bruge",
            "kunne bruge",
            "har færdigheder i",
            "have færdigheder i",
        ),
        en=(
            "can apply",
            "able to apply",
            "can use",
            "able to use",
            "have skills in",
            "has skills in",
        ),
    ),
    _verb(
        "reflect_on",
        _S,
        2,
        nb=(
            "kan reflektere over",
            "skal kunne reflektere over",
            "kunne reflektere over",
            "reflektere over",
            "reflekterer over",
            "reflektere kritisk over",
            "reflektere rundt",
        ),
        nn=(
            "kan reflektere over",
            "skal kunne reflektere over",
            "kunne reflektere over",
            "reflektere over",
            "reflekterer over",
            "reflektere kritisk over",
            "reflektere rundt",
        ),
        sv=(
            "kan reflektera över",
            "ska kunna reflektera över",
            "kunna reflektera över",
            "reflektera över",
            "reflekterar över",
            "reflektera kritiskt över",
            "reflektera kring",
        ),
        da=(
            "kan reflektere over",
            "skal kunne reflektere over",
            "kunne reflektere over",
            "reflektere over",
            "reflekterer over",
            "reflektere kritisk over",
        ),
        en=(
            "can reflect on",
            "able to reflect on",
            "reflect on",
            "reflects on",
            "reflect upon",
            "reflect critically on",
        ),
    ),
    _verb(
        "find_assess_refer",
        _S,
        3,
        nb=(
            "kan finne, vurdere og henvise til informasjon",
            "skal kunne finne, vurdere og henvise til informasjon",
            "kunne finne, vurdere og henvise til informasjon",
            "finne, vurdere og henvise til informasjon",
            "finne og vurdere informasjon",
            "finne relevant informasjon",
            "kan finne informasjon",
            "kan vurdere",
            "kunne vurdere",
            "kan henvise",
            "kunne henvise",
            "henvise til",
        ),
        nn=(
            "kan finne, vurdere og vise til informasjon",
            "skal kunne finne, vurdere og vise til informasjon",
            "kunne finne, vurdere og vise til informasjon",
            "finne, vurdere og vise til informasjon",
            "finne, vurdere og henvise til informasjon",
            "finne og vurdere informasjon",
            "finne relevant informasjon",
            "kan finne informasjon",
            "kan vurdere",
            "kunne vurdere",
            "kan vise til",
            "kunne vise til",
        ),
        sv=(
            "kan söka, värdera och hänvisa till information",
            "ska kunna söka, värdera och hänvisa till information",
            "kunna söka, värdera och hänvisa till information",
            "söka, värdera och hänvisa till information",
            "söka och värdera information",
            "söka, samla och värdera information",
            "hitta och värdera information",
            "hitta relevant information",
            "kan söka information",
            "kan värdera",
            "kunna värdera",
            "kan bedöma",
            "kunna bedöma",
            "hänvisa till",
        ),
        da=(
            "kan finde, vurdere og henvise til information",
            "skal kunne finde, vurdere og henvise til information",
            "kunne finde, vurdere og henvise til information",
            "finde, vurdere og henvise til information",
            "finde og vurdere information",
            "finde relevant information",
            "kan finde information",
            "kan vurdere",
            "kunne vurdere",
            "kan henvise",
            "kunne henvise",
            "henvise til",
        ),
        en=(
            "can find, assess and refer to information",
            "able to find, assess and refer to information",
            "find, assess and refer to information",
            "find and assess information",
            "find relevant information",
            "can find information",
            "can assess",
            "able to assess",
        ),
    ),
    _verb(
        "master_tools",
        _S,
        4,
        nb=(
            "behersker relevante verktøy",
            "skal beherske relevante verktøy",
            "beherske relevante verktøy",
            "behersker relevante faglige verktøy",
            "beherske relevante faglige verktøy",
            "kan bruke relevante verktøy",
            "kunne bruke relevante verktøy",
            "behersker",
            "beherske",
            "mestrer",
            "mestre",
        ),
        nn=(
            "meistrar relevante verktøy",
            "skal meistre relevante verktøy",
            "meistre relevante verktøy",
            "meistrar relevante faglege verktøy",
            "meistre relevante faglege verktøy",
            "kan bruke relevante verktøy",
            "kunne bruke relevante verktøy",
            "meistrar",
            "meistre",
            "behersker",
            "beherske",
        ),
        sv=(
            "behärskar relevanta verktyg",
            "ska behärska relevanta verktyg",
            "behärska relevanta verktyg",
            "kan använda relevanta verktyg",
            "kunna använda relevanta verktyg",
            "kan hantera relevanta verktyg",
            "kunna hantera relevanta verktyg",
            "behärskar",
            "behärska",
        ),
        da=(
            "behersker relevante værktøjer",
            "skal beherske relevante værktøjer",
            "beherske relevante værktøjer",
            "kan bruge relevante værktøjer",
            "kunne bruge relevante værktøjer",
            "kan håndtere relevante værktøjer",
            "kunne håndtere relevante værktøjer",
            "behersker",
            "beherske",
            "mestrer",
            "mestre",
        ),
        en=(
            "master relevant tools",
            "masters relevant tools",
            "can use relevant tools",
            "able to use relevant tools",
            "can master",
            "able to master",
            "are proficient in",
            "is proficient in",
            "be proficient in",
        ),
    ),
    _verb(
        "analyse",
        _S,
        5,
        nb=("kan analysere", "skal kunne analysere", "kunne analysere", "analysere", "analyserer"),
        nn=(
            "kan analysere",
            "skal kunne analysere",
            "kunne analysere",
            "analysere",
            "analyserer",
            "analysera",
            "analyserar",
        ),
        sv=("kan analysera", "ska kunna analysera", "kunna analysera", "analysera", "analyserar"),
        da=("kan analysere", "skal kunne analysere", "kunne analysere", "analysere", "analyserer"),
        en=("can analyse", "able to analyse", "can analyze", "able to analyze", "analyse", "analyze"),
    ),
    # General competence (generell kompetanse / kompetenser / kompetencer)
    _verb("have_insight_into_issues", _G, 1, **_INSIGHT),
    _verb(
        "plan_and_carry_out",
        _G,
        2,
        # The bare "gjennomfører"/"gjennomføre" is filed here: carrying out a task or a programme on
        # one's own ("gjennomfører videreutdanning") is the general-competence step, not a skill.
        nb=(
            "kan planlegge og gjennomføre",
            "skal kunne planlegge og gjennomføre",
            "kunne planlegge og gjennomføre",
            "planlegge og gjennomføre",
            "planlegger og gjennomfører",
            "kan planlegge",
            "kunne planlegge",
            "gjennomfører",
            "gjennomføre",
        ),
        nn=(
            "kan planleggje og gjennomføre",
            "skal kunne planleggje og gjennomføre",
            "kunne planleggje og gjennomføre",
            "planleggje og gjennomføre",
            "planlegg og gjennomfører",
            "kan planlegge og gjennomføre",
            "planlegge og gjennomføre",
            "kan planleggje",
            "kunne planleggje",
            "kan planlegge",
            "gjennomfører",
            "gjennomføre",
        ),
        sv=(
            "kan planera och genomföra",
            "ska kunna planera och genomföra",
            "kunna planera och genomföra",
            "planera och genomföra",
            "planerar och genomför",
            "kan planera",
            "kunna planera",
            "genomför",
            "genomföra",
        ),
        da=(
            "kan planlægge og gennemføre",
            "skal kunne planlægge og gennemføre",
            "kunne planlægge og gennemføre",
            "planlægge og gennemføre",
            "planlægger og gennemfører",
            "kan planlægge",
            "kunne planlægge",
            "gennemfører",
            "gennemføre",
        ),
        en=(
            "can plan and carry out",
            "able to plan and carry out",
            "plan and carry out",
            "plans and carries out",
            "can plan and implement",
            "able to plan and implement",
            "can plan",
            "carry out",
            "carries out",
        ),
    ),
    _verb(
        "communicate",
        _G,
        3,
        nb=(
            "kan formidle",
            "skal kunne formidle",
            "kunne formidle",
            "formidle",
            "formidler",
            "kan kommunisere",
            "kunne kommunisere",
            "kommunisere",
        ),
        nn=(
            "kan formidle",
            "skal kunne formidle",
            "kunne formidle",
            "formidle",
            "formidlar",
            "kan kommunisere",
            "kunne kommunisere",
            "kommunisere",
        ),
        sv=(
            "kan förmedla",
            "ska kunna förmedla",
            "kunna förmedla",
            "förmedla",
            "förmedlar",
            "kan kommunicera",
            "kunna kommunicera",
            "kommunicera",
        ),
        da=(
            "kan formidle",
            "skal kunne formidle",
            "kunne formidle",
            "formidle",
            "formidler",
            "kan kommunikere",
            "kunne kommunikere",
            "kommunikere",
        ),
        en=(
            "can communicate",
            "able to communicate",
            "communicate",
            "communicates",
            "can convey",
            "able to convey",
        ),
    ),
    _verb(
        "exchange_views",
        _G,
        4,
        nb=(
            "kan utveksle synspunkter",
            "skal kunne utveksle synspunkter",
            "kunne utveksle synspunkter",
            "utveksle synspunkter",
            "utveksler synspunkter",
            "utveksle erfaringer",
            "utveksler erfaringer",
            "delta i faglige diskusjoner",
            "delta i diskusjoner",
        ),
        nn=(
            "kan utveksle synspunkt",
            "skal kunne utveksle synspunkt",
            "kunne utveksle synspunkt",
            "utveksle synspunkt",
            "utvekslar synspunkt",
            "utveksle synspunkter",
            "utveksle erfaringar",
            "delta i faglege diskusjonar",
            "delta i diskusjonar",
        ),
        sv=(
            "kan utbyta synpunkter",
            "ska kunna utbyta synpunkter",
            "kunna utbyta synpunkter",
            "utbyta synpunkter",
            "utbyter synpunkter",
            "utbyta erfarenheter",
            "utbyter erfarenheter",
            "delta i diskussioner",
        ),
        da=(
            "kan udveksle synspunkter",
            "skal kunne udveksle synspunkter",
            "kunne udveksle synspunkter",
            "udveksle synspunkter",
            "udveksler synspunkter",
            "udveksle erfaringer",
            "udveksler erfaringer",
            "deltage i faglige diskussioner",
            "deltage i diskussioner",
        ),
        en=(
            "can exchange views",
            "able to exchange views",
            "exchange views",
            "exchanges views",
            "exchange experiences",
            "take part in discussions",
            "participate in discussions",
        ),
    ),
    _verb(
        "know_of_innovation",
        _G,
        5,
        nb=(
            "kjenner til nytenkning",
            "skal kjenne til nytenkning",
            "kjenne til nytenkning",
            "kjenner til nytenkning og innovasjonsprosesser",
            "kjenne til nytenkning og innovasjonsprosesser",
            "kjenner til innovasjonsprosesser",
            "kjenne til innovasjonsprosesser",
            "kjenner til innovasjon",
            "kjenne til innovasjon",
        ),
        nn=(
            "kjenner til nytenking",
            "skal kjenne til nytenking",
            "kjenne til nytenking",
            "kjenner til nytenking og innovasjonsprosessar",
            "kjenne til nytenking og innovasjonsprosessar",
            "kjenner til innovasjonsprosessar",
            "kjenne til innovasjonsprosessar",
            "kjenner til nytenkning",
            "kjenne til nytenkning",
            "kjenner til innovasjon",
            "kjenne til innovasjon",
        ),
        sv=(
            "känner till nytänkande",
            "ska känna till nytänkande",
            "känna till nytänkande",
            "känner till nytänkande och innovationsprocesser",
            "känna till nytänkande och innovationsprocesser",
            "känner till innovationsprocesser",
            "känna till innovationsprocesser",
            "känner till innovation",
            "känna till innovation",
        ),
        da=(
            "kender til nytænkning",
            "skal kende til nytænkning",
            "kende til nytænkning",
            "kender til nytænkning og innovationsprocesser",
            "kende til nytænkning og innovationsprocesser",
            "kender til innovationsprocesser",
            "kende til innovationsprocesser",
            "kender til innovation",
            "kende til innovation",
        ),
        en=(
            "know of innovation",
            "know about innovation",
            "knows of innovation",
            "knows about innovation",
            "know of innovation processes",
            "know of innovative thinking",
            "know of new thinking",
        ),
    ),
    _verb(
        "contribute_to_innovation",
        _G,
        6,
        nb=(
            "kan bidra til nytenkning",
            "skal kunne bidra til nytenkning",
            "kunne bidra til nytenkning",
            "bidra til nytenkning",
            "bidrar til nytenkning",
            "bidra til nytenkning og innovasjonsprosesser",
            "bidra til innovasjon",
            "bidrar til innovasjon",
        ),
        nn=(
            "kan bidra til nytenking",
            "skal kunne bidra til nytenking",
            "kunne bidra til nytenking",
            "bidra til nytenking",
            "bidreg til nytenking",
            "bidra til nytenking og innovasjonsprosessar",
            "bidra til nytenkning",
            "bidra til innovasjon",
            "bidreg til innovasjon",
        ),
        sv=(
            "kan bidra till nytänkande",
            "ska kunna bidra till nytänkande",
            "kunna bidra till nytänkande",
            "bidra till nytänkande",
            "bidrar till nytänkande",
            "bidra till nytänkande och innovationsprocesser",
            "bidra till innovation",
            "bidrar till innovation",
        ),
        da=(
            "kan bidrage til nytænkning",
            "skal kunne bidrage til nytænkning",
            "kunne bidrage til nytænkning",
            "bidrage til nytænkning",
            "bidrager til nytænkning",
            "bidrage til nytænkning og innovationsprocesser",
            "bidrage til innovation",
            "bidrager til innovation",
        ),
        en=(
            "can contribute to innovation",
            "able to contribute to innovation",
            "contribute to innovation",
            "contributes to innovation",
            "contribute to innovative thinking",
            "contribute to new thinking",
        ),
    ),
)

VERBS_BY_KEY: Mapping[str, Verb] = MappingProxyType({v.key: v for v in VERBS})
_ORDER = {v.key: i for i, v in enumerate(VERBS)}

# Leading words that only say the outcome is required ("skal kjenne til"); a phrase is ranked by what
# follows them, so "skal kjenne til" never outweighs "kjenne til nytenkning" in the same text.
_MODALS = frozenset(
    {"skal", "ska", "skall", "skulle", "bør", "bör", "må", "måste", "should", "shall", "will", "must"}
)
# A verb followed by a reflexive pronoun means something else: "kjenner seg trygg" is to feel safe.
_REFLEXIVES = frozenset({"seg", "sig"})
_WORD = re.compile(r"\w+")


def _tokens(text: str) -> tuple[str, ...]:
    """Lower-cased words; hyphens, commas and full stops separate words ("NAV-veiledere", "vid.utdanning")."""
    return tuple(_WORD.findall(unicodedata.normalize("NFC", text).casefold()))


def _language(language: str | None) -> str:
    code = (language or "").replace("_", "-").casefold()
    if code in LANGUAGES:
        return code
    primary = code.split("-", 1)[0]
    if primary in LANGUAGES:
        return primary
    if primary in {"no", "nob"}:
        return "nb"
    if primary == "nno":
        return "nn"
    return FALLBACK_LANGUAGE


def _category(category: str) -> str:
    return Category(category).value  # raises ValueError for an unknown category


@dataclass(frozen=True)
class _Pattern:
    words: tuple[str, ...]
    verb: Verb
    weight: tuple[int, int, int]  # words after the modals, all words, characters: larger wins


@cache
def _patterns(language: str) -> Mapping[str, tuple[_Pattern, ...]]:
    """The language's phrases as word sequences, indexed by their first word."""
    by_first: dict[str, list[_Pattern]] = {}
    for verb in VERBS:
        for phrase in dict.fromkeys(verb.phrases[language]):
            words = _tokens(phrase)
            core = len(words)
            while core and words[len(words) - core] in _MODALS:
                core -= 1
            pattern = _Pattern(words, verb, (core, len(words), len(phrase)))
            by_first.setdefault(words[0], []).append(pattern)
    return MappingProxyType({first: tuple(patterns) for first, patterns in by_first.items()})


def verbs_for(category: str) -> list[Verb]:
    """The ladder of one category, shallowest first."""
    category = _category(category)
    return sorted((v for v in VERBS if v.category == category), key=lambda v: v.rank)


def get_verb(key: str) -> Verb | None:
    return VERBS_BY_KEY.get(key)


def suggestions(category: str, language: str, verb_key: str | None = None) -> list[str]:
    """Openings to offer in the editor, in the plan's language (bokmål when the language is unknown).

    Without a verb: the suggested opening of every step of the category, shallowest first. With a verb of
    that category: all its phrases, the suggested one first, so the editor can also complete what the
    writer has begun ("Ansatte skal " + "kjenne til").
    """
    category = _category(category)
    language = _language(language)
    if verb_key is None:
        return list(dict.fromkeys(v.phrases[language][0] for v in verbs_for(category)))
    verb = VERBS_BY_KEY.get(verb_key)
    if verb is None or verb.category != category:
        raise ValueError(f"{verb_key!r} is not a verb of the category {category!r}")
    return list(dict.fromkeys(verb.phrases[language]))


def choices(category: str, language: str) -> list[tuple[str, str]]:
    """(key, suggested opening) for each step of the category, e.g. for a depth select."""
    language = _language(language)
    return [(v.key, v.phrases[language][0]) for v in verbs_for(category)]


def detect_verbs(text: str, language: str) -> list[Verb]:
    """The ladder verbs an outcome text uses, in the order they appear.

    Whole words only, case-insensitive, hyphens and punctuation count as spaces. Where phrases overlap the
    longest wins, so "har bred kunnskap om" is only broad knowledge and "kjenner til nytenkning" is only
    general competence. A phrase shared by two verbs ("har innsikt i") reports both.
    """
    words = _tokens(text)
    patterns = _patterns(_language(language))
    found: list[tuple[int, int, _Pattern]] = []
    for start, word in enumerate(words):
        for pattern in patterns.get(word, ()):
            end = start + len(pattern.words)
            if words[start:end] != pattern.words:
                continue
            if end < len(words) and words[end] in _REFLEXIVES:
                continue
            found.append((start, end, pattern))
    found.sort(key=lambda m: (tuple(-w for w in m[2].weight), m[0], _ORDER[m[2].verb.key]))

    taken: list[tuple[int, int, tuple[str, ...]]] = []
    kept: list[tuple[int, Verb]] = []
    for start, end, pattern in found:
        if any(
            start < t_end and t_start < end and (t_start, t_end, t_words) != (start, end, pattern.words)
            for t_start, t_end, t_words in taken
        ):
            continue
        taken.append((start, end, pattern.words))
        kept.append((start, pattern.verb))

    kept.sort(key=lambda k: (k[0], _ORDER[k[1].key]))
    return list({verb.key: verb for _, verb in kept}.values())


def verb_fit(text: str, category: str, language: str) -> VerbFit:
    """Whether the verbs of an outcome fit the category it is filed under.

    No ladder verb: nothing to judge, it fits. Otherwise it fits when any verb found belongs to the
    category; if none does, the category of the first verb found is suggested.
    """
    category = _category(category)
    found = detect_verbs(text, language)
    if not found or any(v.category == category for v in found):
        return VerbFit(fits=True, found=found, suggested_category=None)
    return VerbFit(fits=False, found=found, suggested_category=found[0].category)


def rank_of(text: str, category: str, language: str) -> int | None:
    """The depth of the deepest verb of the category in the text, or None when it uses none."""
    category = _category(category)
    ranks = [v.rank for v in detect_verbs(text, language) if v.category == category]
    return max(ranks) if ranks else None


def with_opening(text: str, verb: Verb, language: str) -> str:
    """`text` with the verb's suggested opening in `language` in front: "kan anvende MI i samtaler".

    The text is kept exactly as written after the opening: a capital first letter may be a name
    ("Modia", "Excel"), which cannot be told from a sentence start without a dictionary."""
    return f"{verb.suggested(language)} {text.strip()}".rstrip() + ("" if text.strip() else " ")
