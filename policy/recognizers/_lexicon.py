"""Shared machinery of the lexicon recognizers: curated terms, found about a person.

    text ─▶ words (lower case, apostrophes and hyphens normalised) ─▶ term hits
         ─▶ per hit: the sentence around it ─▶ is it about a person? ─▶ finding

A term ("type 2 diabetes", "sertraline", "Muslim") is health or special-category data
only when the prompt says it of someone: "I was diagnosed with type 2 diabetes", "my
daughter's insulin doses", "she has multiple sclerosis" — not "What are the symptoms of
type 2 diabetes?". So every hit needs an *anchor* in its sentence:

- ``ANY`` terms (specific conditions, medicines): a first-person subject or possessive
  (I, I'm, my, our), a third-person one (she, his), a relation ("my colleague"), a
  clinical label ("Diagnosis:", "Patient"), within a few words of the term, with no
  "learning" verb between them ("I want to understand how insulin works").
- ``TIGHT`` terms (words with an everyday sense: "Black", "gay", "union", "stroke"):
  the anchor must stand right before the term ("I'm Black", "as a Roma woman",
  "my stroke", "she is bisexual").

A term that names its person ("her girlfriend", "my skin colour") needs no other anchor; a
term followed by a word that makes it a modifier ("cancer research", "income statement") is
not about a person (``Anchoring.modifiers``). A named person (spaCy's PERSON) anchors too:
anywhere in the sentence for ``ANY`` terms, and right before ``TIGHT``/``COPULA`` ones
("Tom is gay", "Anna's stroke", "Maria earns €3,000"). A sentence that opens on a verb with
its subject left out says something of the writer ("Been on sertraline for two years",
"Got an eviction notice today") or, after a sentence about someone, of that person ("My mum
is 82. Has dementia ..."), unless the verb's subject follows ("Have you had shingles?",
"Has anyone tried ...") or the sentence is an errand ("Had a look at the diabetes data").

Matching is on words, not spaCy tokens (the same words whatever the model), with an
index by first word, so a 20 KB prompt costs one regex pass and a dictionary look-up per
word. Single long words of the curated lists also match at one typing error (a letter
missing, doubled, or two letters swapped: "dibetic", "depresion"), since prompts are typed
in a hurry; the vocabularies built from data files (``Lexicon(exact_terms=...)``, tens of
thousands of rare words whose typo neighbours would be everyday words) match as written.

Nothing here logs or keeps text; patterns are compiled once at import.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from policy.recognizers._base import OwnRecognizer, once_per_analysis
from policy.recognizers._patterns import lower_keeping_offsets

ANY = "any"  # a person anchor near the term
TIGHT = "tight"  # the anchor right before the term: "I'm", "my", "she is", "as a"
COPULA = "copula"  # only a copula or "as a" right before: "I'm bi", not "my BI dashboard"
TRIGGER = "trigger"  # ANY, and one of the recogniser's trigger words near: "voted for the AfD"

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|;\s|\s[—–]\s|\s-\s")
_UNSEEN = object()
_OPTIONAL_SUFFIX = re.compile(r"\(([a-z']+)\)")


def normalise(text: str) -> str:
    """Lower case, typographic apostrophes made plain: offsets are unchanged."""
    return lower_keeping_offsets(text).replace("’", "'").replace("‘", "'")


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith("'s") and len(word) > 3 else word


def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """(word, start, end) of each word of the normalised text, possessive "'s" dropped from the word."""
    return tuple((_strip_possessive(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(normalise(text)))


def words_of_analysis(text: str, nlp_artifacts=None) -> tuple[tuple[str, int, int], ...]:
    """words(text), computed once for all lexicon recognizers analysing this text."""
    return once_per_analysis(text, nlp_artifacts, "words", words)


def expand(term: str) -> list[str]:
    """'panic attack(s)' -> ['panic attack', 'panic attacks']; several optional parts multiply."""
    match = _OPTIONAL_SUFFIX.search(term)
    if match is None:
        return [term]
    before, after = term[: match.start()], term[match.end():]
    return [variant for middle in ("", match.group(1)) for variant in expand(before + middle + after)]


@dataclass(frozen=True, slots=True)
class Term:
    entity_type: str
    mode: str  # ANY, TIGHT, COPULA or TRIGGER
    words: tuple[str, ...]
    cased: bool = False  # written with a capital in the table: must be capitalised in the prompt
    fuzzy: bool = True  # may match at one typing error (curated terms); vocabularies match exactly


@dataclass(frozen=True, slots=True)
class Hit:
    term: Term
    first: int  # index of the first word
    last: int  # index of the last word
    fuzzy: bool


class Lexicon:
    """Terms by entity type and mode, indexed by first word; single long words also fuzzily."""

    FUZZY_MIN_LEN = 7
    PAIR_INDEX_FROM = 8  # a first word of more terms than this: look its terms up by the first two words
    FUZZY_MEMO_SIZE = 50_000

    def __init__(self, terms: Iterable[tuple[str, str, str]],
                 exact_terms: Iterable[tuple[str, str, str]] = ()) -> None:
        """terms: curated, matched at one typo too; exact_terms: vocabularies (thousands of rare words
        whose typo neighbours would be everyday words), matched as written. A term of both is curated."""
        self._by_first: dict[str, list[Term]] = {}
        self._fuzzy: dict[str, Term] = {}  # deletion variants and exact forms of long single words
        self._fuzzy_seen: dict[bytes, Term | None] = {}
        seen: set[tuple[str, ...]] = set()
        for rows, fuzzy in ((terms, True), (exact_terms, False)):
            for entity_type, mode, text in rows:
                for variant in expand(text) if fuzzy else (text,):
                    # Interned: tens of thousands of terms share words ("disease", "syndrome").
                    key = tuple(sys.intern(_strip_possessive(w)) for w in _WORD.findall(normalise(variant)))
                    if not key:
                        raise ValueError(f"empty term for {entity_type}")
                    if not fuzzy and key in seen:
                        continue
                    seen.add(key)
                    term = Term(entity_type, mode, key, cased=variant[:1].isupper(), fuzzy=fuzzy)
                    self._by_first.setdefault(key[0], []).append(term)
        for first, terms_of_word in self._by_first.items():
            # Longest first: "type 2 diabetes" wins over "diabetes".
            terms_of_word.sort(key=lambda t: -len(t.words))
            for term in terms_of_word:
                if (term.fuzzy and len(term.words) == 1 and len(first) >= self.FUZZY_MIN_LEN
                        and first.isalpha()):
                    for variant in _deletions(first):
                        self._fuzzy.setdefault(variant, term)
        # Terms of two words or more are looked up by their first two words, so that a first word
        # shared by hundreds of terms ("of Moroccan descent", "missed two payments") costs one look-up.
        self._by_pair: dict[tuple[str, str], list[Term]] = {}
        self._one_word: dict[str, list[Term]] = {}
        for first, terms_of_word in self._by_first.items():
            if len(terms_of_word) <= self.PAIR_INDEX_FROM:
                continue  # looked up by first word alone
            for term in terms_of_word:  # longest first, as sorted above
                if len(term.words) == 1:
                    self._one_word.setdefault(first, []).append(term)
                else:
                    self._by_pair.setdefault(term.words[:2], []).append(term)
        self._single: dict[str, Term] = {
            t.words[0]: t for ts in self._by_first.values() for t in ts
            if t.fuzzy and len(t.words) == 1 and len(t.words[0]) >= self.FUZZY_MIN_LEN and t.words[0].isalpha()
        }
        # One typo away from a term is at most one letter longer: longer words never match,
        # and skipping them keeps a 20 KB "word" from costing n deletions of n letters.
        self._longest_single = max(map(len, self._single), default=0)

    def candidates(self, tokens: Sequence[tuple[str, int, int]], i: int,
                   stopwords: frozenset[str] = frozenset()) -> list[Hit]:
        """Terms that start at word i, longest first; a typo match only when no term does."""
        word = tokens[i][0]
        terms = self._by_first.get(word, ())
        if len(terms) > self.PAIR_INDEX_FROM:
            longer = self._by_pair.get((word, tokens[i + 1][0]), ()) if i + 1 < len(tokens) else ()
            terms = [*longer, *self._one_word.get(word, ())]
        found = [
            Hit(term, i, i + len(term.words) - 1, False)
            for term in terms
            if i + len(term.words) <= len(tokens)
            and all(tokens[i + k][0] == term.words[k] for k in range(1, len(term.words)))
        ]
        if (not found and self.FUZZY_MIN_LEN - 1 <= len(word) <= self._longest_single + 1 and word.isalpha()
                and word not in stopwords and word not in TYPO_STOPWORDS):
            term = self._fuzzy_term(word)
            if term is not None:
                found = [Hit(term, i, i, True)]
        return found

    def _fuzzy_term(self, word: str) -> Term | None:
        # Chat vocabulary repeats: remember each word's answer (bounded), under a digest, so
        # that no word of a prompt is kept.
        key = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        seen = self._fuzzy_seen.get(key, _UNSEEN)
        if seen is not _UNSEEN:
            return seen
        if len(self._fuzzy_seen) >= self.FUZZY_MEMO_SIZE:
            self._fuzzy_seen.clear()
        term = self._fuzzy_seen[key] = self._find_fuzzy_term(word)
        return term

    def _find_fuzzy_term(self, word: str) -> Term | None:
        # A letter missing ("dibetic"): the word is a deletion variant of a term.
        term = self._fuzzy.get(word)
        if term is not None or len(word) < self.FUZZY_MIN_LEN:
            return term
        # A letter too many ("diabettic") or two neighbours swapped ("diabteic").
        for variant in _deletions(word):
            term = self._single.get(variant)
            if term is not None:
                return term
        for k in range(len(word) - 1):
            term = self._single.get(word[:k] + word[k + 1] + word[k] + word[k + 2:])
            if term is not None:
                return term
        return None


# English words one typo away from a term, found by running every lower-case word of the
# spaCy model's vocabulary through the typo match (plurals of terms, such as "diabetics",
# are left to match): they are words, not typos.
TYPO_STOPWORDS = frozenset(
    """
    addition concert crushing diagnose disable elapsed mediation mediations peacemaker prescribe shingle singles
    stains stations caesarea christina anglian aromatic romantic sexual remainder saving shavings benefit
    operations sentence
    """.split()
)


def _deletions(word: str) -> set[str]:
    return {word[:k] + word[k + 1:] for k in range(len(word))}


# --------------------------------------------------------------------------------------
# Anchors: is the sentence about a person?
# --------------------------------------------------------------------------------------

COPULA_ANCHORS = frozenset({"i'm", "im", "she's", "he's", "they're", "we're", "am", "is", "are", "was", "were",
                            "identify", "identifies", "identified", "being"})
FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "my", "mine", "myself", "we", "we're",
                          "our", "ours"})
# The same in the other languages of data/foreign_terms.txt ("ich bin schwanger", "notre fille"), without
# the words that are English words or abbreviations too ("soy milk", "Mon:", "MIA", "nos.", "mitt"):
# those count only right before the term ("soy afiliada al sindicato", "mam raka") ...
FIRST_PERSON_HOMOGRAPHS = frozenset("soy mon mes mis mam mia mio nos moi mitt".split())
FIRST_PERSON_ELSEWHERE = frozenset(
    "ich mein meine meinen meinem meiner meines mich mir wir unser unsere unserem unseren unserer je j'ai nous "
    "notre tengo estoy mío mía nuestro nuestra nuestros nuestras sono miei mie abbiamo siamo nostro nostra ik mijn "
    "wij onze jestem mój moja moje mojego mojej mojemu jag mina vår vårt våra olen minulla minun minä meillä".split()
)
FIRST_PERSON = FIRST_PERSON | FIRST_PERSON_ELSEWHERE
# ... or, as possessives, before a relation ("mon fils", "mi madre", "mia madre", "mitt barn").
POSSESSIVES_ELSEWHERE = frozenset("mon ma mes mi mis mia mio mitt min".split())
THIRD_PERSON = frozenset({"he", "she", "he's", "she's", "his", "her", "hers", "him", "himself", "herself"})
RELATIONS = frozenset(
    "son daughter child kid kids children baby toddler husband wife partner spouse boyfriend girlfriend fiance "
    "fiancee mother mom mum mum's father dad brother sister sibling grandmother grandma grandfather grandpa "
    "grandson granddaughter aunt uncle niece nephew cousin friend colleague coworker boss manager employee "
    "neighbour neighbor flatmate roommate tenant landlord client customer patient student pupil stepson "
    "stepdaughter twin twins parents family grandparents grandparent ancestors relatives folks gran granny nan nana "
    "nanna grandad granddad grampa hubby wifey bf gf bestie ex stepmum stepmom stepdad stepfather stepmother mate "
    "housemate carer godson goddaughter mummy mommy daddy sis bro fiancé fiancée teammate classmate".split()
) | frozenset(
    # ... in the other languages of data/foreign_terms.txt (not "man", "kind", "make": English words)
    "mutter vater sohn tochter bruder schwester frau ehemann ehefrau freundin freund oma opa mère père fils fille "
    "frère sœur soeur femme mari copain copine enfant madre padre hijo hija hermano hermana esposa esposo marido "
    "novia novio abuela abuelo mamma papà figlio figlia fratello sorella moglie marito nonna nonno moeder vader zoon "
    "dochter broer zus vrouw echtgenoot matka ojciec córka siostra żona mąż babcia dziadek pappa dotter bror syster "
    "fru äiti isä poika tytär veli sisko vaimo".split()
)
# Labels of clinical notes and records: what follows them is about the patient.
CLINICAL_LABELS = frozenset(
    "patient pt diagnosis diagnosed dx hx presents admitted discharged discharge prescribed referral "
    "referred".split()
)
# Between an anchor and a term these make the sentence about the topic, not the person.
LEARNING_WORDS = frozenset(
    "know understand learn learning curious wonder wondering explain explained research researching essay article "
    "blog post presentation quiz lecture course studying study exam homework teach teaching class thesis "
    "podcast video novel story reading documentary documentaries film movie fiction fictional historical "
    "character trivia".split()
)
# Words that may stand between a tight anchor and its term ("I'm a devout Catholic").
TIGHT_FILLERS = frozenset(
    "a an the am is are was were be been being not also very openly proudly devout practising practicing "
    "lifelong life long proud recently now still actually really both half part and identify identifies as "
    "have has had got get diagnosed with from suffer suffers suffering living live born raised on taking take "
    "started stopped card carrying paid up staunch registered diehard die hard committed loyal longtime "
    "chronic severe mild bad terrible awful nasty serious minor major rare sudden suspected became become "
    "converted".split()
)
# Fillers that make "my <relation> ... <term>" a statement about the relation ("my dad has MS",
# "my wife is Jewish", "my brother owes"), unlike "my colleague Christian".
_STATING = frozenset(
    "is are was were am been identifies identify has have had got gets suffers suffered suffering diagnosed with "
    "on taking started stopped living became become converted owe owes owed earn earns".split()
)
TIGHT_ANCHORS = FIRST_PERSON | THIRD_PERSON | frozenset({"they", "their", "am"})
_GENERIC_DETERMINERS = frozenset({"a", "an", "any", "every", "each", "some", "no"})
_POSSESSIVES = frozenset({"my", "our", "his", "her", "their"})


@dataclass(frozen=True, slots=True)
class Anchoring:
    window_before: int = 10  # words
    window_after: int = 6
    extra_anchors: frozenset[str] = frozenset()
    # TRIGGER terms: entity type -> words of which one must be within the window, either side.
    triggers: tuple[tuple[str, frozenset[str]], ...] = ()
    # entity type -> words that, anywhere in the sentence, make it about something else ("SQL union").
    vetoes: tuple[tuple[str, frozenset[str]], ...] = ()
    # entity type -> words that, right after the term, make it a modifier ("cancer research", "income statement").
    modifiers: tuple[tuple[str, frozenset[str]], ...] = ()

    def triggers_of(self, entity_type: str) -> frozenset[str]:
        return next((words for t, words in self.triggers if t == entity_type), frozenset())

    def vetoes_of(self, entity_type: str) -> frozenset[str]:
        return next((words for t, words in self.vetoes if t == entity_type), frozenset())

    def modifiers_of(self, entity_type: str) -> frozenset[str]:
        return next((words for t, words in self.modifiers if t == entity_type), frozenset())


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and clauses set off by ";", ":" or a dash)."""
    bounds = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        bounds.append((start, end.end()))
        start = end.end()
    bounds.append((start, len(text)))
    return bounds


