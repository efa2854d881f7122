"""CHILD_DATA (category SPECIAL): a child identified by name or age through a family or school tie.

"my son Zoé (9)", "my 8-year-old Ida", "our daughter Emma, 6,", "Luca Evans (class 3B)",
"my kids Anna and Ben", "Tom, my son, is 8", "my daughter (14)", "my son is 12", "my
eldest, Mia, ...", "Jonas (11) from class 5b", "my boy Kwame", "ma fille Léa, 7 ans".
GDPR gives children's data "specific protection" (Recital 38, Art. 8) without making it
an Art. 9 category; Residency maps it to SPECIAL so that the shipped policy keeps a
named or aged child on the self-hosted model.

The findings are the child's name and its stated age, each on its own ("Zoé" and "9" in
"my son Zoé (9)", as bench/data/README.md labels them: a title, a possessive "'s" and the
class are outside). A child
word alone ("my son loves dinosaurs"), a general question ("games for 7-year-olds", "how
tall is a typical 8 year old"), an adult's age ("my son Tom (34)") and a pet's or a
thing's age ("my 12 year old cat", "my 10 year old car") are not reported: only a child
who can be told apart, by a name or an age tied to the writer, a school class or a child
word. The child's name is also PERSON (spaCy, or `names.NameRecognizer`).

Every pattern starts on a literal word or a word start and has bounded gaps, so a
long prompt costs one linear pass per pattern.
"""

from __future__ import annotations

import regex
from presidio_analyzer import RecognizerResult

from policy.recognizers._base import OwnRecognizer
from policy.recognizers._lexicon import lexicon_result, person_spans_from, words_of_analysis
from policy.recognizers.name_lexicon import AMBIGUOUS_FIRST, FIRST

CHILD_DATA = "CHILD_DATA"

_AGE_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
              "|seventeen")
_WORD_AGES = {w: i for i, w in enumerate(_AGE_WORDS.split("|"), start=1)}
_CHILD_EN = (r"(?:sons?|daughters?|kids?|child(?:ren)?|boys?|girls?|bab(?:y|ies)|toddlers?|step-?sons?"
             r"|step-?daughters?|step-?kids?|step-?child(?:ren)?|grandsons?|granddaughters?|grandkids?"
             r"|grandchild(?:ren)?|nephews?|nieces?|twins?|teenagers?|teens?|pupils?|little\s+ones?"
             r"|eldest|youngest|oldest|middle\s+(?:one|child|kid)|firstborn|first-born|newborn|godson|goddaughter"
             r"|foster\s+(?:son|daughter|child|kid)s?)")
# Child words of other languages, each with its own possessives ("mein Sohn", "ma fille", "mijn zoon").
_CHILD_ELSEWHERE = (
    r"(?:(?:mein|meine|meinen|meinem|unser|unsere|unseren|unserem)\s+(?:Sohn|Tochter|Kind|Kinder|Enkel|Enkelin"
    r"|Stiefsohn|Stieftochter|Junge|Sohnemann)"
    r"|(?:mon|ma|mes|notre|nos)\s+(?:fils|fille|filles|enfants?|petit-fils|petite-fille|garçon|neveu|nièce)"
    r"|(?:mi|mis|nuestro|nuestra|nuestros|nuestras)\s+(?:hijos?|hijas?|niños?|niñas?|nietos?|nietas?)"
    r"|(?:mio|mia|miei|mie|nostro|nostra|nostri|nostre)\s+(?:figlio|figlia|figli|figlie|bambino|bambina)"
    r"|(?:mijn|onze|ons)\s+(?:zoon|dochter|kind|kinderen|zoontje|dochtertje|kleinzoon|kleindochter)"
    r"|(?:mój|moja|moje|nasz|nasza|nasze)\s+(?:syn|córka|dziecko|dzieci|synek|córeczka)"
    r"|(?:mitt|mina|vår|vårt|våra)\s+(?:son|dotter|barn|söner|döttrar)"
    r"|(?:poikani|tyttäreni|lapseni))"
)
_POSS = r"(?:my|our|his|her|their|your)"
_AGE_NUM = rf"(?:\d{{1,2}}|{_AGE_WORDS})"
# Units after an age: "8 years old", "8yo", "7 ans", "9 Jahre alt", "8 años", "6 anni", "5 jaar", "7-vuotias".
_FOREIGN_UNIT = r"(?:Jahre(?:[ \t]+alt)?|ans|años|anni|jaar|lat|år|vuotias)"
_AGE_UNIT = (r"(?:[ \t-]*(?:years?[ \t-]+old|yrs?[ \t-]+old|y/?o\b|y\.o\.|years?\b|yrs?\b|(?:months?|weeks?)[ \t-]+old"
             rf"|{_FOREIGN_UNIT}\b))?")
