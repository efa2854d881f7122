"""Round 5 of issue #5: the health and special-category vocabularies (data/health_terms.txt,
data/special_terms.txt), terms in other languages (data/foreign_terms.txt), the subject left out
of a sentence, named persons as anchors (and never the term itself), and pay and amounts as
financial findings.

Recognizers are called directly (no spaCy) except where a named person comes from spaCy's
entities (the `detector` fixture: real Presidio + spaCy). Every text is made up.
"""

from __future__ import annotations

import pytest

from policy.detect import Message
from policy.recognizers._lexicon import Lexicon, vocabulary
from policy.recognizers.financial_situation import FinancialSituationRecognizer
from policy.recognizers.health import HealthDataRecognizer
from policy.recognizers.special_categories import SpecialCategoryRecognizer

RECOGNIZERS = (HealthDataRecognizer(), SpecialCategoryRecognizer(), FinancialSituationRecognizer())


def spans(text: str) -> list[tuple[str, str]]:
    return sorted((r.entity_type, text[r.start:r.end]) for recognizer in RECOGNIZERS
                  for r in recognizer.analyze(text, recognizer.supported_entities, None))


# --- The vocabulary files -------------------------------------------------------------------------------


def test_health_vocabulary_sections_hold_conditions_and_medicines_not_everyday_words():
    sections = vocabulary("health_terms.txt")
    assert set(sections) == {"condition", "condition-tight", "medicine"}
    conditions, medicines = set(sections["condition"]), set(sections["medicine"])
    assert len(conditions) > 20_000 and len(medicines) > 5_000
    assert {"sarcoidosis", "plantar fasciitis", "restless legs syndrome", "haemophilia a"} <= conditions
    assert {"zyrtec", "doxycycline", "strattera"} <= medicines
    assert {"rash", "cough", "fatigue"} <= set(sections["condition-tight"])
    everyday = {"burn", "cold", "shock", "fall", "plague", "capex", "allegra", "caffeine", "alcohol", "stroke"}
    assert not everyday & (conditions | medicines)


def test_special_vocabulary_sections_load():
    sections = vocabulary("special_terms.txt")
    assert {"religion-tight", "ethnic-any", "politics-triggered", "union-triggered"} <= set(sections)
    assert {"Chega", "PiS", "Fidesz"} <= set(sections["politics-triggered"])
    assert {"SIPTU", "Unionen"} <= set(sections["union-triggered"])


def test_vocabulary_terms_match_exactly_never_at_a_typo():
    lexicon = Lexicon([("HEALTH_DATA", "any", "diabetes")], exact_terms=[("HEALTH_DATA", "any", "sarcoidosis")])
    tokens = [("sarcoidsis", 0, 10), ("dibetes", 11, 18)]
    assert lexicon.candidates(tokens, 0) == []
    assert [hit.fuzzy for hit in lexicon.candidates(tokens, 1)] == [True]


def test_a_curated_term_wins_over_the_same_vocabulary_term():
    lexicon = Lexicon([("HEALTH_DATA", "tight", "stroke")], exact_terms=[("HEALTH_DATA", "any", "stroke")])
    [hit] = lexicon.candidates([("stroke", 0, 6)], 0)
    assert hit.term.mode == "tight"


# --- Health: conditions and medicines beyond the curated lists ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my dad has sarcoidosis and gets breathless", ("HEALTH_DATA", "sarcoidosis")),
        ("I was just diagnosed with Hashimoto's thyroiditis", ("HEALTH_DATA", "Hashimoto's thyroiditis")),
        ("my daughter takes Strattera before school", ("HEALTH_DATA", "Strattera")),
        ("she has chronic kidney disease", ("HEALTH_DATA", "chronic kidney disease")),
        ("I'm on doxycycline for two weeks", ("HEALTH_DATA", "doxycycline")),
        ("my son's haemophilia a is mild", ("HEALTH_DATA", "haemophilia a")),
        ("I have a rash on my arm", ("HEALTH_DATA", "rash")),
        ("my wife has hyperemesis gravidarum", ("HEALTH_DATA", "hyperemesis gravidarum")),
    ],
)
def test_health_vocabulary_positives(text, expected):
    assert expected in spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "what is sarcoidosis?",
        "explain how Zyrtec differs from Claritin",
        "a rash decision by the board",
        "our capex forecast for 2025 needs a chart",
        "our team has a plague of flaky tests",
        "my thesis is on sarcoidosis in coal miners",
        "I'm reading about the Black Death for fun, recommend three books",
        "my dog has kennel cough, can he still go to daycare?",
        "I'm meeting Allegra for lunch, pick a place",
    ],
)
def test_health_vocabulary_negatives(text):
    assert [found for found in spans(text) if found[0] == "HEALTH_DATA"] == []