def is_about_a_person(
    tokens: Sequence[tuple[str, int, int]],
    hit: Hit,
    sentence: tuple[int, int],
    anchoring: Anchoring,
    person_spans: Iterable[tuple[int, int]] = (),
    sentence_words: Callable[[], frozenset[str]] = lambda: frozenset(),
    previous_words: Callable[[], frozenset[str]] = lambda: frozenset(),
    question: Callable[[], bool] = lambda: False,
) -> bool:
    """Whether the hit's sentence ties it to a person (see the module docstring)."""
    lo, hi = sentence
    vetoes = anchoring.vetoes_of(hit.term.entity_type)
    if vetoes and not vetoes.isdisjoint(sentence_words()):
        return False
    modifiers = anchoring.modifiers_of(hit.term.entity_type)
    if modifiers and hit.last + 1 < len(tokens) and tokens[hit.last + 1][0] in modifiers:
        return False
    if hit.term.mode == TIGHT:
        return _tight_anchor(tokens, hit, lo, person_spans)
    if hit.term.mode == COPULA:
        return _copula_anchor(tokens, hit, lo, person_spans)
    if hit.term.mode == TRIGGER and not _has_trigger(tokens, hit, sentence, anchoring):
        return False
    # The term names its person: "her girlfriend", "my skin colour" (not "my religion does not allow bots").
    if hit.term.words[0] in _POSSESSIVES and (hit.term.words[0] != "my" and hit.term.words[0] != "our"
                                               or len(hit.term.words) >= 3):
        return True
    anchors = FIRST_PERSON | THIRD_PERSON | RELATIONS | CLINICAL_LABELS | anchoring.extra_anchors
    start = max(0, hit.first - anchoring.window_before)
    # Before the term: the nearest anchor, with no learning word between it and the term.
    for k in range(hit.first - 1, start - 1, -1):
        word, w_start, _ = tokens[k]
        if w_start < lo:
            break
        if word in LEARNING_WORDS:
            return False
        if word in anchors and not (k > 0 and tokens[k - 1][0] in _GENERIC_DETERMINERS):
            return True
        if word in POSSESSIVES_ELSEWHERE and k + 1 < hit.first and tokens[k + 1][0] in RELATIONS:
            return True  # "mon fils a un cancer"
        if word in FIRST_PERSON_HOMOGRAPHS and k == hit.first - 1:
            return True  # "soy afiliada al sindicato"
    # After the term, a possessive relation: "diabetes runs in my family", "insulin for my daughter".
    for k in range(hit.last + 1, min(len(tokens) - 1, hit.last + 1 + anchoring.window_after)):
        word, _, w_end = tokens[k]
        if w_end > hi:
            break
        if (word in _POSSESSIVES or word in POSSESSIVES_ELSEWHERE) and tokens[k + 1][0] in RELATIONS:
            return True
    # A named person in the same sentence ("Patient Matteo Bianchi, 54, presents with ...").
    # Not the term itself taken for a name: "Parkinson's disease", "Wie wird Krebs behandelt?".
    term_start, term_end = tokens[hit.first][1], tokens[hit.last][2]
    if any(lo <= p_start < hi and abs(p_start - term_start) < 120 and not (p_start < term_end and term_start < p_end)
           for p_start, p_end in person_spans):
        return True
    return _implied_subject(tokens, hit, lo, previous_words, question)