# A unit, a decimal, a time, a score or an ordinal after the number makes it something else.
_NOT_AN_AGE = (r"(?!\w|[.,:/]\d|[ \t]*(?:%|[°'’\"]|(?i:minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?"
               r"|kg|kilos?|lbs?|pounds?|cm|inches|feet|foot|ft|points?|pts|times|percent|pages?|euros?|dollars?"
               r"|miles?|km|o'clock|am|pm|of|out|per|x|goals?|grand|k)\b))")
_NAME_WORD = r"(?<![\p{L}\p{M}'’-])\p{Lu}[\p{Ll}\p{M}'’-]{1,24}(?:-\p{Lu}[\p{Ll}\p{M}]{1,24})?"
_LOWER_NAME = r"(?<![\p{L}\p{M}'’-])\p{Ll}[\p{Ll}\p{M}'’-]{1,24}"
# After a name or a child word, the age: "(9)", "(age 8)", ", 6,", " is 12", " who's 7", " aged 9", " turned 10",
# "a 7 ans", "ist 9 Jahre alt".
_AGE_TAIL = regex.compile(
    rf"(?i:[ \t]*\([ \t]*(?:age[ \t]*|aged[ \t]*)?(?P<paren>{_AGE_NUM}{_AGE_UNIT}){_NOT_AN_AGE}[ \t]*\)"
    rf"|,[ \t]*(?:aged?[ \t]+)?(?P<comma>{_AGE_NUM}{_AGE_UNIT}){_NOT_AN_AGE}(?=[ \t]*(?:[,;.)!?]|and\b|$))"
    rf"|,?[ \t]+(?:(?:who[ \t]+is|who's|who[ \t]+just[ \t]+turned|is|was|aged?|turned|turns|just[ \t]+turned"
    rf"|is[ \t]+(?:now|nearly|almost|only|just|turning)|will[ \t]+be)[ \t]+"
    rf"|(?:ist|est|a|tiene|ha|ma|är|on|de|di|van|heeft)[ \t]+(?={_AGE_NUM}[ \t-]*{_FOREIGN_UNIT}))"
    rf"(?P<said>{_AGE_NUM}{_AGE_UNIT}){_NOT_AN_AGE})"
)
# "my 8-year-old (Ida)", "my 7yo", "our 18-month-old", "my 7 and 9 year olds".
_AGE_OLD = (rf"(?:{_AGE_NUM}(?:[ \t]*(?:,|and|&)[ \t]*{_AGE_NUM}){{0,2}}[ \t-]+(?:year|yr|month|week)s?[ \t-]+olds?"
            rf"|\d{{1,2}}[ \t]?(?:yo|y/o|y\.o\.)\b)")


