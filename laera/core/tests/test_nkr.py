from __future__ import annotations

from collections import Counter

import pytest
from django.utils import translation

from laera.core.nkr import (
    LANGUAGES,
    VERBS,
    VERBS_BY_KEY,
    Category,
    Verb,
    choices,
    detect_verbs,
    get_verb,
    rank_of,
    suggestions,
    verb_fit,
    verbs_for,
)

K, S, G = Category.KNOWLEDGE, Category.SKILLS, Category.GENERAL_COMPETENCE


def keys(verbs: list[Verb]) -> list[str]:
    return [v.key for v in verbs]


# The ladder itself


def test_category_values_and_msgids() -> None:
    assert [c.value for c in Category] == ["knowledge", "skills", "general_competence"]
    with translation.override("en"):
        assert [str(c.label) for c in Category] == ["Knowledge", "Skills", "General competence"]
    # The names of the table in docs/product.md §5, in each language.
    expected = {
        "nb": ["Kunnskap", "Ferdigheter", "Generell kompetanse"],
        "nn": ["Kunnskap", "Ferdigheiter", "Generell kompetanse"],
        "sv": ["Kunskaper", "Färdigheter", "Kompetenser"],
        "da": ["Viden", "Færdigheder", "Kompetencer"],
    }
    for code, names in expected.items():
        with translation.override(code):
            assert [str(c.label) for c in Category] == names, code


def test_every_verb_has_phrases_in_every_language() -> None:
    for verb in VERBS:
        assert set(verb.phrases) == set(LANGUAGES), verb.key
        for language in LANGUAGES:
            phrases = verb.phrases[language]
            assert phrases, (verb.key, language)
            assert all(p == p.strip() and p == p.lower() and p for p in phrases), (verb.key, language)
            assert len(set(phrases)) == len(phrases), (verb.key, language)


def test_keys_are_unique_and_fit_the_model_field() -> None:
    counts = Counter(v.key for v in VERBS)
    assert [k for k, n in counts.items() if n > 1] == []
    assert all(len(v.key) <= 40 for v in VERBS)
    assert set(VERBS_BY_KEY) == set(counts)
    assert get_verb("apply") is VERBS_BY_KEY["apply"]
    assert get_verb("nonsense") is None


@pytest.mark.parametrize("category", list(Category))
def test_ranks_are_contiguous_from_one(category: Category) -> None:
    assert [v.rank for v in verbs_for(category)] == list(range(1, len(verbs_for(category)) + 1))


def test_ladder_follows_product_spec_section_5() -> None:
    assert suggestions(K, "nb") == [
        "kjenner til",
        "har kunnskap om",
        "har bred kunnskap om",
        "har innsikt i",
        "har inngående kunnskap om",
    ]
    assert suggestions(S, "nb") == [
        "kan anvende",
        "kan reflektere over",
        "kan finne, vurdere og henvise til informasjon",
        "behersker relevante verktøy",
        "kan analysere",
    ]
    assert suggestions(G, "nb") == [
        "har innsikt i",
        "kan planlegge og gjennomføre",
        "kan formidle",
        "kan utveksle synspunkter",
        "kjenner til nytenkning",
        "kan bidra til nytenkning",
    ]
    assert keys(verbs_for(G))[1:] == [
        "plan_and_carry_out",
        "communicate",
        "exchange_views",
        "know_of_innovation",
        "contribute_to_innovation",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", ["har insikt i", "kan planera och genomföra", "kan förmedla", "kan utbyta synpunkter"]),
        ("da", ["har indsigt i", "kan planlægge og gennemføre", "kan formidle", "kan udveksle synspunkter"]),
        ("nn", ["har innsikt i", "kan planleggje og gjennomføre", "kan formidle", "kan utveksle synspunkt"]),
        ("en", ["have insight into", "can plan and carry out", "can communicate", "can exchange views"]),
    ],
)
def test_general_competence_openings_per_language(language: str, expected: list[str]) -> None:
    assert suggestions(G, language)[:4] == expected