# --- Special categories: parties, unions, denominations, origins, identities ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I voted for Chega last time", ("POLITICAL_OPINION", "Chega")),
        ("my dad has been a member of PiS for years", ("POLITICAL_OPINION", "PiS")),
        ("my brother volunteers for Sinn Féin", ("POLITICAL_OPINION", "Sinn Féin")),
        ("I joined Unionen last year", ("TRADE_UNION", "Unionen")),
        ("I'm a SIPTU rep at the plant", ("TRADE_UNION", "SIPTU")),
        ("I'm Coptic and fast before Easter", ("RELIGION", "Coptic")),
        ("my wife wears the niqab", ("RELIGION", "wears the niqab")),
        ("I'm of Polish descent", ("ETHNIC_ORIGIN", "of Polish descent")),
        ("my partner is Uyghur", ("ETHNIC_ORIGIN", "Uyghur")),
        ("I'm demisexual and dating apps stress me out", ("SEXUAL_ORIENTATION", "demisexual")),
        ("since my top surgery I feel better", ("SEXUAL_ORIENTATION", "top surgery")),
    ],
)
def test_special_vocabulary_positives(text, expected):
    assert expected in spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "what does Chega stand for and how big is it in the polls?",
        "this cheese is of French origin, write a label",
        "my transition to management was hard",
        "PS I joined the gym — add that to my newsletter",
        "I'm a priest in my D&D campaign, write my backstory",
        "My religion does not allow speaking to bots",
        "the nun in the film was terrifying",
        "explain the difference between SIPTU and Fórsa for a civics class",
    ],
)
def test_special_vocabulary_negatives(text):
    assert [found for found in spans(text) if found[0] != "HEALTH_DATA"] == []


# --- Anchoring: the subject left out; a named person right before a tight term ------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Been on sertraline for two years now. Help me write to my GP.", ("HEALTH_DATA", "sertraline")),
        ("Have had migraines since Christmas, write a note.", ("HEALTH_DATA", "migraines")),
        ("My mum is 82. Has dementia and lives alone.", ("HEALTH_DATA", "dementia")),
        ("Had a miscarriage in March.", ("HEALTH_DATA", "miscarriage")),
        ("Got an eviction notice today, what are my rights?", ("FINANCIAL_SITUATION", "eviction notice")),
    ],
)
def test_subject_left_out_positives(text, expected):
    assert expected in spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "Have you ever had shingles? Write a quiz question.",
        "Has anyone here tried Ozempic? Write a poll.",
        "Had a look at the diabetes dataset, write the summary.",
        "Got a question about insulin pricing in the EU.",
        "The report is done. Has a section on asthma in children.",
        "Diabetes is common. Has the NHS got a leaflet on insulin?",
    ],
)
def test_subject_left_out_negatives(text):
    assert spans(text) == []


def test_a_named_person_anchors_a_copula_term(detector):
    findings = detector.detect([Message("user", "Write a short note: Thomas Meyer is gay and wants to bring his partner.")])
    assert "SEXUAL_ORIENTATION" in {f.entity_type for f in findings}
    clean = detector.detect([Message("user", "Thomas Meyer wrote a blog post about gay rights in the 1970s.")])
    assert "SEXUAL_ORIENTATION" not in {f.entity_type for f in clean}


# --- Amounts inside a financial finding -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have €18,000 of credit card debt", "€18,000 of credit card debt"),
        ("on a salary of €2,100 a month", None),  # no person: nothing
        ("I'm on a salary of €2,100 a month", "salary of €2,100 a month"),
        ("I earn €1,450 net a month", "earn €1,450 net a month"),
        ("my income is 32k a year", "income is 32k a year"),
        ("I have €500 in arrears", "€500 in arrears"),
        ("I have a salary review tomorrow", "salary"),
    ],
)
def test_amounts_join_the_financial_finding(text, expected):
    found = [value for kind, value in spans(text) if kind == "FINANCIAL_SITUATION"]
    assert (expected in found) if expected else found == []


# --- Other languages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ich bin schwanger und brauche eine Mail an meinen Chef", ("HEALTH_DATA", "schwanger")),
        ("Ma mère a un cancer du sein", ("HEALTH_DATA", "cancer")),
        ("Mi hijo tiene diabetes tipo 1", ("HEALTH_DATA", "diabetes")),
        ("Sono incinta di tre mesi", ("HEALTH_DATA", "incinta")),
        ("Mijn vader heeft kanker", ("HEALTH_DATA", "kanker")),
        ("Jag är sjukskriven resten av veckan", ("HEALTH_DATA", "sjukskriven")),
        ("je suis musulmane et je voudrais une salle de prière", ("RELIGION", "musulmane")),
        ("Ich bin schwul und mein Chef macht Witze", ("SEXUAL_ORIENTATION", "schwul")),
        ("ich habe AfD gewählt", ("POLITICAL_OPINION", "AfD")),
        ("mio fratello è in carcere", ("CRIMINAL_RECORD", "in carcere")),
        ("j'ai des dettes et un huissier est passé", ("FINANCIAL_SITUATION", "dettes")),
    ],
)
def test_other_languages_positives(text, expected):
    assert expected in spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "Quels sont les symptômes du diabète ? Fais une liste.",
        "mein Flug wurde wegen Streik gestrichen, schreib eine Beschwerde",
        "my RSA key expired, how do I renew it?",
        "my golf handicap dropped to 12",
        "Wie funktioniert eine Privatinsolvenz in Deutschland?",
    ],
)
def test_other_languages_negatives(text):
    assert spans(text) == []