# A sentence that opens on one of these, the term within _IMPLIED_REACH words, says something of the
# writer with the subject left out: "Been on sertraline for two years", "Had a miscarriage in March",
# "Got an eviction notice today" (not "Dealing with a bug in the cancer registry API").
_IMPLIED_REACH = 4
_IMPLIED_I = frozenset("been have had got suffering recovering struggling dealing".split())
# ... or, after a sentence about someone, of that person, when it is no question: "My mum is 82. Has
# dementia and ..." (not "My sister is a nurse. Is diabetes type 2 reversible?").
_IMPLIED_THIRD = frozenset("has is was had got takes suffers".split())
# Words after the opening verb that give it another subject ("Have you had shingles?", "Has anyone
# tried Ozempic?") or make it general ("Is the NHS ...", "Had a look at the diabetes data").
_NOT_IMPLIED = frozenset(
    "you u ya anyone anybody someone somebody everyone people they we it this that there any no".split()
)
_ARTICLES = frozenset({"the", "a", "an"})
# "Had a look at the diabetes data", "Got a question about insulin": an errand, not a disclosure.
_ERRANDS = frozenset("look read chat go think question questions meeting call quick glance peek".split())


def _implied_subject(tokens: Sequence[tuple[str, int, int]], hit: Hit, sentence_start: int,
                     previous_words: Callable[[], frozenset[str]], question: Callable[[], bool]) -> bool:
    """The sentence opens on a verb with its subject left out, and the term is in its reach."""
    first = hit.first
    while first > 0 and tokens[first - 1][1] >= sentence_start:
        first -= 1
        if hit.first - first > _IMPLIED_REACH:
            return False
    after = tokens[first + 1][0] if first + 1 < hit.first else ""
    if first == hit.first or after in _NOT_IMPLIED:
        return False
    if after in _ARTICLES and first + 2 < len(tokens) and tokens[first + 2][0] in _ERRANDS:
        return False
    opening = tokens[first][0]
    if opening in _IMPLIED_I:
        return True
    if opening in _IMPLIED_THIRD and after not in _ARTICLES and not question():
        previous = previous_words()
        return not previous.isdisjoint(THIRD_PERSON) or not previous.isdisjoint(RELATIONS)
    return False


