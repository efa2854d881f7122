"""FINANCIAL_SITUATION (category FINANCIAL): a person's debts, arrears, income and hardship, in words.

"I'm three months behind on my rent", "I have €18,000 of credit card debt", "I lost my
job and can't make this month's mortgage payment", "my Schufa score dropped". Financial
hardship is not a GDPR Art. 9 category, so it is FINANCIAL, a personal category: the
shipped policy keeps it in the caller's region (hosted-eu for an EU caller) rather than
on the self-hosted model, as it does for IBANs. A policy that wants it local can list
FINANCIAL_SITUATION's category as restricted, or match the type.

An amount next to the term is part of the finding: "a salary of €2,100 a month", "€18,000 of
credit card debt". Pay stated as an amount with a period after a word of earning, of a
person named or referred to earlier in the sentence, is a finding without any term: "my
husband is on £38k a year", "Anna makes €3,100 a month" (not "the average nurse makes
€3,000 a month", "I pay €900 a month in rent"). German, French, Spanish, Italian, Dutch,
Polish, Swedish and Finnish debt and unemployment words come from `data/foreign_terms.txt`.

An amount right after a verb of earning needs no period ("my husband earns 85k", "Ravi makes
12 lakh"); a pay label with an amount ("Salary: €58,000", "annual salary 64k", "Gehalt: 4.200 €")
counts in a record about a named person, never after "average", "starting", "the" ("the
starting salary is €40,000"). A default counts near a word of credit ("my credit score tanked
after a default", not "set the default to 30 days"); "no debt", "debt-free" and a company's,
country's or the technical debt are not a person's.

"Explain the debt snowball method" and "How do credit scores work in Germany (SCHUFA)?"
have no person anchor and stay clean (see `_lexicon`).
"""

from __future__ import annotations

import bisect
import re

from presidio_analyzer import RecognizerResult

from policy.recognizers._lexicon import (
    ANY,
    COPULA,
    FIRST_PERSON,
    RELATIONS,
    THIRD_PERSON,
    TIGHT,
    TRIGGER,
    Anchoring,
    Lexicon,
    LexiconRecognizer,
    lexicon_result,
    person_spans_from,
    sentence_bounds,
    term_table,
    vocabulary,
    words_of_analysis,
)
from policy.recognizers.name_lexicon import AMBIGUOUS_FIRST, FIRST

FINANCIAL_SITUATION = "FINANCIAL_SITUATION"

