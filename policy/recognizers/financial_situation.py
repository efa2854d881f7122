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

"Explain the debt snowball method" and "How do credit scores work in Germany (SCHUFA)?"
have no person anchor and stay clean (see `_lexicon`).
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from policy.recognizers._lexicon import (
    ANY,
    COPULA,
    FIRST_PERSON,
    RELATIONS,
    THIRD_PERSON,
    TIGHT,
    Anchoring,
    Lexicon,
    LexiconRecognizer,
    lexicon_result,
    person_spans_from,
    sentence_bounds,
    term_table,
    vocabulary,
)

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
"""
# "missed two payments", "behind on her rent": arrears, in many words.
ARREARS = [
    f"missed {count} {what}"
    for count in ("a", "one", "two", "three", "four", "five", "six", "several", "a few", "my", "the", "our",
                  "the last", "the last two", "the last three", "2", "3", "4", "5", "6")
    for what in ("payment", "payments", "repayment", "repayments", "instalment", "instalments", "installment",
                 "installments", "rent payment", "rent payments", "mortgage payment", "mortgage payments")
] + [
    f"behind {prep} {owner} {what}"
    for prep in ("on", "with")
    for owner in ("my", "her", "his", "our", "their")
    for what in ("rent", "mortgage", "bills", "payments", "repayments", "council tax", "credit card", "car payments",
                 "energy bills", "electricity bill", "gas bill", "water bill", "loan", "loan repayments")
]
HARDSHIP_TIGHT = """
benefits; income; loan; loans; mortgage; owe; earn; earns; wages; salary; got fired; was fired; been fired
got sacked; was sacked; been sacked; got laid off; was laid off; been laid off; was let go; been let go; on PIP
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
        + [(FINANCIAL_SITUATION, ANY, term) for term in ARREARS],
        # Other languages: "ich habe Schulden", "je suis au chômage" (bench/data/build_foreign_terms.py).
        exact_terms=[(FINANCIAL_SITUATION, ANY, term) for term in vocabulary("foreign_terms.txt").get("financial", ())],
    )
    # "our income statement", "my benefits package".
    ANCHORING = Anchoring(modifiers=((FINANCIAL_SITUATION, frozenset(
        "statement statements sheet package packages portal enrolment enrollment provider platform "
        "calculator calculators".split())),))
    SCORE = 0.6

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        results = [r for r in super().analyze(text, entities, nlp_artifacts)
                   if not (_IDIOM_AFTER.match(text, r.end) and text[r.start:r.end].lower().replace("’", "'")
                           in _IDIOM_TERMS)
                   and not _NOT_PERSONAL_DEBT.search(text, max(0, r.start - 24), r.start)]
        for result in results:
            # "a salary of €2,100 a month", "earns €1,450 net", "€18,000 of credit card debt": the
            # amount is the finding too.
            after = _AMOUNT_AFTER.match(text, result.end)
            if after is not None:
                result.end = after.end()
            before = _AMOUNT_BEFORE.search(text, max(0, result.start - 40), result.start)
            if before is not None:
                result.start = before.start("amount")
        if not entities or FINANCIAL_SITUATION in entities:
            results.extend(self._pay(text, results, nlp_artifacts))
        return results

    def _pay(self, text: str, found: list[RecognizerResult], nlp_artifacts) -> list[RecognizerResult]:
        """ "Anna makes €3,100 a month", "my husband is on 45k a year": pay of a person, without a term."""
        pay = []
        sentences = None
        persons = person_spans_from(nlp_artifacts)
        for match in _PAY_AMOUNT.finditer(text):
            start, end = match.span()
            if any(r.start < end and start < r.end for r in found) or not _PAY_BEFORE.search(
                    text, max(0, start - 40), start):
                continue
            sentences = sentences or sentence_bounds(text)
            lo = next(s_lo for s_lo, s_hi in sentences if s_lo <= start < s_hi)
            before = text[lo:start]
            if _PERSON_WORD.search(before) or any(lo <= p_start < start for p_start, _ in persons):
                pay.append(lexicon_result(self, FINANCIAL_SITUATION, start, end, self.SCORE, "pay"))
        return pay