# "Huntington's disease", "Graves' disease", "Tourette syndrome": a name before these is the condition's.
_EPONYM_HEADS = frozenset({"disease", "syndrome", "palsy", "disorder", "sarcoma", "lymphoma", "ulcer", "sign"})


def _in_person(tokens: Sequence[tuple[str, int, int]], k: int, person_spans: Iterable[tuple[int, int]]) -> bool:
    """Whether word k lies in a named person ("Tom is gay", "Maria earns €3,000")."""
    w_start = tokens[k][1]
    return any(p_start <= w_start < p_end for p_start, p_end in person_spans)


def _tight_anchor(tokens: Sequence[tuple[str, int, int]], hit: Hit, sentence_start: int,
                  person_spans: Iterable[tuple[int, int]] = ()) -> bool:
    """An anchor right before the term: "I'm Black", "as a Roma woman", "my stroke", "my wife is Jewish"."""
    copula = False
    for k in range(hit.first - 1, max(-1, hit.first - 5), -1):
        word, w_start, _ = tokens[k]
        if w_start < sentence_start:
            return False
        if (person_spans and (copula or k == hit.first - 1) and _in_person(tokens, k, person_spans)
                and not (k == hit.first - 1 and hit.term.words[0] in _EPONYM_HEADS)):
            return True  # "Tom is diabetic", "Maria earns", "Anna's stroke" (not "Huntington's disease")
        if word == "as":  # "as a Roma woman", not "such as Muslims"
            return k + 1 < len(tokens) and tokens[k + 1][0] in ("a", "an") and (
                k == 0 or tokens[k - 1][0] not in ("such", "well", "same"))
        if word in TIGHT_ANCHORS:
            return True
        if word in RELATIONS or _in_law(tokens, k):  # "my wife is Jewish", not "my colleague Christian"
            return copula or (k == hit.first - 1 and hit.term.words[0] in _STATING)
        if word not in TIGHT_FILLERS:
            return False
        copula = copula or word in _STATING
    return False