HARDSHIP = """
debt; debts; in debt; credit card debt; student debt; arrears; rent arrears; mortgage arrears; council tax arrears
behind on rent; behind on my rent; behind on the rent; behind with my rent; behind on my mortgage
behind on the mortgage; behind with the mortgage; behind on my bills; behind on payments; missed payment(s)
missed my rent; can't afford; cannot afford; can't pay; cannot pay; unable to pay; couldn't pay; overdrawn
overdraft; eviction; evicted; eviction notice; repossession; repossessed; foreclosure; bankrupt; bankruptcy
insolvency; insolvent; iva; debt relief order; ccj; county court judgment; debt collector(s); debt collection
collection agency; bailiff(s); inkasso; schufa; schufa score; credit score; bad credit; poor credit
payday loan(s); loan shark; food bank(s); hardship fund; financial hardship; struggling financially
universal credit; jobseeker's allowance; housing benefit; bürgergeld; hartz iv; welfare; unemployed; jobless
lost my job; laid off; made redundant; redundancy; mortgage payment(s); salary; my income; wage garnishment
pay cheque to pay cheque; paycheck to paycheck; living paycheck to paycheck; living hand to mouth; poverty
behind on the; behind with the; behind on our; final demand
garnished; garnishee; garnishment; maxed out; maxed-out; take-home pay; take home pay; net a month; net per month
a month net; gross a month; loan application was rejected; loan was rejected; rejected for a loan
turned down for a loan; refused a loan; schufa entry; negative schufa; bad schufa; payment plan; payment arrangement
make ends meet; making ends meet; lost her job; lost his job; lost their job; lost their jobs; lost our jobs
refused a mortgage; turned down for a mortgage; rejected for a mortgage; declined for a mortgage; declined for a loan
declined for credit; refused credit; denied a loan; denied a mortgage; credit history; credit rating; credit file
credit report; free school meals; borrowed money; borrow money; borrowing money; lend me money; lent me money
keep up with the repayments; keep up with repayments; keep up with the payments; keep up with my repayments
keep up with the bills; keep up with my bills; keep up with the rent; enforcement agent(s); pawned; pawnbroker
pawn shop; PIP assessment; PIP claim; PIP award; PIP payments; jobcentre; job centre; work coach
for non-payment; non-payment; on the dole; on the breadline; below the poverty line; debt management plan
debt advice; default notice; defaulted on; benefit sanction; benefits sanction; child tax credit(s)
working tax credit(s); council tax reduction; hardship payment; crisis loan; budgeting advance; sofa surfing
sleeping rough; temporary accommodation; emergency accommodation; living in my car; living in our car
sent to collections; went to collections; gone to collections; collections agency
late on rent; late with the rent; late on my rent; late with my rent
rent is overdue; overdue rent; unpaid rent; owes rent; owe rent; negative equity; underwater on the mortgage
cibil score; cibil; missed emi(s); emi bounced; emi bounce; loan emi(s); struggling to pay; struggle to pay
struggling with debt; struggling with the rent; struggling with money; claiming benefits
unemployment benefits; unemployment benefit; food stamps; minimum wage; low income; low-income; pension credit
overdue bills; overdue payments; bills are overdue; payments are overdue; unpaid bills; unpaid debts
outstanding debt(s); can't make rent; can't make the rent; couldn't make rent; can't cover rent; can't cover the rent
short on rent; student loan(s); payment holiday; mortgage holiday; bounced cheque; cheque bounced
direct debit bounced; rent bounced; maksuhäiriö; maksuhäiriömerkintä; betalningsanmärkning; betalingsachterstand
filed for bankruptcy; declared bankruptcy; declared bankrupt; went bankrupt; gone bankrupt; bankruptcy proceedings; debt relief
"""
# "missed two payments", "behind on her rent": arrears, in many words.
ARREARS = [
    f"missed {count} {what}"
    for count in ("a", "one", "two", "three", "four", "five", "six", "several", "a few", "my", "the", "our",
                  "the last", "the last two", "the last three", "2", "3", "4", "5", "6")
    for what in ("payment", "payments", "repayment", "repayments", "instalment", "instalments", "installment",
                 "installments", "rent payment", "rent payments", "mortgage payment", "mortgage payments", "emi", "emis")
] + [
    f"behind {prep} {owner} {what}"
    for prep in ("on", "with")
    for owner in ("my", "her", "his", "our", "their")
    for what in ("rent", "mortgage", "bills", "payments", "repayments", "council tax", "credit card", "car payments",
                 "energy bills", "electricity bill", "gas bill", "water bill", "loan", "loan repayments")
]
HARDSHIP_TIGHT = """
benefits; income; loan; loans; mortgage; owe; owes; owed; owing; earn; earns; wages; salary; got fired; was fired; been fired
got sacked; was sacked; been sacked; got laid off; was laid off; been laid off; was let go; been let go; on PIP
"""
# "my credit score tanked after a default", "a default on my file": a default, near a word of credit
# (not "set the default to 30 days").
HARDSHIP_TRIGGER = """
default; defaults; defaulted
"""
HARDSHIP_COPULA = """
broke; skint; poor; homeless
"""