class ChildDataRecognizer(OwnRecognizer):
    """CHILD_DATA: a named or aged child of the writer, or a pupil with a school class (see the module docstring)."""

    ENTITIES = (CHILD_DATA,)
    # A possessive and a child word: what follows may name the child or give its age.
    CHILD_WORD = regex.compile(
        rf"(?i:\b{_POSS}[ \t]+(?:(?:own|little|baby|teenage|adopted|twin|two|three|four|young|lovely|beautiful)"
        rf"[ \t]+){{0,2}}(?:(?P<ageold>{_AGE_OLD})[ \t]+)?(?:(?:little|teenage|twin|baby|young)[ \t]+)?"
        rf"{_CHILD_EN}\b|\b{_CHILD_ELSEWHERE}\b)"
    )
    # "my 8-year-old (Ida)", without a child word.
    AGE_OLD = regex.compile(rf"(?i:\b(?:my|our|his|her|their)[ \t]+(?:little[ \t]+)?)(?P<id>(?i:{_AGE_OLD}))")
    # "Tom, my son, is 8", "Aisha (my daughter)".
    NAME_THEN_CHILD = regex.compile(
        rf"(?P<name>{_NAME_WORD})(?:,[ \t]*|[ \t]+\([ \t]*|[ \t]+is[ \t]+)(?i:{_POSS}[ \t]+"
        rf"(?:(?:little|eldest|youngest|oldest|step|twin)[ \t]+)?{_CHILD_EN}\b)\)?"
    )
    # "Jonas (11)", "Mia, 7,", "Mia is 7", "Luca Evans (class 3B)", "Jonas from class 5b".
    NAME_THEN_AGE = regex.compile(rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)(?=[ \t]*[(,]|[ \t]+(?i:is|turned|turns|just|aged?)\b)")
    PUPIL = regex.compile(
        rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)(?:[ \t]*\([ \t]*(?P<age>{_AGE_NUM})[ \t]*\))?"
        r"(?:[ \t]*\((?i:class|year|grade|form)[ \t]+\d{1,2}[A-Za-z]?\)"
        r"|[ \t]+(?i:from|in)[ \t]+(?i:class|year|grade|form|klasse|classe)[ \t]+\d{1,2}[A-Za-z]?\b)"
    )
    # After a child was mentioned, its age a few words on: "my son has asthma, he's 9".
    PRONOUN_AGE = regex.compile(
        rf"(?i:\b(?:he|she|they)(?:'s|’s|[ \t]+is|[ \t]+was|[ \t]+are|[ \t]+just[ \t]+turned|[ \t]+turned|[ \t]+turns"
        rf"|[ \t]+will[ \t]+be|[ \t]+is[ \t]+(?:now|nearly|almost|only|turning))[ \t]+)(?P<said>(?i:{_AGE_NUM}{_AGE_UNIT}))"
        + _NOT_AN_AGE
    )
    PRONOUN_WINDOW = 120
    NAME_HERE = regex.compile(rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?|{_LOWER_NAME}")
    GREETING = regex.compile(r"(?i:\b(?:hi|hello|hey|dear|thanks|thank\s+you|hiya|morning)[ \t,]*)$")
    NAME_AFTER = regex.compile(rf"[ \t]+({_NAME_WORD})")
    NAME_LIST = regex.compile(r"(?:[ \t]*,|[ \t]+(?i:and|&))[ \t]+")
    LEAD = regex.compile(r"[ \t]*(?:,|:|-|–|—)?[ \t]*")
    # Capitalised words that are not names.
    NOT_NAMES = frozenset(
        """and or but so is was has had have are were be been being who which that the a an i i'm in at on to from
        with will would can could should shall may might must did does do got gets get goes went loves likes hates
        wants needs keeps says said starts started turns turned just really also still always never now then today
        tomorrow yesterday tonight this these those there here my our his her their your he she it they we you me
        monday tuesday wednesday thursday friday saturday sunday january february march april june july august
        september october november december age aged years year old not no yes ok okay please thanks sorry hi hello
        hey dear plays play came comes made makes took takes lives asked told thinks knows seems feels tried
        refuses learned reads writes sleeps eats because since when if as after before about for of by up out
        again already recently lately sometimes usually honestly basically actually apparently unfortunately
        sadly luckily currently meanwhile plus btw anyway however though although while whose whom what where why
        how class grade form school nursery kindergarten daycare step chapter section figure table level page room
        task question exercise part phase version item line group team round box unit lesson module week day
        mr mrs ms miss dr sohn tochter kind kinder fils fille enfant hijo hija figlio figlia zoon dochter""".split()
    )
    # What "my 10 year old ..." may be, other than a child.
    NOT_CHILDREN = frozenset(
        """car cars laptop laptops computer pc mac phone phones iphone tablet ipad dog dogs cat cats puppy kitten
        pup horse horses pony rabbit hamster parrot bird fish tortoise pet pets house home flat apartment roof
        boiler fridge freezer oven dishwasher washer washing machine tv television sofa couch mattress bed bike
        bicycle van truck boat caravan printer router camera watch guitar piano tree trees plant plants garden
        lawn mower shoes boots coat jacket bag account business company startup blog website app software code
        codebase server servers system database repo project marriage relationship wine whisky whiskey scotch
        rum cheese bottle tires tyres battery engine""".split()
    )
    ADULT_FROM = 18
    SCORE = 0.6

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and CHILD_DATA not in entities:
            return []
        found: list[tuple[int, int]] = []
        persons = person_spans_from(nlp_artifacts)
        # The words of the text (shared with the lexicon recognizers) tell which patterns can match at all.
        present = {word for word, _, _ in words_of_analysis(text, nlp_artifacts)}
        child_word = not present.isdisjoint(_CHILD_WORDS)
        for match in self.CHILD_WORD.finditer(text) if child_word else ():
            self._after_child_word(text, match, found, persons)
        for match in self.AGE_OLD.finditer(text):
            start, end = match.span("id")
            if not self._child_age_old(text, start, end):
                continue
            found.append((start, end))
            name = self.NAME_AFTER.match(text, end)
            if name is not None and self._is_name(text, *name.span(1), persons, strong=True):
                found.append(name.span(1))
        for match in self.NAME_THEN_CHILD.finditer(text) if child_word else ():
            start, end = match.span("name")
            if not self._is_name(text, start, end, persons, strong=False) or self.GREETING.search(
                    text, max(0, start - 12), start):
                continue  # "Hi Emma, my son Leo ...": Emma is the reader
            named = self.NAME_HERE.match(text, match.end() + len(self.LEAD.match(text, match.end()).group(0)))
            if named is not None and self._is_name(text, named.start(), named.start() + len(named.group(0).split()[0]),
                                                   persons, strong=True):
                continue  # "Emma, my son Leo": the child is Leo
            found.append((start, end))
            tail = _AGE_TAIL.match(text, match.end())
            if tail is not None:
                self._add_age(tail, found)
        for match in self.NAME_THEN_AGE.finditer(text):
            start, end = match.span("name")
            if not self._is_name(text, start, start + len(text[start:end].split()[0]), persons, strong=False):
                continue
            tail = _AGE_TAIL.match(text, end)
            age = self._age_of(tail)
            if age is None or age >= self.ADULT_FROM:
                continue
            found.append((start, end))
            self._add_age(tail, found)
        for match in self.PUPIL.finditer(text) if not present.isdisjoint(_CLASS_WORDS) else ():
            start, end = match.span("name")
            first_end = start + len(text[start:end].split()[0])
            if self._is_name(text, start, first_end, persons, strong=False) or text[match.end() - 1] == ")":
                found.append((start, end))
                if match.group("age") and (_age_value(match.group("age")) or 99) < self.ADULT_FROM:
                    found.append(match.span("age"))
        return [lexicon_result(self, CHILD_DATA, start, end, self.SCORE, "child") for start, end in _outermost(found)]

    def _child_age_old(self, text: str, start: int, end: int) -> bool:
        """ "my 8-year-old", not "my 30 year old brother" nor "my 10 year old car"."""
        span = text[start:end].lower()
        if "month" not in span and "week" not in span and (_age_value(span) or 99) >= self.ADULT_FROM:
            return False
        following = [w.strip(".,;:!?()").lower() for w in text[end:end + 60].split()[:3]]
        while following and following[0] in ("old", "little", "new", "poor", "beloved", "rescue", "senior", "male",
                                              "female", "black", "white", "grey", "gray", "red", "blue", "silver"):
            following.pop(0)
        return not (following and following[0] in self.NOT_CHILDREN)

    def _after_child_word(self, text: str, match: regex.Match, found: list[tuple[int, int]], persons) -> None:
        """Names and an age after "my son", "our twins", "my 10 year old daughter"."""
        if match.group("ageold") and self._child_age_old(text, *match.span("ageold")):
            found.append(match.span("ageold"))
        names: list[tuple[int, int]] = []
        lead = self.LEAD.match(text, match.end())
        cursor = lead.end() if lead else match.end()
        for _ in range(4):
            name = self.NAME_HERE.match(text, cursor)
            if name is None:
                break
            start, end = name.span()
            words = text[start:end].split()
            if len(words) > 1 and (words[1].lower() in self.NOT_NAMES or words[1][:1].islower()):
                end = start + len(words[0])
            if not self._is_name(text, start, start + len(words[0]), persons, strong=True):
                break
            names.append((start, end))
            joiner = self.NAME_LIST.match(text, end)
            if joiner is None:
                break
            cursor = joiner.end()
        tail = _AGE_TAIL.match(text, names[-1][1] if names else match.end())
        age = self._age_of(tail)
        if age is not None and age >= self.ADULT_FROM:
            return  # "my son Tom (34)": an adult
        found.extend(names)
        if age is not None:
            self._add_age(tail, found)
            return
        said = self.PRONOUN_AGE.search(text, match.end(), min(len(text), match.end() + self.PRONOUN_WINDOW))
        if said is not None and (_age_value(said.group("said")) or 99) < self.ADULT_FROM:
            found.append(said.span("said"))

    def _add_age(self, tail: regex.Match, found: list[tuple[int, int]]) -> None:
        for group in ("paren", "comma", "said"):
            if tail.group(group):
                value = _age_value(tail.group(group))
                if value is not None and value < self.ADULT_FROM:
                    found.append(tail.span(group))
                return

    @staticmethod
    def _age_of(tail: regex.Match | None) -> int | None:
        if tail is None:
            return None
        value = tail.group("paren") or tail.group("comma") or tail.group("said")
        return _age_value(value) if value else None

    def _is_name(self, text: str, start: int, end: int, persons, strong: bool) -> bool:
        """A child's name: right after a child word (strong) any capitalised word that is not a function word,
        or a lower-case first name; elsewhere a known first name or a name spaCy found."""
        word = text[start:end]
        key = word.lower().replace("’", "'")
        if key in self.NOT_NAMES or key.endswith("'s"):
            return False
        if word[:1].islower():
            return key in FIRST and key not in AMBIGUOUS_FIRST
        if strong:
            return True
        return (key in FIRST and key not in AMBIGUOUS_FIRST) or any(p_start <= start < p_end for p_start, p_end in persons)


# Words of which one is in every text CHILD_WORD or NAME_THEN_CHILD can match (lower case, as `words` gives them).
_CHILD_WORDS = frozenset(
    """son sons daughter daughters kid kids child children boy boys girl girls baby babies toddler toddlers stepson
    stepsons stepdaughter stepdaughters stepkid stepkids stepchild stepchildren grandson grandsons granddaughter
    granddaughters grandkid grandkids grandchild grandchildren nephew nephews niece nieces twin twins teenager
    teenagers teen teens pupil pupils little eldest youngest oldest middle firstborn born newborn godson goddaughter
    foster sohn tochter kind kinder enkel enkelin stiefsohn stieftochter junge sohnemann fils fille filles enfant
    enfants petit petite garçon neveu nièce hijo hijos hija hijas niño niños niña niñas nieto nietos nieta nietas
    figlio figlia figli figlie bambino bambina zoon dochter kinderen zoontje dochtertje kleinzoon kleindochter syn
    córka dziecko dzieci synek córeczka dotter barn söner döttrar poikani tyttäreni lapseni""".split()
)
_CLASS_WORDS = frozenset("class year grade form klasse classe".split())


def _age_value(text: str) -> int | None:
    number = regex.match(r"\d{1,2}|[A-Za-z]+", text.strip())
    if number is None:
        return None
    value = number.group(0)
    return int(value) if value.isdigit() else _WORD_AGES.get(value.lower())


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Distinct spans, without those inside another."""
    unique = sorted(set(spans), key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for start, end in unique:
        if kept and start >= kept[-1][0] and end <= kept[-1][1]:
            continue
        kept.append((start, end))
    return kept