def test_a_term_taken_for_a_name_does_not_anchor_itself(detector):
    # spaCy's English model calls the German "Krebs" (cancer) a PERSON: that is no person to anchor it.
    findings = detector.detect([Message("user", "Wie wird Krebs in Deutschland behandelt? Eine Übersicht bitte.")])
    assert "HEALTH_DATA" not in {f.entity_type for f in findings}


# --- Pay of a person, as an amount with a period ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my brother is on £28k a year", "£28k a year"),
        ("my husband makes 45k a year and works nights", "45k a year"),
    ],
)
def test_pay_positives(text, expected):
    assert ("FINANCIAL_SITUATION", expected) in spans(text)


@pytest.mark.parametrize(
    "text",
    [
        "the average nurse makes €3,000 a month",
        "the plan costs €12 a month",
        "I pay €900 a month in rent",
        "entry-level developers earn 45k a year in Berlin",
    ],
)
def test_pay_negatives(text):
    assert spans(text) == []


def test_pay_of_a_named_person(detector):
    findings = detector.detect([Message("user", "Anna Schmidt makes €3,100 a month after tax, can she afford it?")])
    assert "FINANCIAL_SITUATION" in {f.entity_type for f in findings}


# --- Cost ------------------------------------------------------------------------------------------------


def test_vocabularies_keep_long_inputs_fast():
    # "chronic" and "acute" start hundreds of terms; every word here is a first word of some term.
    text = "chronic acute " * 5_000 + "Zyrtec " * 2_000 + "I'm of " * 3_000 + "Polish descent. I take Zyrtec."
    found = spans(text)
    assert ("ETHNIC_ORIGIN", "of Polish descent") in found and ("HEALTH_DATA", "Zyrtec") in found


# --- Ordinary prompts that a review found flagged (each clean before round 4) ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        # pay in general: a job ad, an average, a price
        "I saw a job ad for a senior engineer on €90k a year, is that a good offer?",
        "We are hiring a backend developer on £50k a year, write the job post.",
        "In my city the average nurse makes €3,000 a month.",
        "Our SaaS plan bills on €49 a month per seat.",
        # a verb opening a sentence, the term far from it or part of a thing
        "Dealing with a bug in the cancer registry API, can you help?",
        "Struggling to parse this JSON from the HIV clinic scheduling system.",
        "Recovering the deleted rows from the pregnancy app database, any ideas?",
        "Had to write a report on HIV prevalence in Kenya for work.",
        "Got an email from the diabetes association about their fundraiser.",
        # a question after a sentence about someone
        "My sister is a nurse. Is diabetes type 2 reversible?",
        "She asked me a question. Is cancer hereditary?",
        "My boss wants the slides by Monday. Has depression become more common since 2000?",
        # foreign possessives that are English words, unaccented words that are English
        "Does soy cause cancer?",
        "Is soy milk safe for people with lactose intolerance?",
        "Mon: review the diabetes dashboard with the analytics team.",
        "Does soy milk make €2 a month difference in my grocery bill?",
        "I need to convert lon/lat to UTM in my script.",
        "My daughter drew the Krebs cycle on a poster.",
        # an eponym is no person
        "What is Huntington's disease?",
    ],
)
def test_ordinary_prompts_stay_clean(detector, text):
    found = [(f.entity_type, text[f.start:f.end]) for f in detector.detect([Message("user", text)])
             if f.entity_type in {"HEALTH_DATA", "FINANCIAL_SITUATION", "SEXUAL_ORIENTATION", "RELIGION"}]
    assert found == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mon fils a un cancer.", ("HEALTH_DATA", "cancer")),
        ("Mi madre tiene diabetes.", ("HEALTH_DATA", "diabetes")),
        ("my husband is on £38k a year", ("FINANCIAL_SITUATION", "£38k a year")),
    ],
)
def test_foreign_possessives_before_a_relation_and_pay_after_a_copula_still_count(detector, text, expected):
    assert expected in [(f.entity_type, text[f.start:f.end]) for f in detector.detect([Message("user", text)])]