class FinancialSituationRecognizer(LexiconRecognizer):
    """FINANCIAL_SITUATION: debts, arrears, income and hardship of a person (see the module docstring)."""

    ENTITIES = (FINANCIAL_SITUATION,)
    LEXICON = Lexicon(
        term_table(FINANCIAL_SITUATION, ANY, HARDSHIP)
        + term_table(FINANCIAL_SITUATION, TIGHT, HARDSHIP_TIGHT)
        + term_table(FINANCIAL_SITUATION, COPULA, HARDSHIP_COPULA)
        + term_table(FINANCIAL_SITUATION, TRIGGER, HARDSHIP_TRIGGER)
        + [(FINANCIAL_SITUATION, ANY, term) for term in ARREARS],
        # Other languages: "ich habe Schulden", "je suis au chômage" (bench/data/build_foreign_terms.py).
        exact_terms=[(FINANCIAL_SITUATION, ANY, term) for term in vocabulary("foreign_terms.txt").get("financial", ())],
    )
    # "our income statement", "my benefits package".
    ANCHORING = Anchoring(triggers=((FINANCIAL_SITUATION, frozenset(
        "credit loan loans mortgage file report score rating payment payments repayments debt debts card bank "
        "lender ccj schufa".split())),), modifiers=((FINANCIAL_SITUATION, frozenset(
        "statement statements sheet package packages portal enrolment enrollment provider platform "
        "calculator calculators value values setting settings branch option options config parameter argument "
        "browser font theme template route".split())),))
    SCORE = 0.6

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        results = [r for r in super().analyze(text, entities, nlp_artifacts)
                   if not (_IDIOM_AFTER.match(text, r.end) and text[r.start:r.end].lower().replace("’", "'")
                           in _IDIOM_TERMS)
                   and not _NOT_PERSONAL_DEBT.search(text, max(0, r.start - 24), r.start)
                   and not _DEBT_FREE.match(text, r.end)]
        for result in results:
            # "a salary of €2,100 a month", "earns €1,450 net", "€18,000 of credit card debt": the
            # amount is the finding too.
            after = _AMOUNT_AFTER.match(text, result.end)
            if after is not None:
                result.end = after.end()
            before = _AMOUNT_BEFORE.search(text, max(0, result.start - 40), result.start)
            if before is not None:
                result.start = before.start("amount")
            elif text[result.start:result.start + 6].lower() == "behind":
                # "three months behind on rent"
                duration = _DURATION_BEFORE.search(text, max(0, result.start - 30), result.start)
                if duration is not None:
                    result.start = duration.start()
        if not entities or FINANCIAL_SITUATION in entities:
            results.extend(self._pay(text, results, nlp_artifacts))
        for result in results:  # "owe £3,500." — not the full stop
            while result.end > result.start + 1 and text[result.end - 1] in ",.":
                result.end -= 1
        return results

    @staticmethod
    def _said_of_a_person(text: str, start: int, persons: list[tuple[int, int]], sentence_starts: list[int]) -> bool:
        """A person word or a named person shortly before `start`, in its sentence, and no word that
        makes the amount general ("the average nurse makes", "a job ad for an engineer on")."""
        lo = max(sentence_starts[bisect.bisect_right(sentence_starts, start) - 1], start - _PAY_REACH)
        before = text[lo:start]
        if _PAY_VETO.search(before):
            return False
        return (bool(_PERSON_WORD.search(before) or _HINGLISH_PERSON.search(before))
                or any(lo <= p_start < start for p_start, _ in persons))

    def _pay(self, text: str, found: list[RecognizerResult], nlp_artifacts) -> list[RecognizerResult]:
        """ "Anna makes €3,100 a month", "my husband is on 45k a year": pay of a person, without a term."""
        pay = []
        sentence_starts: list[int] = []
        persons = person_spans_from(nlp_artifacts)
        for match in _PAY_AMOUNT.finditer(text):
            start, end = match.span()
            if any(r.start < end and start < r.end for r in found) or not _PAY_BEFORE.search(
                    text, max(0, start - 40), start):
                continue
            sentence_starts = sentence_starts or [lo for lo, _ in sentence_bounds(text)]
            if self._said_of_a_person(text, start, persons, sentence_starts):
                pay.append(lexicon_result(self, FINANCIAL_SITUATION, start, end, self.SCORE, "pay"))
        # "my husband earns 85k": an amount right after a verb of earning, without a period.
        # "Salary: €58,000" in a record about a named person (not "the average salary is ...").
        present = {word for word, _, _ in words_of_analysis(text, nlp_artifacts)}
        for pattern, needs_name, cue in ((_EARNS_AMOUNT, False, _EARNING_WORDS), (_SALARY_LABEL, True, _PAY_WORDS)):
            for match in pattern.finditer(text) if not present.isdisjoint(cue) else ():
                start, end = match.span("amount") if match.group("amount") else match.span("pay")
                if any(r.start < end and start < r.end for r in [*found, *pay]):
                    continue
                if _GENERIC_PAY.search(text, max(0, match.start() - 30), match.start()):
                    continue
                sentence_starts = sentence_starts or [lo for lo, _ in sentence_bounds(text)]
                subject = _SUBJECT_BEFORE.search(text, max(0, match.start() - 30), match.start())
                if (self._said_of_a_person(text, match.start(), persons, sentence_starts)
                        or (subject is not None and subject.group(1).lower() in FIRST
                            and subject.group(1).lower() not in AMBIGUOUS_FIRST)
                        or (needs_name and (persons or _RECORD_PERSON.search(text)))):
                    pay.append(lexicon_result(self, FINANCIAL_SITUATION, start, end, self.SCORE, "pay"))
        return pay