def _in_law(tokens: Sequence[tuple[str, int, int]], k: int) -> bool:
    """ "my mother-in-law is ...": the "law" of a relation."""
    return (tokens[k][0] in ("law", "laws") and k >= 2 and tokens[k - 1][0] == "in"
            and tokens[k - 2][0] in RELATIONS)


def _copula_anchor(tokens: Sequence[tuple[str, int, int]], hit: Hit, sentence_start: int,
                   person_spans: Iterable[tuple[int, int]] = ()) -> bool:
    """ "I'm bi", "she is openly gay", "as a Black woman", "Tom is gay"."""
    for k in range(hit.first - 1, max(-1, hit.first - 4), -1):
        word, w_start, _ = tokens[k]
        if w_start < sentence_start:
            return False
        if word == "as":
            return k + 1 < len(tokens) and tokens[k + 1][0] in ("a", "an") and (
                k == 0 or tokens[k - 1][0] not in ("such", "well", "same"))
        if word in COPULA_ANCHORS:
            # "is" and "was" need a person before them: "she is", "my wife is", not "what is".
            if word in ("is", "was", "are", "were", "being") and not (
                    k > 0 and (tokens[k - 1][0] in TIGHT_ANCHORS | RELATIONS | {"they", "i"}
                               or _family_side(tokens, k - 1)
                               or (person_spans and _in_person(tokens, k - 1, person_spans)))):
                return False
            return True
        if word not in ("a", "an", "not", "also", "openly", "proudly", "very", "actually", "half", "now", "both"):
            return False
    return False


