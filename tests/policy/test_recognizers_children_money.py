"""Issue #5, round 6: children named or aged the ways parents write them, and money trouble
and pay said of a person in words — with the general questions and look-alikes that stay clean.

Recognizers are called directly (no spaCy), as the detector calls them; exact spans for
positives, nothing for negatives. Every name and amount is made up.
"""

from __future__ import annotations

import pytest

from policy.recognizers.children import ChildDataRecognizer
from policy.recognizers.financial_situation import FinancialSituationRecognizer

CHILD = ChildDataRecognizer()
MONEY = FinancialSituationRecognizer()


def found(recognizer, text: str) -> list[str]:
    results = recognizer.analyze(text, recognizer.supported_entities, None)
    return sorted(text[r.start:r.end] for r in results)


# --- Children: the name and the stated age, each a finding -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my 7-year-old keeps waking at night", ["7-year-old"]),
        ("my 7yo refuses vegetables", ["7yo"]),
        ("my 18-month-old won't sleep", ["18-month-old"]),
        ("my kids Anna and Ben are off school today", ["Anna", "Ben"]),
        ("our twins Lea and Max (4) start nursery", ["4", "Lea", "Max"]),
        ("Tom, my son, is 8 and loves football", ["8", "Tom"]),
        ("Aisha, my daughter, is 13", ["13", "Aisha"]),
        ("my daughter (14) wants a phone", ["14"]),
        ("my son is 12 and gets bullied", ["12"]),
        ("my daughter is nine and can't swim yet", ["nine"]),
        ("my baby is 9 months old", ["9 months old"]),
        ("my eldest, Mia, starts secondary school", ["Mia"]),
        ("Jonas (11) from class 5b forgot his bag", ["11", "Jonas"]),
        ("Noah from class 3a lost his jacket", ["Noah"]),
        ("my boy Kwame has a fever", ["Kwame"]),
        ("my son Oluwaseun turns nine tomorrow", ["Oluwaseun", "nine"]),
        ("our son Hiroshi, 6, is shy", ["6", "Hiroshi"]),
        ("my little girl Amara is turning 3", ["3", "Amara"]),
        ("my son leo has a fever", ["leo"]),
        ("Mia, 7, has a peanut allergy", ["7", "Mia"]),
        ("my son has asthma, he's 9 and hates his inhaler", ["9"]),
        ("Write a note for my 10 year old daughter Chloé", ["10 year old", "Chloé"]),
        ("ma fille Léa, 7 ans, a de l'asthme", ["7 ans", "Léa"]),
        ("mein Sohn Jonas (8) hat Fieber", ["8", "Jonas"]),
        ("mi hijo Pablo tiene 9 años", ["9 años", "Pablo"]),
        ("Hi Emma, my son Leo will be late today", ["Leo"]),
    ],
)
def test_children_named_or_aged(text, expected):
    assert found(CHILD, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my son loves dinosaurs",
        "games for 7-year-olds",
        "how tall is a typical 8 year old",
        "what should a 9 year old read",
        "my daughter is in year 6 and needs help with fractions",
        "my son is a doctor",
        "my boss is 52 and hates email",
        "my 12 year old cat has kidney disease",
        "my 10 year old car needs new brakes",
        "my 30 year old brother is moving in",
        "my son Tom (34) is a lawyer",
        "my son is 25 and still lives at home",
        "my son is 12 minutes late",
        "Anna is 5 minutes late",
        "Anna is one of the best engineers",
        "Tom, my manager, is 45",
        "Step (2): install the package",
        "Chapter (4) explains the method",
        "Max is 5 per user",
        "the kid is 7",
        "my son's 8th birthday",
        "My Son Loves Dinosaurs",
        "our kids love Lego and Minecraft",
    ],
)
def test_children_look_alikes_stay_clean(text):
    assert found(CHILD, text) == []


# --- Money trouble and pay, in words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I owe the bank about 12k", ["owe the bank about 12k"]),
        ("we're three months behind on rent", ["three months behind on rent"]),
        ("my brother declared bankruptcy", ["declared bankruptcy"]),
        ("she's on universal credit", ["universal credit"]),
        ("I was made redundant and can't pay the mortgage", ["can't pay", "made redundant"]),
        ("my credit score tanked after a default", ["credit score", "default"]),
        ("I got a default on my credit file", ["credit file", "default"]),
        ("my sister has £20k in debt", ["£20k in debt"]),
        ("he's £4k overdrawn", ["£4k overdrawn"]),
        ("she owes the landlord £1,200.", ["owes the landlord £1,200"]),
        ("her income is about 1,800 a month", ["income is about 1,800 a month"]),
        ("my husband earns 85k", ["earns 85k"]),
        ("my dad owes the bank £8,000", ["owes the bank £8,000"]),
        ("my colleague Ravi makes 12 lakh", ["12 lakh"]),
        ("mein Gehalt von 4.200 € brutto", ["Gehalt von 4.200 €"]),
        ("Gehalt: 4.200 €, Name: Jonas Weber", ["4.200 €"]),
        ("I missed two EMIs on my car loan", ["missed two EMIs"]),
        ("Name: Tom Becker; annual salary 64k; department sales", ["64k"]),
        ("Employee: Priya Sharma, pay: £31,000", ["£31,000"]),
        ("my pension is €1,100 a month", ["€1,100 a month"]),
        ("my rent is overdue again", ["rent is overdue"]),
    ],
)
def test_money_trouble_of_a_person(text, expected):
    assert found(MONEY, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "how does a mortgage work",
        "average salary of a nurse",
        "The starting salary is €40,000",
        "the salary range for this role is 50-60k",
        "Position: backend developer. Salary: €60,000. Apply by Friday.",
        "the company's debt rose to €2bn",
        "we need to pay off the technical debt",
        "our startup raised 2M and has no debt",
        "we're debt-free since March",
        "explain what a credit default swap is",
        "set the default to 30 days",
        "I had a default value in my function",
        "what is universal credit?",
        "what is the minimum wage in Germany?",
        "I pay €900 a month in rent",
        "the company earns 2M a year",
        "the company makes 5M",
        "I owe you one! thanks",
        "what do I owe you for lunch?",
    ],
)
def test_general_finance_talk_stays_clean(text):
    assert found(MONEY, text) == []


# --- Linear on hostile inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("A-" * 10_000, id="dash-separated-capitals"),
        pytest.param("my son " * 5_000, id="child-word-run"),
        pytest.param("my son " + "Anna and " * 5_000 + "(9)", id="name-list-run"),
        pytest.param("Anna (" * 5_000, id="open-parentheses"),
        pytest.param("Anna, " * 5_000 + "7", id="comma-names"),
        pytest.param("Tom, my son, " * 3_000, id="apposition-run"),
        pytest.param("she's " * 5_000 + "9", id="pronoun-run"),
        pytest.param("Élise-" * 5_000, id="hyphenated-name-run"),
        pytest.param("1 000 " * 5_000 + "€", id="spaced-thousands"),
        pytest.param("I earn " * 4_000, id="earning-verb-run"),
        pytest.param("salary: " * 4_000 + "5", id="salary-label-run"),
    ],
)
def test_hostile_inputs_stay_fast(text):
    for recognizer in (CHILD, MONEY):
        recognizer.analyze(text, recognizer.supported_entities, None)