# "we can't afford to lose this client", "I owe you one": idioms, not money.
_IDIOM_TERMS = frozenset({"can't afford", "cannot afford", "owe"})
_IDIOM_AFTER = re.compile(
    r"(?i)[ \t]+(?:to[ \t]+(?:lose|miss|wait|ignore|be|get|let|make|take|fail|risk|waste|underestimate|overlook"
    r"|delay|upset|slip|mess|screw)\b|(?:you|u|ya)[ \t]+(?:one|a|big|an|so|for|anything|something|nothing)\b"
    r"|it[ \t]+to\b)"
)
# "technical debt", "the national debt".
_NOT_PERSONAL_DEBT = re.compile(
    r"(?i)\b(?:technical|tech|design|code|architectural|documentation|sleep|carbon|national|public|government"
    r"|sovereign|federal|corporate|no|zero|without|not[ \t]+in|company|company's|firm's|startup's|country's)[ \t-]+$"
)
# "debt-free", "debt free".
_DEBT_FREE = re.compile(r"(?i)[ \t-]+free\b")
# "€2,100", "£38k", "4.200 €", "3 200 €", "₹18,00,000", "Rs. 45,000", "12 LPA", "6 lakh".
_AMOUNT = (r"(?:(?:[€£$₹¥₩]|\b(?:rs\.?|inr|usd|eur|gbp|chf)[ \t]?)\s?\d[\d,.]*(?:\s?(?:[kKmM]|lakhs?|lpa|crores?)\b)?"
           r"|(?:\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,3}|\d[\d,.]*)(?:\s?[kKmM]\b)?\s?(?:€|£|\$|₹|eur\b|euros?\b|"
           r"gbp\b|usd\b|dollars?\b|pounds?\b|quid\b|chf\b|francs?\b|z[łl]\b|pln\b|kr\b|sek\b|nok\b|dkk\b"
           r"|inr\b|rupees?\b|rs\b|lakhs?\b|lacs?\b|lpa\b|crores?\b|yen\b|jpy\b|won\b|krw\b)"
           r"|\d[\d,.]*\s?[kK]\b)")
_PERIOD = (r"(?:[ \t]+(?:net|gross|after[ \t]+tax|before[ \t]+tax))?(?:[ \t]*(?:/|a|per|an|each|every)[ \t]*"
           r"(?:month|year|week|hour|annum|mo|yr|wk|hr)\b|[ \t]+(?:p\.?a\.?|pcm|monthly|annually|yearly))?")
_PERIOD_REQUIRED = (r"(?:[ \t]+(?:net|gross|after[ \t]+tax|before[ \t]+tax))?(?:[ \t]*(?:/|a|per|an|each|every)[ \t]*"
                    r"(?:month|year|week|hour|annum|mo|yr|wk|hr)\b|[ \t]+(?:p\.?a\.?|pcm|monthly|annually|yearly)\b)")
# After the term, within a few words: "salary of €2,100 a month", "earns about €1,450 net", "owe £900".
_AMOUNT_AFTER = re.compile(
    rf"(?i)(?:[ \t:]+(?:is|was|of|about|around|roughly|only|just|nearly|almost|over|under|at|me|him|her|them|"
    rf"them|us|the bank|my bank|my landlord|the landlord|our landlord|the council|hmrc|the irs|the tax office|"
    rf"my parents|my dad|my mum|my mom|a friend|my friend|a|an|net|gross|just over|just under|von|de|di|van"
    rf"|in höhe von)){{0,3}}[ \t:=(]+(?:{_AMOUNT}{_PERIOD}"
    rf"|\d[\d,.]*{_PERIOD_REQUIRED})"
)
# Before a debt: "€18,000 of credit card debt", "£900 in arrears".
_AMOUNT_BEFORE = re.compile(rf"(?i)(?P<amount>{_AMOUNT})[ \t]+(?:(?:of|in)[ \t]+(?:\w+[ \t]+){{0,2}})?$")
# An amount with a pay period ("€3,100 a month", "45k a year", "£15/hour") ...
_PAY_AMOUNT = re.compile(
    rf"(?i)(?<![\w.,]){_AMOUNT}(?:[ \t]+(?:net|gross|after[ \t]+tax|before[ \t]+tax))?(?:[ \t]*(?:/|a|per|an|each|every)"
    rf"[ \t]*(?:month|year|week|hour|annum|mo|yr|wk|hr)\b|[ \t]+(?:p\.?a\.?|pcm|monthly|annually|yearly)\b)"
)
# ... right after a word of earning ("makes", "takes home", "is paid", "on") ...
_PAY_BEFORE = re.compile(
    r"(?i)\b(?:earns?|earning|earned|makes?|making|made|(?:get|gets|got|getting|am|is|was|are|be|being)[ \t]+paid"
    r"|takes?[ \t]+home|took[ \t]+home|brings?[ \t]+home|take-home|salary|income|wages?|pension|stipend|ctc"
    r"|(?:is|am|are|was|were|be|been|being|'s|’s|'m|’m)[ \t]+on)"
    r"(?:[ \t]+(?:about|around|roughly|only|just|nearly|almost|over|under|less[ \t]+than|more[ \t]+than))?[ \t:]*$"
)
# ... said of a person named or referred to shortly before, in the same sentence (bounded: a
# look-back over the whole sentence made a 20,000-character message cost seconds) ...
_PAY_REACH = 80
# ... unless the amount is pay in general: a job ad, an average, a price.
_PAY_VETO = re.compile(
    r"(?i)\b(?:average|typical|median|mean|starting|entry[ -]level|expected|minimum|advertised|offered|offering"
    r"|market|national|industry|job|jobs|role|roles|position|positions|vacancy|vacancies|hiring|hire|offer|ad|ads"
    r"|advert|listing|posting|candidates?|plan|plans|price|prices|pricing|subscription|bills?|costs?|charges?|fees?"
    r"|budget|seat)\b"
)
_PERSON_WORD = re.compile(
    r"(?i)(?<![\w'])(?:" + "|".join(sorted((re.escape(w) for w in FIRST_PERSON | THIRD_PERSON | RELATIONS), key=len,
                                           reverse=True)) + r")(?![\w'])"
)