def _family_side(tokens: Sequence[tuple[str, int, int]], k: int) -> bool:
    """ "my dad's side is", "her mother's roots are": a family line, said of a person."""
    return (tokens[k][0] in _FAMILY_LINES and k > 0
            and (tokens[k - 1][0] in RELATIONS or tokens[k - 1][0] in _POSSESSIVES))


_FAMILY_LINES = frozenset({"side", "roots", "background", "line", "lineage"})


def _has_trigger(tokens: Sequence[tuple[str, int, int]], hit: Hit, sentence: tuple[int, int],
                 anchoring: Anchoring) -> bool:
    wanted = anchoring.triggers_of(hit.term.entity_type)
    lo, hi = sentence
    for k in range(max(0, hit.first - anchoring.window_before), min(len(tokens), hit.last + 1 + anchoring.window_after)):
        word, w_start, w_end = tokens[k]
        if lo <= w_start and w_end <= hi and (k < hit.first or k > hit.last) and word in wanted:
            return True
    return False


def term_table(entity_type: str, mode: str, terms: str) -> list[tuple[str, str, str]]:
    """Terms separated by ';' or new lines, as (entity_type, mode, term) rows."""
    return [(entity_type, mode, t.strip()) for t in re.split(r"[;\n]", terms) if t.strip()]