def test_every_phrase_is_recognised_as_its_own_verb() -> None:
    # Also proves no two verbs share a phrase, except the two "har innsikt i" steps.
    insight = {"have_insight_into", "have_insight_into_issues"}
    for verb in VERBS:
        for language in LANGUAGES:
            for phrase in verb.phrases[language]:
                found = keys(detect_verbs(phrase, language))
                expected = sorted(insight) if verb.key in insight else [verb.key]
                assert sorted(found) == expected, (verb.key, language, phrase, found)


# NAV Røyken's plan for spring 2015 (003_8a0b773b4c09b074.txt, the KLAR guide; docs/product.md §6)

ROYKEN = [
    ("Ansatte i NAV kontoret skal kjenne hovedtrekkene i SE", "know_of", K),
    ("NAV veiledere skal kjenne til grunnleggende forskning knyttet til SE", "know_of", K),
    ("NAV veiledere i prosjektet kan anvende SE metodikken", "apply", S),
    # "gjennomfører vid.utdanning" is an activity more than an outcome. Its only ladder verb is the
    # "gjennomføre" of "kan planlegge og gjennomføre", so it is read as general competence: carrying
    # out a programme on one's own, not a skill used on users.
    ("NAV veiledere i prosjektet gjennomfører vid.utdanning i SE", "plan_and_carry_out", G),
    (
        "Ansatte i NAV kontoret skal ha kunnskap om hva arbeidsmarkedskompetanse begrepet innebærer",
        "have_knowledge_of",
        K,
    ),
    (
        "NAV-veiledere skal ha kunnskap om tiltak og virkemidler knyttet til arbeidsmarkedsloven "
        "med forskrifter",
        "have_knowledge_of",
        K,
    ),
    ("NAV-veiledere skal ha kunnskap om utviklingen på arbeidsmarkedet", "have_knowledge_of", K),
    (
        "NAV-veiledere skal kjenne til og samarbeide med kommunale, fylkeskommunale og statlige tjenester "
        "som arbeider med brukere som er marginalisert i fht. arbeidsmarkedet.",
        "know_of",
        K,
    ),
    (
        "NAV-veiledere skal kjenne organisasjoner som arbeider med brukere som er marginalisert i fht. "
        "arbeidsmarkedet.",
        "know_of",
        K,
    ),
    (
        "NAV-veiledere skal ha ferdigheter i å samhandle med brukere, arbeidsgivere og andre "
        "samarbeidspartnere.",
        "apply",
        S,
    ),
    (
        "Alle ansatte i NAV kontoret skal kjenne til de seks kjennetegnene ved god kvalitet i helse- og "
        "sosialtjenestene.",
        "know_of",
        K,
    ),
]


@pytest.mark.parametrize(("text", "key", "category"), ROYKEN)
def test_royken_outcomes_are_recognised(text: str, key: str, category: str) -> None:
    found = detect_verbs(text, "nb")
    assert keys(found) == [key]
    assert found[0].category == category
    fit = verb_fit(text, category, "nb")
    assert fit.fits and fit.suggested_category is None and keys(fit.found) == [key]


def test_royken_outcome_filed_under_the_wrong_category_is_flagged() -> None:
    fit = verb_fit("NAV veiledere i prosjektet kan anvende SE metodikken", K, "nb")
    assert not fit.fits
    assert fit.suggested_category == S


# Fit and mismatch