# "earns 85k", "is paid €2,400", "takes home £1,900".
_EARNS_AMOUNT = re.compile(
    rf"(?i)\b(?:earns?|earned|earning|makes|making|(?:is|am|are|was|get|gets|got|getting)[ \t]+paid|takes?[ \t]+home"
    rf"|took[ \t]+home"
    rf"|brings?[ \t]+home)(?:[ \t]+(?:about|around|roughly|only|just|nearly|almost|over|under|less[ \t]+than"
    rf"|more[ \t]+than))?[ \t]*(?P<amount>{_AMOUNT}{_PERIOD})(?!\w|[.,]\d)"
)
# "Salary: €58,000", "annual salary 64k", "Gehalt: 4.200 €", "salaire : 3 200 €".
_SALARY_LABEL = re.compile(
    rf"(?i)\b(?:pay[ \t]*[:=][ \t]*(?P<pay>{_AMOUNT}{_PERIOD})"
    rf"|(?:(?:annual|base|gross|net|monthly|yearly|current|new)[ \t]+)?(?:salary|wages?|income|gehalt|bruttogehalt"
    rf"|nettogehalt|salaire|sueldo|salario|stipendio|salaris|pensja|lön|palkka|bonus|ctc|package|pension|stipend)"
    rf"(?:[ \t]*[:=(][ \t]*|[ \t]+(?:(?:of|is|was|von|de|di|van)[ \t]+)?)(?P<amount>{_AMOUNT}{_PERIOD}"
    rf"|\d{{1,3}}(?:[,.]\d{{3}})+{_PERIOD}|\d{{4,7}}{_PERIOD}))(?!\w|[.,]\d)"
)
# "the average salary is", "a starting salary of", "salary range": pay in general, not a person's.
_GENERIC_PAY = re.compile(
    r"(?i)\b(?:average|typical|median|mean|starting|entry[ -]level|expected|minimum|maximum|advertised|offered"
    r"|market|national|industry|the|a|for[ \t]+(?:a|an|the|this))[ \t]+(?:\w+[ \t]+)?$"
)
# "Anna earns ...": a first name right before the verb.
_SUBJECT_BEFORE = re.compile(r"(\w+)(?:['’]s)?[ \t]+$")
# A record about a person: "Name: ...", "Employee: ...".
_RECORD_PERSON = re.compile(r"(?i)\b(?:name|employee|staff|candidate|applicant|tenant|customer|client)[ \t]*[:=]")
# "three months behind", "2 payments behind".
_DURATION_BEFORE = re.compile(r"(?i)\b(?:a|one|two|three|four|five|six|several|a[ \t]+few|\d{1,2})[ \t]+"
                              r"(?:months?|weeks?|payments?|instalments?|installments?)[ \t]+$")
# "meri salary 45k hai": Hinglish possessives, for pay only.
_HINGLISH_PERSON = re.compile(r"(?i)\b(?:mera|meri|mere|hamara|hamari|hamare|uska|uski|uske|unka|unki|unke)\b")
# Words of which one is in every text _EARNS_AMOUNT or _SALARY_LABEL can match.
_EARNING_WORDS = frozenset("earn earns earned earning makes making paid home".split())
_PAY_WORDS = frozenset(
    "pay salary wage wages income gehalt bruttogehalt nettogehalt salaire sueldo salario stipendio salaris pensja "
    "lön palkka bonus ctc package pension stipend".split()
)