DATA_DIR = Path(__file__).with_name("data")


def write_vocabulary(path: Path, header: str, sections: Mapping[str, Iterable[str]]) -> str:
    """Write a vocabulary file as `vocabulary` reads it back: the header (comment lines), then per
    section a "[section]" line and one term a line. Returns what was written, for the build log."""
    lines = [header]
    counts = []
    for name, terms in sections.items():
        terms = list(terms)
        lines.append(f"[{name}]\n")
        lines.extend(f"{term}\n" for term in terms)
        counts.append(f"{name} {len(terms)}")
    path.write_text("".join(lines), encoding="utf-8")
    return f"{', '.join(counts)} -> {path}"


def vocabulary(file_name: str) -> dict[str, list[str]]:
    """Sections of a vocabulary file in data/ ("[section]" lines, then one term a line; "#" comments)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (DATA_DIR / file_name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return sections


def person_spans_from(nlp_artifacts) -> list[tuple[int, int]]:
    """Character spans of spaCy's PERSON entities, if the artifacts carry any."""
    entities = getattr(nlp_artifacts, "entities", None) or []
    return [(e.start_char, e.end_char) for e in entities if getattr(e, "label_", "") == "PERSON"]


def _opens_with_a_question(text: str, lo: int, hi: int) -> bool:
    """The sentence's first clause asks: "Has depression become more common?" (not "Has debts he
    hides from us, how do I bring it up?")."""
    clause = _CLAUSE_END.split(text[lo:hi], maxsplit=1)[0]
    return clause.rstrip().endswith("?")