# "we can't afford to lose this client", "I owe you one": idioms, not money.
_IDIOM_TERMS = frozenset({"can't afford", "cannot afford", "owe"})
_IDIOM_AFTER = re.compile(
    r"(?i)[ \t]+(?:to[ \t]+(?:lose|miss|wait|ignore|be|get|let|make|take|fail|risk|waste|underestimate|overlook"
    r"|delay|upset|slip|mess|screw)\b|(?:you|u|ya)[ \t]+(?:one|a|big|an|so)\b|it[ \t]+to\b)"
)
# "technical debt", "the national debt".
_NOT_PERSONAL_DEBT = re.compile(
    r"(?i)\b(?:technical|tech|design|code|architectural|documentation|sleep|carbon|national|public|government"
    r"|sovereign|federal|corporate)[ \t-]+$"
)
_AMOUNT = (r"(?:[€£$]\s?\d[\d,.]*(?:\s?[kKmM]\b)?|\d[\d,.]*(?:\s?[kKmM]\b)?\s?(?:€|£|\$|eur\b|euros?\b|"
           r"gbp\b|usd\b|dollars?\b|pounds?\b|quid\b|chf\b|francs?\b|z[łl]\b|kr\b|sek\b|nok\b|dkk\b)"
           r"|\d[\d,.]*\s?[kK]\b)")
_PERIOD = (r"(?:[ \t]+(?:net|gross|after[ \t]+tax|before[ \t]+tax))?(?:[ \t]*(?:/|a|per|an|each|every)[ \t]*"
           r"(?:month|year|week|hour|annum|mo|yr|wk|hr)\b|[ \t]+(?:p\.?a\.?|pcm|monthly|annually|yearly))?")
# After the term, within a few words: "salary of €2,100 a month", "earns about €1,450 net", "owe £900".
_AMOUNT_AFTER = re.compile(
    rf"(?i)(?:[ \t:]+(?:is|was|of|about|around|roughly|only|just|nearly|almost|over|under|at|me|him|her|them|"
    rf"them|the bank|my landlord|a|an|net|gross|just over|just under)){{0,3}}[ \t:]+{_AMOUNT}{_PERIOD}"
)
# Before a debt: "€18,000 of credit card debt", "£900 in arrears".
_AMOUNT_BEFORE = re.compile(rf"(?i)(?P<amount>{_AMOUNT})[ \t]+(?:of|in)[ \t]+(?:\w+[ \t]+){{0,2}}$")
# An amount with a pay period ("€3,100 a month", "45k a year", "£15/hour") ...
_PAY_AMOUNT = re.compile(
    rf"(?i)(?<![\w.,]){_AMOUNT}(?:[ \t]+(?:net|gross|after[ \t]+tax|before[ \t]+tax))?(?:[ \t]*(?:/|a|per|an|each|every)"
    rf"[ \t]*(?:month|year|week|hour|annum|mo|yr|wk|hr)\b|[ \t]+(?:p\.?a\.?|pcm|monthly|annually|yearly)\b)"
)
# ... right after a word of earning ("makes", "takes home", "is paid", "on") ...
_PAY_BEFORE = re.compile(
    r"(?i)\b(?:earns?|earning|earned|makes?|making|made|(?:get|gets|got|getting|am|is|was|are|be|being)[ \t]+paid"
    r"|takes?[ \t]+home|took[ \t]+home|brings?[ \t]+home|take-home|salary|income|wages?|on)"
    r"(?:[ \t]+(?:about|around|roughly|only|just|nearly|almost|over|under|less[ \t]+than|more[ \t]+than))?[ \t:]*$"
)
# ... said of a person named or referred to earlier in the sentence.
_PERSON_WORD = re.compile(
    r"(?i)(?<![\w'])(?:" + "|".join(sorted((re.escape(w) for w in FIRST_PERSON | THIRD_PERSON | RELATIONS), key=len,
                                           reverse=True)) + r")(?![\w'])"
)

