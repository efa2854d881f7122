"""PERSON from a lexicon of first names and surnames, for names spaCy's small model misses.

    text ─▶ words ─▶ each word looked up in data/person_names.txt ─▶ one of the rules below?
         ─▶ PERSON (the name, with a surname that follows it)

Rules, first match wins, per word:
    pair         a first name and a surname, both lower case or both capitalised:
                 "sophie walker", "Ingrid Nielsen", "marta van der berg"
    cue          a name right after a cue word: "ask rūta", "tell Petra", "thanks urs",
                 "cc Hope", "my colleague marija", "me and lars"
    speech       a name right before a verb of saying or a possessive: "Thijs said",
                 "Hope from HR says", "anna's message"
    capitalised  a capitalised first name inside a sentence: "a card for Mihai who ..."

First names that are also everyday words ([first-ambiguous]: will, mark, may, grace,
rose, bill, hope ...) count only capitalised and after a cue or before a verb of saying
("ask Will to review", "Mark said"): "Will this compile?", "mark it as done" and
"Hope this helps" stay clean. Lower-case first names need a cue, a surname or a verb.
Words glued to "@", "/", "_" or a dot (e-mail addresses, paths, code) and technical
terms (`technical_terms.TECHNICAL_TERMS`) are never names.

The lexicon is loaded once, at import, from a compact text file built by
bench/data/build_name_lexicon.py (sources and licences in its header and in
bench/data/README.md). One regex pass and a few set look-ups per word.
"""

from __future__ import annotations

import re
from pathlib import Path

from presidio_analyzer import RecognizerResult

from policy.recognizers._base import OwnRecognizer
from policy.recognizers._lexicon import lexicon_result
from policy.recognizers.technical_terms import TECHNICAL_TERMS

PERSON = "PERSON"
LEXICON_FILE = Path(__file__).with_name("data") / "person_names.txt"