_CLAUSE_END = re.compile(r"[,;]")


def build_hits_by_sentence(text: str, lexicon: Lexicon, anchoring: Anchoring, nlp_artifacts=None,
                           stopwords: frozenset[str] = frozenset()) -> Iterator[tuple[Hit, int, int]]:
    """Hits that are about a person, with their character spans; at most one per word."""
    tokens = words_of_analysis(text, nlp_artifacts)
    if not tokens:
        return
    sentences = sentence_bounds(text)
    persons = person_spans_from(nlp_artifacts)
    starts = [start for _, start, _ in tokens]
    words_of: dict[int, frozenset[str]] = {}

    def sentence_words(index: int) -> frozenset[str]:
        if index not in words_of:
            lo, hi = sentences[index]
            words_of[index] = frozenset(w for w, _, _ in tokens[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)])
        return words_of[index]

    s_index = 0
    i = 0
    while i < len(tokens):
        chosen = None
        for hit in lexicon.candidates(tokens, i, stopwords):
            start, end = tokens[hit.first][1], tokens[hit.last][2]
            if hit.term.cased and not text[start].isupper():
                continue
            while s_index < len(sentences) - 1 and sentences[s_index][1] <= start:
                s_index += 1
            words_here = functools.partial(sentence_words, s_index)
            words_before = functools.partial(sentence_words, s_index - 1) if s_index else frozenset
            lo, hi = sentences[s_index]
            question = functools.partial(_opens_with_a_question, text, lo, hi)
            if is_about_a_person(tokens, hit, sentences[s_index], anchoring, persons, words_here, words_before,
                                 question):
                chosen = (hit, start, end)
                break
        if chosen is None:
            i += 1
            continue
        yield chosen
        i = chosen[0].last + 1


class LexiconRecognizer(OwnRecognizer):
    """Base of the lexicon recognizers: class-level TERMS, ANCHORING, STOPWORDS and SCORE.

    Findings carry IS_SCORE_ENHANCED_BY_CONTEXT so that Presidio's context enhancer,
    which knows nothing of our person test, does not add to their score.
    """

    LEXICON: Lexicon
    ANCHORING = Anchoring()
    STOPWORDS: frozenset[str] = frozenset()  # words one typo away from a term that are words of their own
    SCORE = 0.65
    FUZZY_PENALTY = 0.05

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        wanted = set(self.ENTITIES) & set(entities) if entities else set(self.ENTITIES)
        if not wanted or not text:
            return []
        return [
            lexicon_result(self, hit.term.entity_type, start, end,
                           self.SCORE - (self.FUZZY_PENALTY if hit.fuzzy else 0.0),
                           "fuzzy term" if hit.fuzzy else "term")
            for hit, start, end in build_hits_by_sentence(text, self.LEXICON, self.ANCHORING, nlp_artifacts,
                                                          self.STOPWORDS)
            if hit.term.entity_type in wanted
        ]


def lexicon_result(recognizer: EntityRecognizer, entity_type: str, start: int, end: int, score: float,
                   rule: str) -> RecognizerResult:
    """A result whose score Presidio's context enhancer leaves alone (our own context test decided)."""
    return RecognizerResult(
        entity_type=entity_type, start=start, end=end, score=score,
        analysis_explanation=AnalysisExplanation(
            recognizer=recognizer.name, original_score=score, pattern_name=rule,
            textual_explanation=f"Detected by `{recognizer.name}` ({rule}), said of a person",
        ),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
        },
    )
