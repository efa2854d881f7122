"""PERSON: names where the writing itself says "this is a name", beyond what spaCy's small model finds.

    greetings      "Hi Sven,", "Dear Åsa Andersson", "Sehr geehrter Herr van den Berg,"
    thanks         "thanks so much Tiago and Elif for ..."
    sign-offs      "Best,\\nAnne-Marie", "Kind regards,\\nLinnea Lindqvist"
    mail headers   "From: Amelia Okonkwo <...>", "> To: Jan de Vries"
    titles         "Mr. Konstantinidou's flight", "Frau Schmidt", "Dr Okafor"
    relations      "my neighbour Tiago", "our au pair Eleni Georgiou", "my son Zoé"
    self-intros    "my name is björn andersson" (lower case too, after "my name is")

Names are capitalised words (any script's capitals), with the particles of European
surnames (van, de, O', Mc ...). Words that start sentences or greet groups ("Hi all",
"Dear Sir") and technical terms ("Hi Grafana team") are not names.
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import RecognizerResult

from policy.recognizers._base import OwnRecognizer
from policy.recognizers._lexicon import lexicon_result
from policy.recognizers.technical_terms import TECHNICAL_TERMS

PERSON = "PERSON"

_CAP = r"(?:\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*|\p{Lu}['’]\p{Lu}[\p{Ll}\p{M}]+|Mc\p{Lu}[\p{Ll}]+)"
_PARTICLE = r"(?:van|von|de|der|den|da|di|du|del|della|dos|das|le|la|ter|ten|bin|al|el|ó|ní|ui|mac|zu)"
_INITIAL = r"\p{Lu}(?:\.[ \t]*|[ \t]+)"  # "Miki C Kristiansen", "Sari J. Paavolainen"
_NAME = rf"{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}(?:{_INITIAL})?{_CAP}){{0,2}}"
_NAME_GROUP = rf"(?P<name>{_NAME})(?![\p{{L}}\d])"

_GREETING = (r"(?:hi|hello|hey|dear|hallo|hola|bonjour|ciao|salut|hej|moin|servus|olá|ola|good\s+morning|"
             r"good\s+afternoon|good\s+evening|morning|liebe[rs]?|sehr\s+geehrte[rs]?\s+(?:herr|frau)|"
             r"chère?|caro|cara|querid[oa]|beste|geachte\s+(?:heer|mevrouw))")
_THANKS = r"(?:thanks|thank\s+you|thx|cheers|congrats|congratulations|well\s+done|kudos)(?:\s+(?:so\s+much|a\s+lot|again))?"
_SIGN_OFF = (r"(?:best|best\s+regards|kind\s+regards|warm\s+regards|regards|many\s+thanks|thanks|thank\s+you|cheers|"
             r"sincerely|yours\s+sincerely|yours\s+faithfully|yours|br|love|xoxo|mit\s+freundlichen\s+grüßen|"
             r"viele\s+grüße|liebe\s+grüße|lg|cordialement|bien\s+à\s+vous|saluti|cordiali\s+saluti|un\s+saludo|"
             r"saludos|groeten|met\s+vriendelijke\s+groet|pozdrawiam|hälsningar|mvh|med\s+venlig\s+hilsen)")
_HEADER = r"(?:from|to|cc|bcc|sender|reply-to|von|an|de|à|da|a|van|aan)"
_TITLE = (r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Madame|Monsieur|Sig|Sig\.ra|Signor|Signora|Señor|"
          r"Señora|Sr|Sra|Dhr|Mevr|Pan|Pani)\.?")
_RELATION = (r"(?:son|daughter|husband|wife|partner|boyfriend|girlfriend|fianc[ée]e?|mother|mum|mom|father|dad|"
             r"brother|sister|grandmother|grandfather|grandma|grandpa|aunt|uncle|cousin|nephew|niece|friend|"
             r"colleague|co-?worker|boss|manager|neighbou?r|landlord|landlady|tenant|flatmate|roommate|client|"
             r"patient|student|pupil|teacher|tutor|nanny|au\s+pair|babysitter|cleaner|assistant|intern|"
             r"employee|doctor|therapist|lawyer|accountant|coach|kid|child|baby|stepson|stepdaughter)")
_LOWER_NAME = r"(?!(?:not|on|at|in|a|an|the|so|just|very|going|from|also|still|new|here)\b)(?P<name>[\p{Ll}][\p{Ll}\p{M}'’-]+(?:[ \t]+(?!(?:and|or|but|from|i|im|i'm|in|at|to|with|the|a|is)\b)[\p{Ll}][\p{Ll}\p{M}'’-]+){0,2})"

# Capitalised words that are not names where these patterns look for one.
NOT_NAMES = frozenset(
    """
    all everyone everybody there team folks guys sir madam madame colleagues friends both again you mate world
    the this that these those it its we they he she i me my our your their his her there here so and or but
    thanks thank please yes no ok okay sure great good best kind regards sincerely cheers hope will can may
    monday tuesday wednesday thursday friday saturday sunday january february march april june july august
    september october november december today tomorrow tonight morning afternoon evening everyone's support
    customer customers user users admin team's hr it sales marketing finance legal management
    also however well now then sorry btw anyway first second finally actually honestly next note update
    hmm ah oh wow great perfect cool nice right alright quick one last another hi hello hey dear
    """.split()
)


class NameRecognizer(OwnRecognizer):
    """PERSON in greetings, thanks, sign-offs, headers, titles, relations and self-introductions."""

    ENTITIES = (PERSON,)
    # Gaps are bounded (at most 3): "[ \t]*,?[ \t]+" backtracks quadratically over a long run of spaces.
    PATTERNS: ClassVar[tuple[tuple[str, regex.Pattern[str], float], ...]] = (
        ("greeting", regex.compile(rf"(?i:(?<![\p{{L}}])(?:{_GREETING}))[ \t]{{0,3}},?[ \t]{{1,3}}(?-i:{_NAME_GROUP})"
                                   rf"(?=[ \t]*(?:[,!:;.\n]|$|—|-\s))"), 0.7),
        ("thanks", regex.compile(rf"(?i:(?<![\p{{L}}])(?:{_THANKS}))[ \t]{{0,3}},?[ \t]{{1,3}}(?-i:{_NAME_GROUP})"
                                 rf"(?:[ \t]+and[ \t]+(?-i:(?P<second>{_NAME})))?(?=[ \t]*(?:[,!:;.\n]|$|for\b|—))"),
         0.7),
        ("sign-off", regex.compile(rf"(?im:^[ \t>]*(?:{_SIGN_OFF})[ \t]*[,!.]?[ \t]*\r?\n[ \t>]*)(?-i:{_NAME_GROUP})"
                                   rf"[ \t]*(?=\r?\n|$)"), 0.7),
        ("header", regex.compile(rf"(?im:^[ \t>]*(?:{_HEADER})[ \t]*:[ \t]*)(?-i:{_NAME_GROUP})[ \t]*(?=<|\(|\r?\n|$|,)"),
         0.7),
        ("title", regex.compile(rf"(?<![\p{{L}}]){_TITLE}[ \t]+(?P<name>(?:{_PARTICLE}[ \t]+){{0,2}}{_NAME})(?![\p{{L}}\d])"),
         0.7),
        ("relation", regex.compile(rf"(?i:\b(?:my|our|his|her|their)[ \t]+(?:\p{{Ll}}+[ \t]+)?{_RELATION})[ \t]{{0,3}},?[ \t]{{1,3}}"
                                   rf"(?-i:{_NAME_GROUP})"), 0.6),
        # "She named him Sean", "Her maiden name is Cortés", "the name on the account is Tiffany Ilić"
        ("naming", regex.compile(rf"(?i:\b(?:named|called|maiden[ \t]+name[ \t]+(?:is|was)|name[ \t]+on[ \t]+the[ \t]+"
                                 rf"(?:account|card|booking|reservation|ticket)[ \t]+(?:is|was)|name[ \t]*:)"
                                 rf"(?:[ \t]+(?:him|her|them|it))?)[ \t]+(?-i:{_NAME_GROUP})"), 0.65),
        # "add Miki C Kristiansen as a beneficiary"
        ("role", regex.compile(rf"(?i:\b(?:add|added|adding|appoint|appointed|name|named|list|listed)[ \t]+)(?-i:{_NAME_GROUP})"
                               rf"(?i:[ \t]+as[ \t]+(?:a[ \t]+|an[ \t]+|the[ \t]+|my[ \t]+|our[ \t]+)?(?:\p{{L}}+[ \t]+)?"
                               rf"(?:beneficiary|guardian|executor|trustee|signatory|contact|dependant|dependent|"
                               rf"emergency[ \t]+contact|co-?signer|authori[sz]ed[ \t]+user|next[ \t]+of[ \t]+kin))"), 0.65),
        # "Clotilde, can I please speak to your boss?": a name addressed at the start of a line
        ("vocative", regex.compile(rf"(?m:^[ \t>\"'“]*)(?-i:{_NAME_GROUP}),[ \t]+(?i:can|could|would|will|please|do|did|"
                                   rf"are|have|I|we|thanks|thank|just|quick|let)\b"), 0.6),
        # "Priya Hughes (hughes.priya@...)", "Aditya Rao <rao@...>": a name right before its e-mail address
        ("before e-mail", regex.compile(rf"(?-i:{_NAME_GROUP})[ \t]*[(<][ \t]*[\w.+-]+@[\w-]+\."), 0.7),
        # "review from Aoife Kelly", "invoice for Olumide Adeyemi", "contract of Elif Yılmaz": two words or more
        ("document", regex.compile(rf"(?i:\b(?:review|message|email|e-mail|letter|note|text|reply|complaint|feedback|"
                                   rf"invitation|invite|comment|invoice|contract|form|certificate|reference|"
                                   rf"recommendation|application|booking|reservation|ticket|payslip|slip|card|cv|"
                                   rf"résumé|resume|profile|file|record|claim|order)[ \t]+(?:from|by|for|of|to|on)[ \t]+)"
                                   rf"(?P<name>{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}(?:{_INITIAL})?{_CAP}){{1,2}})"
                                   rf"(?![\p{{L}}\d])"), 0.6),
        # Lower case only after "my name is": "call me on ..." is not a name.
        ("self-introduction", regex.compile(rf"(?i:\bmy[ \t]+(?:full[ \t]+)?(?:name|nmae|naem)[ \t]+is)[ \t]+"
                                            rf"(?:{_NAME_GROUP}|{_LOWER_NAME})"), 0.65),
        ("called", regex.compile(rf"(?i:\bi[ \t]+am[ \t]+called|\bcall[ \t]+me|\bi'?m[ \t]+called)[ \t]+(?-i:{_NAME_GROUP})"),
         0.65),
    )
    NOT_NAMES = NOT_NAMES

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and PERSON not in entities:
            return []
        found: dict[tuple[int, int], RecognizerResult] = {}
        for rule, pattern, score in self.PATTERNS:
            for match in pattern.finditer(text):
                for group in ("name", "second"):
                    if group not in pattern.groupindex or match.start(group) < 0:
                        continue
                    span = self._name_span(text, match.start(group), match.end(group))
                    if span is not None:
                        found.setdefault(span, lexicon_result(self, PERSON, span[0], span[1], score, rule))
        return list(found.values())

    def _name_span(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Drop words that are not names from either end; None if nothing is left."""
        words = [(m.start() + start, m.end() + start) for m in regex.finditer(r"[\p{L}\p{M}'’-]+", text[start:end])]
        while words and text[words[-1][0]:words[-1][1]].lower().rstrip("s").rstrip("'’") in self.NOT_NAMES | {""}:
            words.pop()
        while words and text[words[0][0]:words[0][1]].lower() in self.NOT_NAMES:
            words.pop(0)
        if not words:
            return None
        lowered = [text[a:b].lower() for a, b in words]
        if all(w in TECHNICAL_TERMS or w in self.NOT_NAMES for w in lowered):
            return None
        end = words[-1][1]
        if text[words[-1][0]:end].endswith(("'s", "’s")):
            end -= 2
        return words[0][0], end
