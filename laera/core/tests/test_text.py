from laera.core.text import nordic_slug


def test_nordic_letters_are_spelled_out_not_dropped() -> None:
    assert nordic_slug("NAV Røyken – Våren 2015") == "nav-royken-varen-2015"
    assert nordic_slug("Bærum, Örebro og Aabenraa") == "baerum-orebro-og-aabenraa"
    assert nordic_slug("!!!", "plan") == "plan"
