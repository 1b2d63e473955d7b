"""Search folds case, accents and scripts: names in each of the six languages are found from
a plain Latin keyboard, and the folded and the written query find the same records."""

from __future__ import annotations

import pytest

from accmgr.domain.search import (
    Rank,
    filter_by,
    fold,
    fold_with_offsets,
    matches,
    query_words,
    rank,
    search_key,
)

# (what a KAM types, the name as the client writes it), one or more per language.
FOUND = [
    ("harbour", "Harbour & Finch Ltd"),  # English
    ("goncalves", "Marta Gonçalves"),  # Portuguese: ç
    ("acores lacticinios", "Lacticínios dos Açores, S.A."),  # Portuguese: í, ç
    ("joao", "João Simões"),  # Portuguese: ã
    ("zalgir", "UAB Žalgirio statyba"),  # Lithuanian: Ž
    ("aukstaitijos", "Aukštaitijos pienas"),  # Lithuanian: š
    ("siauliu", "Šiaulių energija"),  # Lithuanian: ų
    ("tevynes", "Tėvynės baldai"),  # Lithuanian: ė
    ("sibfarm", "СибФарм"),  # Russian: Cyrillic from its transliteration
    ("volzhsk", "ООО «Волжский завод»"),  # Russian: ж → zh
    ("shchuk", "Щукин и партнёры"),  # Russian: щ → shch
    ("lodz", "Łódź Meble sp. z o.o."),  # Polish: ł, ó, ź
    ("zaklady", "Zakłady Mięsne"),  # Polish: ł
    ("gdansk", "Gdańsk Stocznia"),  # Polish: ń
    ("sutoipari", "Alföldi Sütőipari Kft."),  # Hungarian: ü, ő
    ("alfold sutoipari", "Alföldi Sütőipari Kft."),  # two words, both folded
    ("gyumolcs", "Mátra Gyümölcs Zrt."),  # Hungarian: ü, ö
    ("fuszer", "Tisza Fűszer Bt."),  # Hungarian: ű
]


@pytest.mark.parametrize(("typed", "name"), FOUND)
def test_a_plain_latin_query_finds_the_name_as_written(typed: str, name: str) -> None:
    assert matches(typed, name)
    # Typed with its accents, or in capitals, it finds the same record.
    assert matches(name, name)
    assert matches(typed.upper(), name)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("sutoipari", "Alföldi Tejipari Kft."),
        ("zalgir", "Nemuno statyba"),
        ("sibfarm", "Сибирский хлеб"),
        ("lodz", "Gdańsk Stocznia"),
    ],
)
def test_a_query_does_not_find_other_names(typed: str, name: str) -> None:
    assert not matches(typed, name)


def test_cyrillic_typed_finds_the_latin_spelling_and_back() -> None:
    assert matches("СибФарм", "SibFarm trading")
    assert matches("sibfarm", "АО СибФарм")


def test_fold_is_lower_case_ascii() -> None:
    assert fold("Žalgirio Sütőipari Gonçalves Łódź СибФарм") == (
        "zalgirio sutoipari goncalves lodz sibfarm"
    )
    assert fold("Straße") == "strasse"


def test_every_word_of_the_query_must_occur_in_any_field() -> None:
    key = search_key("Alföldi Sütőipari Kft.", "Modernizacja linii", None, "Ana Ferreira")
    assert query_words("  sütő  ANA ") == ("suto", "ana")
    assert matches("ana sutoipari", "Alföldi Sütőipari Kft.", "Ana Ferreira")
    assert not matches("ana zalgir", "Alföldi Sütőipari Kft.", "Ana Ferreira")
    assert "sutoipari" in key and "ana ferreira" in key


def test_filter_by_keeps_the_order_and_an_empty_query_keeps_all() -> None:
    names = ["Žalgirio statyba", "Šiaulių energija", "Žalgirio pienas"]
    assert filter_by("zalgir", names, lambda n: search_key(n)) == [names[0], names[2]]
    assert filter_by("   ", names, lambda n: search_key(n)) == names


def test_offsets_point_back_into_the_text_as_written() -> None:
    folded, origins = fold_with_offsets("Щука Ő")
    assert folded == "shchuka o"
    # "shch" came from the first letter, "o" from the last.
    assert origins[:4] == (0, 0, 0, 0)
    assert origins[folded.index("o")] == 5


def test_rank_an_exact_id_then_a_prefix_then_the_words() -> None:
    assert rank("d-0042", "D-0042", "Modernizacja · Łódź Meble") is Rank.EXACT
    assert rank("D-004", "D-0042", "Modernizacja · Łódź Meble") is Rank.PREFIX
    assert rank("modern", "D-0042", "Modernizacja · Łódź Meble") is Rank.PREFIX
    assert rank("lodz modern", "D-0042", "Modernizacja · Łódź Meble") is Rank.WORDS
    assert rank("sibfarm", "D-0042", "Modernizacja · Łódź Meble") is Rank.NONE
    assert Rank.EXACT > Rank.PREFIX > Rank.WORDS > Rank.NONE