@pytest.mark.parametrize(
    ("language", "text", "category", "suggested"),
    [
        ("nb", "Veilederne kan planlegge og gjennomføre et arbeidsgivermøte", K, G),
        ("nb", "Ansatte skal kjenne til nytenkning og innovasjonsprosesser", K, G),
        ("nn", "Rettleiarane kan planleggje og gjennomføre eit møte med arbeidsgivarar", K, G),
        ("nn", "Tilsette skal kunne bruke kartleggingsverktøyet", G, S),
        ("sv", "Handläggarna kan tillämpa metoden i mötet med den sökande", K, S),
        ("sv", "Medarbetarna ska känna till riktlinjerna för bemötande", S, K),
        ("da", "Medarbejderne kender til reglerne om sygedagpenge", S, K),
        ("da", "Sagsbehandlerne kan formidle fagstof til borgerne", S, G),
        ("en", "Advisers can analyse labour market data", G, S),
        ("en", "Advisers have knowledge of the measures in the labour market act", S, K),
    ],
)
def test_mismatch_is_flagged_with_a_suggestion(
    language: str, text: str, category: str, suggested: str
) -> None:
    fit = verb_fit(text, category, language)
    assert not fit.fits
    assert fit.found
    assert fit.suggested_category == suggested
    assert verb_fit(text, suggested, language).fits


def test_no_ladder_verb_means_nothing_to_judge() -> None:
    for category in Category:
        fit = verb_fit("Alle ansatte deltar på personalseminaret", category, "nb")
        assert fit.fits and fit.found == [] and fit.suggested_category is None
    assert rank_of("Alle ansatte deltar på personalseminaret", K, "nb") is None


def test_insight_fits_knowledge_and_general_competence() -> None:
    text = "Veilederne har innsikt i fag- og yrkesetiske problemstillinger"
    assert keys(detect_verbs(text, "nb")) == ["have_insight_into", "have_insight_into_issues"]
    assert verb_fit(text, K, "nb").fits
    assert verb_fit(text, G, "nb").fits
    fit = verb_fit(text, S, "nb")
    assert not fit.fits and fit.suggested_category == K
    assert rank_of(text, K, "nb") == 4
    assert rank_of(text, G, "nb") == 1
    assert verb_fit("Deltakerne skal ha innsikt i etiske dilemmaer", G, "nb").fits


def test_any_verb_of_the_category_is_enough() -> None:
    text = "Veilederne har kunnskap om tiltakene og kan anvende dem i oppfølgingen"
    assert keys(detect_verbs(text, "nb")) == ["have_knowledge_of", "apply"]
    assert verb_fit(text, K, "nb").fits
    assert verb_fit(text, S, "nb").fits
    assert verb_fit(text, G, "nb").suggested_category == K


# Matching rules


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nb", "Alle skal lære om kjennetegnene ved god kvalitet"),
        ("nb", "Kunnskapsformidling og anvendelse av metodikk"),
        ("nb", "Gjennomføring av kurs i arbeidsmarkedskunnskap"),
        ("nb", "Brukerne skal kjenne seg trygge i møte med NAV"),
        ("nn", "Nytenkinga i kontoret"),
        ("sv", "Tillämpningen av lagen och genomförandet"),
        ("da", "Anvendelsen af viden-baseret praksis"),
        ("en", "The applicants' knowledgebase and communications"),
    ],
)
def test_no_match_inside_other_words(language: str, text: str) -> None:
    assert detect_verbs(text, language) == []


def test_case_hyphens_and_modals_are_tolerated() -> None:
    assert keys(detect_verbs("NAV-VEILEDERE KAN ANVENDE SE-METODIKKEN", "nb")) == ["apply"]
    assert keys(detect_verbs("Veilederne skal kunne anvende metodikken", "nb")) == ["apply"]
    assert keys(detect_verbs("Veilederne skal anvende metodikken", "nb")) == ["apply"]
    assert keys(detect_verbs("Handläggarna ska kunna tillämpa metoden", "sv")) == ["apply"]
    assert keys(detect_verbs("Handläggarna ska ha kunskap om reglerna", "sv")) == ["have_knowledge_of"]
    assert keys(detect_verbs("Medarbejderne skal have viden om reglerne", "da")) == ["have_knowledge_of"]
    assert keys(detect_verbs("Tilsette skal kunne reflektere over eigen praksis", "nn")) == ["reflect_on"]
    assert keys(detect_verbs("Advisers should be able to apply the method", "en")) == ["apply"]
    assert keys(detect_verbs("kan finne, vurdere og henvise til informasjon", "nb")) == ["find_assess_refer"]
    assert keys(detect_verbs("kan finne , vurdere  og henvise til informasjon", "nb")) == [
        "find_assess_refer"
    ]