def load_lexicon(path: Path = LEXICON_FILE) -> dict[str, frozenset[str]]:
    """Sections of the lexicon file: {"first": ..., "first-ambiguous": ..., "last": ...}."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[] "), set())
        elif current is not None:
            current.update(line.split())
    missing = {"first", "first-ambiguous", "last"} - set(sections)
    if missing:
        raise ValueError(f"name lexicon lacks sections: {', '.join(sorted(missing))}")
    return {name: frozenset(words) for name, words in sections.items()}


_LEXICON = load_lexicon()
FIRST: frozenset[str] = _LEXICON["first"]
AMBIGUOUS_FIRST: frozenset[str] = _LEXICON["first-ambiguous"]
LAST: frozenset[str] = _LEXICON["last"]

# A word: letters, with inner apostrophes or hyphens ("O'Brien", "Anne-Marie").
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PARTICLES = frozenset("van von de der den da di du del della dos das le la ter ten zu bin al el".split())
# Cue words before a name. Those marked weak ("to", "for", "and" ...) cue only unambiguous names.
_STRONG_CUES = frozenset(
    """ask asked asking tell told telling dear hi hello hey hiya thanks thank thx ty cc bcc ping pinged remind
    regards cheers congrats congratulate invite invited meet met call called email emailed text texted message
    messaged dm with from""".split()
)
_WEAK_CUES = frozenset("to for by about and like".split())
_POSSESSIVES = frozenset("my our his her their your".split())
_RELATIONS = frozenset(
    """son daughter husband wife partner boyfriend girlfriend fiance fiancé fiancee fiancée mother mum mom father
    dad brother sister grandmother grandfather grandma grandpa granny aunt uncle cousin nephew niece friend bestie
    colleague coworker co-worker boss manager neighbour neighbor landlord landlady tenant flatmate roommate
    housemate client patient student pupil teacher tutor nanny babysitter cleaner assistant intern employee
    doctor therapist lawyer accountant coach kid kids child children baby stepson stepdaughter ex mate buddy
    supervisor teammate lead hire""".split()
)
# After a name: verbs of saying and the like ("Thijs said", "Hope from HR says").
_SPEECH = frozenset(
    """said says asked asks told tells wants wanted wrote writes replied replies mentioned mentions emailed
    texted called thinks thought suggested suggests needs needed sent sends shared""".split()
)
_FROM_DEPARTMENTS = frozenset("hr it sales marketing finance legal accounting accounts support ops procurement".split())
_SENTENCE_END = frozenset(".!?\n\r\t:;\"'“”‘’([{>*-•")
_GLUE = frozenset("@/\\_#.=")
SCORE_PAIR = 0.6
SCORE_CUE = 0.6
SCORE_CAPITALISED = 0.55


def _is_title(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _style_matches(first: str, last: str) -> bool:
    """Both lower case, or both capitalised ("sophie walker", "Sophie Walker"; not "Sophie walker")."""
    return (first.islower() and last.islower()) or (_is_title(first) and (last[:1].isupper()))


class NameLexiconRecognizer(OwnRecognizer):
    """PERSON from the first-name and surname lexicon (see the module docstring)."""

    ENTITIES = (PERSON,)

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and PERSON not in entities:
            return []
        tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
        if not tokens:
            return []
        lowered = [_key(word) for word, _, _ in tokens]
        results: list[RecognizerResult] = []
        found_before = -2  # index of the last word of the previous name
        i = 0
        while i < len(tokens):
            span = self._name_at(text, tokens, lowered, i, found_before)
            if span is None:
                i += 1
                continue
            last_index, rule, score = span
            start, end = tokens[i][1], tokens[last_index][2]
            if text[end - 2:end] in ("'s", "’s"):
                end -= 2
            results.append(lexicon_result(self, PERSON, start, end, score, rule))
            found_before = last_index
            i = last_index + 1
        return results

    def _name_at(self, text: str, tokens, lowered, i: int, found_before: int) -> tuple[int, str, float] | None:
        word, start, end = tokens[i]
        key = lowered[i]
        clear = key in FIRST
        ambiguous = key in AMBIGUOUS_FIRST
        if not (clear or ambiguous) or word.isupper() and len(word) > 1 or key in TECHNICAL_TERMS:
            return None
        if _glued(text, start, end):
            return None
        surname_end = self._surname_after(text, tokens, lowered, i)
        if clear and surname_end is not None:
            return surname_end, "pair", SCORE_PAIR
        capitalised = _is_title(word)
        if ambiguous and not capitalised:
            return None
        last = i if surname_end is None else surname_end
        cue = self._cue_before(tokens, lowered, i, found_before) or _signature_cue(text, start)
        if cue == "strong" or (cue == "weak" and clear):
            return last, "cue", SCORE_CUE
        if self._speech_after(text, tokens, lowered, i):
            return last, "speech", SCORE_CUE
        if clear and capitalised and not _sentence_start(text, start):
            return last, "capitalised", SCORE_CAPITALISED
        return None

    @staticmethod
    def _surname_after(text: str, tokens, lowered, i: int) -> int | None:
        """Index of the surname's last word right after word i, if any: "walker", "van der berg"."""
        first_word = tokens[i][0]
        j = i + 1
        particles = 0
        while j < len(tokens) and lowered[j] in _PARTICLES and particles < 2 and _spaced(text, tokens[j - 1], tokens[j]):
            j += 1
            particles += 1
        if j >= len(tokens) or not _spaced(text, tokens[j - 1], tokens[j]):
            return None
        word = tokens[j][0]
        if lowered[j] in LAST and _style_matches(first_word, word) and not _glued(text, tokens[j][1], tokens[j][2]):
            return j
        return None

    @staticmethod
    def _cue_before(tokens, lowered, i: int, found_before: int) -> str | None:
        if i == 0:
            return None
        previous = lowered[i - 1]
        if previous in _STRONG_CUES:
            return "strong"
        if previous == "and" and found_before == i - 2:
            return "strong"  # "tell Petra and Thijs"
        if previous == "and" and i >= 2 and lowered[i - 2] in ("me", "i"):
            return "strong"  # "me and marija"
        if previous in _RELATIONS and any(lowered[k] in _POSSESSIVES for k in range(max(0, i - 4), i - 1)):
            return "strong"  # "my colleague rūta", "our new hire Ingrid"
        if previous == "you" and i >= 2 and lowered[i - 2] == "thank":
            return "strong"
        if previous in _WEAK_CUES:
            return "weak"
        return None

    @staticmethod
    def _speech_after(text: str, tokens, lowered, i: int) -> bool:
        word = tokens[i][0]
        if word.endswith(("'s", "’s")) and i + 1 < len(tokens):
            return True  # "anna's message", "Gábor's reply"
        if i + 1 >= len(tokens) or not _spaced(text, tokens[i], tokens[i + 1]):
            return False
        following = lowered[i + 1]
        if following in _SPEECH:
            return True
        if following == "from" and i + 2 < len(tokens):
            return lowered[i + 2] in _FROM_DEPARTMENTS or (
                lowered[i + 2] in ("the", "our") and i + 3 < len(tokens) and lowered[i + 3] in _FROM_DEPARTMENTS)
        return False


_SIGN_OFFS = frozenset(
    w.strip() for w in """best|best regards|kind regards|warm regards|regards|cheers|thanks|thank you|many thanks|love|xoxo|yours|
    sincerely|yours sincerely|ciao|bye|take care|talk soon|signed|br|lg|vg|mfg|gruß|grüße|viele grüße|
    liebe grüße|groeten|bises|bisous|saludos|un abrazo|abrazos|pozdrawiam|mvh|hälsningar""".split("|")
)


def _signature_cue(text: str, start: int) -> str | None:
    """A name alone after a dash ("— anna") or on the line after a sign-off ("best,\nanna")."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if before.strip(" \t") in ("—", "–", "-", "--", "~"):
        return "strong"
    if before.strip(" \t>"):
        return None
    previous_line = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1:max(0, line_start - 1)]
    previous_line = previous_line.strip(" \t>").rstrip(",!.").strip().lower()
    return "strong" if previous_line in _SIGN_OFFS else None


def _key(word: str) -> str:
    lowered = word.lower().replace("’", "'")
    return lowered[:-2] if lowered.endswith("'s") and len(lowered) > 3 else lowered


def _glued(text: str, start: int, end: int) -> bool:
    """Part of an e-mail address, a path, an identifier or a domain: not a name."""
    if start > 0 and text[start - 1] in _GLUE:
        return True
    if end < len(text) and text[end] in "@/\\_=":
        return True
    return end + 1 < len(text) and text[end] == "." and text[end + 1].isalnum()


def _spaced(text: str, left, right) -> bool:
    """Only one or two spaces or tabs between two words (a name does not span lines or commas)."""
    gap = text[left[2]:right[1]]
    return 0 < len(gap) <= 2 and gap.strip(" \t") == ""


def _sentence_start(text: str, start: int) -> bool:
    k = start - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END
