"""FINANCIAL_SITUATION (category FINANCIAL): a person's debts, arrears, income and hardship, in words.

"I'm three months behind on my rent", "I have €18,000 of credit card debt", "I lost my
job and can't make this month's mortgage payment", "my Schufa score dropped". Financial
hardship is not a GDPR Art. 9 category, so it is FINANCIAL, a personal category: the
shipped policy keeps it in the caller's region (hosted-eu for an EU caller) rather than
on the self-hosted model, as it does for IBANs. A policy that wants it local can list
FINANCIAL_SITUATION's category as restricted, or match the type.

"Explain the debt snowball method" and "How do credit scores work in Germany (SCHUFA)?"
have no person anchor and stay clean (see `_lexicon`).
"""

from __future__ import annotations

from policy.recognizers._lexicon import ANY, COPULA, TIGHT, Lexicon, LexiconRecognizer, term_table

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
"""
HARDSHIP_TIGHT = """
benefits; income; loan; loans; mortgage; owe; earn; earns; wages; salary
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
    )
    SCORE = 0.6