@pytest.mark.parametrize(
    ("language", "text", "expected", "category", "rank"),
    [
        ("nb", "Ansatte skal ha bred kunnskap om arbeidsmarkedet", ["have_broad_knowledge_of"], K, 3),
        ("nb", "Ansatte har inngående kunnskap om loven", ["have_thorough_knowledge_of"], K, 5),
        ("nb", "Ansatte skal kjenne til nytenkning", ["know_of_innovation"], G, 5),
        ("nb", "Veilederne kan bruke relevante verktøy i Modia", ["master_tools"], S, 4),
        ("nb", "Veilederne kan bidra til nytenkning i kontoret", ["contribute_to_innovation"], G, 6),
        ("nn", "Tilsette har brei kunnskap om arbeidsmarknaden", ["have_broad_knowledge_of"], K, 3),
        ("sv", "Medarbetarna har bred kunskap om arbetsmarknaden", ["have_broad_knowledge_of"], K, 3),
        ("da", "Medarbejderne kender til nytænkning i forvaltningen", ["know_of_innovation"], G, 5),
        ("en", "Staff have broad knowledge of the labour market", ["have_broad_knowledge_of"], K, 3),
        ("en", "Staff should know of innovation processes", ["know_of_innovation"], G, 5),
    ],
)
def test_longest_phrase_wins(language: str, text: str, expected: list[str], category: str, rank: int) -> None:
    assert keys(detect_verbs(text, language)) == expected
    assert rank_of(text, category, language) == rank


def test_verbs_are_reported_in_text_order_once() -> None:
    text = "Veilederne kan formidle og kan analysere; de kan formidle igjen"
    assert keys(detect_verbs(text, "nb")) == ["communicate", "analyse"]


def test_rank_of_takes_the_deepest_verb_of_the_category() -> None:
    text = "Veilederne kan anvende metodikken og kan analysere resultatene"
    assert rank_of(text, S, "nb") == 5
    assert rank_of(text, K, "nb") is None
    assert rank_of("kjenner til og har kunnskap om", K, "nb") == 2


# Suggestions


def test_suggestions_fall_back_to_bokmal() -> None:
    for category in Category:
        assert suggestions(category, "fr") == suggestions(category, "nb")
        assert suggestions(category, "") == suggestions(category, "nb")
        assert suggestions(category, "no") == suggestions(category, "nb")
    assert suggestions(K, "nb-NO") == suggestions(K, "nb")
    assert suggestions(K, "sv-SE") == suggestions(K, "sv")
    assert keys(detect_verbs("kan anvende", "fr")) == ["apply"]


def test_suggestions_for_one_verb_start_with_the_suggested_phrase() -> None:
    assert suggestions(K, "nb", "know_of")[:3] == ["kjenner til", "skal kjenne til", "kjenne til"]
    assert suggestions(S, "sv", "apply")[0] == "kan tillämpa"
    assert suggestions(S, "da", "reflect_on")[0] == "kan reflektere over"
    assert suggestions(S, "nn", "apply")[:4] == ["kan bruke", "skal kunne bruke", "kunne bruke", "kan nytte"]
    assert suggestions(G, "en", "contribute_to_innovation")[0] == "can contribute to innovation"
    assert suggestions(G, "xx", "communicate")[0] == "kan formidle"


def test_suggestions_reject_a_verb_of_another_category() -> None:
    with pytest.raises(ValueError):
        suggestions(K, "nb", "apply")
    with pytest.raises(ValueError):
        suggestions(K, "nb", "nonsense")


def test_unknown_category_is_an_error() -> None:
    with pytest.raises(ValueError):
        verbs_for("attitudes")
    with pytest.raises(ValueError):
        verb_fit("kan anvende", "attitudes", "nb")


def test_choices() -> None:
    assert choices(S, "da")[0] == ("apply", "kan anvende")
    assert [k for k, _ in choices(G, "nb")] == keys(verbs_for(G))
