"""Recognizers of issue #5: names from a lexicon, passwords in prose in several languages,
IBANs in irregular forms, bank accounts in prose, and new hardship and religion phrasings.

Recognizers are called directly (no spaCy needed) except where the whole detector decides
(nesting, duplicates); exact spans for positives, nothing for negatives. Every value is
made up; IBANs are made valid at run time from the mod-97 rule.
"""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from policy.categories import CATEGORY_BY_ENTITY, Category
from policy.detect import Message
from policy.recognizers.bank_accounts import BankAccountNumberRecognizer
from policy.recognizers.financial_situation import FinancialSituationRecognizer
from policy.recognizers.iban_nesting import without_findings_inside_ibans
from policy.recognizers.ibans import IbanFormsRecognizer, find_ibans
from policy.recognizers.name_lexicon import AMBIGUOUS_FIRST, FIRST, LAST, NameLexiconRecognizer, load_lexicon
from policy.recognizers.secrets import SecretsRecognizer
from policy.recognizers.special_categories import SpecialCategoryRecognizer


def spans(recognizer, text: str) -> list[tuple[str, str]]:
    results = recognizer.analyze(text, recognizer.supported_entities, None)
    return sorted((r.entity_type, text[r.start:r.end]) for r in results)


def _iban(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


DE_IBAN = _iban("DE", "370400440532013000")
IT_IBAN = _iban("IT", "X0542811101000000123456")
NL_IBAN = _iban("NL", "ABNA0417164300")


def test_made_ibans_are_valid():
    assert DE_IBAN == "DE89370400440532013000" and len(IT_IBAN) == 27 and len(NL_IBAN) == 18


# --- Names from the lexicon ---------------------------------------------------------------------


def test_lexicon_sections_load_and_keep_everyday_words_apart():
    lexicon = load_lexicon()
    assert {"first", "first-ambiguous", "last"} <= set(lexicon)
    assert {"sophie", "rūta", "thijs", "mihai", "urs"} <= FIRST
    assert {"will", "mark", "may", "grace", "rose", "bill", "hope", "tone"} <= AMBIGUOUS_FIRST
    assert not {"will", "mark", "grace", "tone", "the", "said"} & FIRST
    assert {"nielsen", "meier", "pereira", "walker"} <= LAST and not {"said", "reader", "the"} & LAST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ask rūta whether the invoice went out", ["rūta"]),
        ("can you write a msg to sophie walker saying I'm late", ["sophie walker"]),
        ("i met urs meier at the conference", ["urs meier"]),
        ("tell Petra and Thijs the offsite moved to March", ["Petra", "Thijs"]),
        ("my colleague marija keeps taking credit for my work", ["marija"]),
        ("me and lars are planning a trip to porto", ["lars"]),
        ("write a goodbye card for Mihai who is retiring", ["Mihai"]),
        ("Thijs said the server is down again", ["Thijs"]),
        ("Reply to Gábor's message: can we move the 1:1?", ["Gábor"]),
        ("ok thx\n— lars\n\nturn this into a reply", ["lars"]),
        ("best,\nanna\n", ["anna"]),
        ("ask Will to review the PR before lunch", ["Will"]),
        ("cc Hope on the invoice thread", ["Hope"]),
        ("Hope from HR says I need to fill in the form again", ["Hope"]),
    ],
)
def test_lexicon_name_positives(text, expected):
    assert spans(NameLexiconRecognizer(), text) == [("PERSON", name) for name in expected]


@pytest.mark.parametrize(
    "text",
    [
        "Will this code compile if I remove the semicolon?",
        "mark all unread emails as read in outlook",
        "Hope this helps! Let me know if you need anything else.",
        "the rose bushes in my garden have black spots",
        "grace period for a late payment on a credit card",
        "frank feedback on my cv please",
        "check the tone of this email",
        "email me at anna.smith@example.com",
        "rename /home/lars/projects and sophie_config.yaml",
        "Can Jenkins and GitLab CI share runners?",
        "ask will if it's ready",  # an everyday word in lower case is never a name
    ],
)
def test_lexicon_name_negatives(text):
    assert spans(NameLexiconRecognizer(), text) == []


# --- Passwords and codes in prose (SecretsRecognizer, secrets/prose.py) ----------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the wifi pw is Xy!2abcd btw", "Xy!2abcd"),
        ("pw: Meadow!1184 — can you tell me if that's strong enough?", "Meadow!1184"),
        ("password for the admin panel? it's lk4dd2utIIXiQh", "lk4dd2utIIXiQh"),
        ("Password (case sensitive): Pepptund84-\nturn this into a message", "Pepptund84-"),
        ("my password is sunflowergranite, is that too easy to guess?", "sunflowergranite"),
        ("I changed my password to falconmarble yesterday", "falconmarble"),
        ("the password to my laptop is orchidfalcon in case you need it", "orchidfalcon"),
        ("I use Marbfalc49- as my password for everything", "Marbfalc49-"),
        ("my login is benoit_1975 / dif&47G1JATFS8, why is it locked?", "dif&47G1JATFS8"),
        ("creds for staging: murphy.cia:Velvbisc01. — add them to the wiki", "Velvbisc01"),
        ("login details for the portal: m77@wp.example, pass 5ieEGWgC!ade1m", "5ieEGWgC!ade1m"),
        ("the alarm code is 5326, put it in the notes", "5326"),
        ("the passcode for the front door is 482193", "482193"),
        ("Passwort: Gr4nit!e — bitte die Mail formulieren", "Gr4nit!e"),
        ("Kennwort F@lc0n29 funktioniert nicht mehr", "F@lc0n29"),
        ("mot de passe : Lantfalc25_ — rédige un mail", "Lantfalc25_"),
        ("la contraseña es F@lc0n2, escribe un correo", "F@lc0n2"),
        ("la password del router è Sunffalc05!, scrivi le istruzioni", "Sunffalc05!"),
        ("a senha do email é M*B7cnEUd4EaRN, escreve um lembrete", "M*B7cnEUd4EaRN"),
        ("hasło do wifi to Velvorch23, napisz kartkę", "Velvorch23"),
        ("wachtwoord: Meadow!1184 — vertaal deze mail", "Meadow!1184"),
        ("lösenord: Marbpepp14_ — skriv ett mejl", "Marbpepp14_"),
    ],
)
def test_prose_password_positives(text, expected):
    assert [value for kind, value in spans(SecretsRecognizer(), text) if kind == "PASSWORD"] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "the password is wrong apparently, how do I reset it",
        "my password is incorrect, what now?",
        "the password is stored hashed with bcrypt, is that enough?",
        "my password is too short according to the form",
        "the password is expired and the reset link doesn't work",
        "set the password to expire every 90 days in the GPO",
        "Passwort vergessen — how do I reset it on web.de?",
        "mot de passe oublié — comment le réinitialiser ?",
        "login with username and password fails only in Safari",
        "pass the 2nd-round interview tips please",
        "please pass on 2nd-hand info to the team",
        "password is: https://example.com/reset",
        "the access code is required for the building, how do I request one?",
        "What makes a passphrase stronger than a password?",
    ],
)
def test_prose_password_negatives(text):
    assert spans(SecretsRecognizer(), text) == []


# --- IBANs in irregular forms; bank accounts in prose ------------------------------------------------


def _irregular(iban: str) -> str:
    return f"{iban[:12]} {iban[12:16]} {iban[16:22]} {iban[22:]}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"pls send the money to {_irregular(IT_IBAN)} asap", _irregular(IT_IBAN)),
        (f"{'.'.join(NL_IBAN[i:i + 4] for i in range(0, 18, 4))} thx", ".".join(NL_IBAN[i:i + 4] for i in range(0, 18, 4))),
        (f"iban {DE_IBAN[:4].lower()} {DE_IBAN[4:].lower()} ok", f"{DE_IBAN[:4].lower()} {DE_IBAN[4:].lower()}"),
        (f"IBAN:\n{DE_IBAN[:10]} {DE_IBAN[10:15]} {DE_IBAN[15:]}\nwrite", f"{DE_IBAN[:10]} {DE_IBAN[10:15]} {DE_IBAN[15:]}"),
        ("-".join(DE_IBAN[i:i + 4] for i in range(0, 22, 4)), "-".join(DE_IBAN[i:i + 4] for i in range(0, 22, 4))),
    ],
)
def test_iban_forms_positives(text, expected):
    assert spans(IbanFormsRecognizer(), text) == [("IBAN_CODE", expected)]


def test_a_mistyped_iban_counts_only_after_its_label():
    mistyped = DE_IBAN[:-1] + "1"
    assert find_ibans(f"IBAN {mistyped} (one digit may be wrong)") == [(5, 5 + len(mistyped), False)]
    assert spans(IbanFormsRecognizer(), f"IBAN {mistyped}")[0][0] == "IBAN_CODE"
    assert find_ibans(f"reference {mistyped} for the order") == []


@pytest.mark.parametrize(
    "text",
    [
        "commit ab12cdef0123456789abcdef0 broke the build",
        "what does the check digit in an IBAN do?",
        f"{DE_IBAN}7 is one digit too long",
        "DE89 is the check digit pair of a German IBAN",
    ],
)
def test_iban_forms_negatives(text):
    assert spans(IbanFormsRecognizer(), text) == []


def test_card_shapes_inside_an_irregular_iban_are_dropped(detector):
    # "IT.. X054 2811 1010 0000 0123 456" holds 16-digit runs; none may become a card or a PESEL.
    text = f"pay to {_irregular(IT_IBAN)} please"
    findings = detector.detect([Message("user", text)])
    assert "IBAN_CODE" in {f.entity_type for f in findings}
    assert not {f.category for f in findings} & {Category.PCI, Category.GOV_ID}
    inside = RecognizerResult("CREDIT_CARD", 7 + 13, 7 + 30, 1.0)
    assert without_findings_inside_ibans(text, [inside]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("routing number 071093541, account number 998863831556 for payroll", "998863831556"),
        ("Kontonummer 9734689019, BLZ 370 400 44", "9734689019"),
        ("mon numéro de compte 00012345678 pour le virement", "00012345678"),
        ("número de cuenta 1234567890", "1234567890"),
        ("my savings account no. 4412 9087 3321", "4412 9087 3321"),
    ],
)
def test_bank_account_number_positives(text, expected):
    assert spans(BankAccountNumberRecognizer(), text) == [("BANK_ACCOUNT_NUMBER", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "routing number 071093541 of the bank",
        "sort code 20-00-00",
        "my account has 12 users",
        "account 2024-05-01 was created",
        "Is a sort code the same as a routing number?",
    ],
)
def test_bank_account_number_negatives(text):
    assert spans(BankAccountNumberRecognizer(), text) == []


def test_bank_account_number_is_financial():
    assert CATEGORY_BY_ENTITY["BANK_ACCOUNT_NUMBER"] is Category.FINANCIAL


# --- Hardship and religion phrasings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("recognizer", "text", "expected"),
    [
        (FinancialSituationRecognizer(), "we're two months behind on the electricity bill", ("FINANCIAL_SITUATION",)),
        (FinancialSituationRecognizer(), "my wages are being garnished — is that legal?", ("FINANCIAL_SITUATION",)),
        (FinancialSituationRecognizer(), "I've maxed out three credit cards", ("FINANCIAL_SITUATION",)),
        (FinancialSituationRecognizer(), "I owe my landlord three months' rent", ("FINANCIAL_SITUATION",)),
        (SpecialCategoryRecognizer(), "I go to the mosque every friday and need to leave early", ("RELIGION",)),
    ],
)
def test_new_phrasings_positives(recognizer, text, expected):
    assert tuple(sorted({kind for kind, _ in spans(recognizer, text)})) == expected


@pytest.mark.parametrize(
    ("recognizer", "text"),
    [
        (FinancialSituationRecognizer(), "what is a garnishment order?"),
        (FinancialSituationRecognizer(), "Explain what an overdraft fee is."),
        (SpecialCategoryRecognizer(), "what time do people go to the mosque on Fridays in Istanbul?"),
    ],
)
def test_new_phrasings_negatives(recognizer, text):
    assert spans(recognizer, text) == []


# --- Hostile inputs: every regex above stays linear ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("password for " + "the " * 5_000 + "is", id="qualifier-words"),
        pytest.param("pw" + " " * 20_000 + "is x", id="spaces-after-keyword"),
        pytest.param("password (" * 5_000, id="open-parentheses"),
        pytest.param("login " + "a" * 20_000 + ":", id="long-login-value"),
        pytest.param("creds " + "a/" * 10_000, id="slash-run"),
        pytest.param("DE89 " + "1 " * 10_000, id="iban-single-digit-groups"),
        pytest.param("de89" + ".a" * 10_000, id="iban-dotted-letters"),
        pytest.param("ask " + "anna " * 5_000, id="name-run"),
        pytest.param("account number " + "123 " * 5_000, id="account-digit-groups"),
        pytest.param("use " + "x" * 20_000 + " as my password", id="as-password-long-value"),
    ],
)
def test_hostile_inputs_stay_fast(text):
    recognizers = (SecretsRecognizer(), NameLexiconRecognizer(), IbanFormsRecognizer(), BankAccountNumberRecognizer())
    for recognizer in recognizers:
        recognizer.analyze(text, recognizer.supported_entities, None)


# --- Round 3: Art. 9 in everyday words, passwords without the usual keywords --------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my dad's side is Ashkenazi, should I get screened", ("ETHNIC_ORIGIN",)),
        ("my grandparents were Roma", ("ETHNIC_ORIGIN",)),
        ("we keep Shabbat so no meetings on Friday evening", ("RELIGION",)),
        ("I'm going on Hajj this summer, draft the leave request", ("RELIGION",)),
        ("I don't eat pork for religious reasons", ("RELIGION",)),
        ("I'm attracted to both men and women", ("SEXUAL_ORIENTATION",)),
        ("my boyfriend and I are both gay men", ("SEXUAL_ORIENTATION",)),
        ("I'm a card-carrying Tory", ("POLITICAL_OPINION",)),
        ("I've always voted Green", ("POLITICAL_OPINION",)),
        ("I'm a Republican and my wife is a Democrat", ("POLITICAL_OPINION",)),
        ("I did two years for burglary", ("CRIMINAL_RECORD",)),
        ("I was sentenced to six months in 2015", ("CRIMINAL_RECORD",)),
        ("I'm on the sex offenders register", ("CRIMINAL_RECORD",)),
        ("I'm a carrier for sickle cell", ("GENETIC_DATA",)),
    ],
)
def test_special_round3_positives(text, expected):
    assert tuple(sorted({kind for kind, _ in spans(SpecialCategoryRecognizer(), text)})) == expected


def test_open_ended_terms_cover_the_next_word():
    assert spans(SpecialCategoryRecognizer(), "she came out as gay last year") == [
        ("SEXUAL_ORIENTATION", "came out as gay")]
    assert spans(SpecialCategoryRecognizer(), "I was convicted of fraud in 2019") == [
        ("CRIMINAL_RECORD", "convicted of fraud")]


@pytest.mark.parametrize(
    "text",
    [
        "the Catholic church downtown has great architecture",
        "prove that the union of two sets is a set",
        "add a liberal amount of butter",
        "give me the conservative estimate for the budget",
        "write the Jewish history course syllabus",
        "I'm straight out of ideas for dinner",
        "I'm a conservative driver, is a hybrid worth it?",
        "we were arrested by the view from the top",
        "I have a Green card and want to travel",
        "our genetic algorithm converges too slowly",
        "my trial period ends next week, write to my manager",
    ],
)
def test_special_round3_negatives(text):
    assert spans(SpecialCategoryRecognizer(), text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("to get into my laptop type Hx7!pQ2z at the prompt", "Hx7!pQ2z"),
        ("the wifi is HomeNet and the key is Sunny-Day-42", "Sunny-Day-42"),
        ("I log in with bob.smith and Tr0ub4dor&3, why is it slow", "Tr0ub4dor&3"),
        ("use Kx9$mP2q to sign in to the router", "Kx9$mP2q"),
        ("the code to get in is 4821, put it in the guest message", "4821"),
        ("the combination for the safe is 12-34-56", "12-34-56"),
        ("the memorable word is granitefalcon", "granitefalcon"),
        ("my phone unlock code is 839201", "839201"),
        ("the key for the wifi is blueberrypancake", "blueberrypancake"),
        ("the wi-fi password? Sunny-Day-42", "Sunny-Day-42"),
    ],
)
def test_passwords_without_keywords(text, expected):
    assert spans(SecretsRecognizer(), text) == [("PASSWORD", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "type Ctrl+Shift+P to open the palette",
        "use Python3.11 to run it, then log in",
        "Why does `SELECT * FROM users WHERE email = ?` return nothing with SQLite?",
        "my login is benoit_1975 / and I forgot the rest",
        "the key is to stay consistent",
        "the combination of both approaches works",
        "the code to get in touch with support is on the site",
        "password? Thanks, I found it",
    ],
)
def test_passwords_without_keywords_negatives(text):
    assert spans(SecretsRecognizer(), text) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("log in with " + "Ab1! " * 5_000, id="lead-values-run"),
        pytest.param("wifi " + "is " * 10_000 + "Ab1!xyz", id="lead-word-run"),
        pytest.param("the code to " + "get " * 5_000 + "in is 1234", id="access-code-words"),
        pytest.param("arrested by " * 5_000, id="arrested-by-run"),
        pytest.param("I came out as" + " " * 20_000 + "x", id="open-ended-spaces"),
        pytest.param("the combination is " + "1-" * 10_000, id="combination-dashes"),
    ],
)
def test_round3_hostile_inputs_stay_fast(text):
    for recognizer in (SecretsRecognizer(), SpecialCategoryRecognizer()):
        recognizer.analyze(text, recognizer.supported_entities, None)


# --- Round 4: health, Art. 9 and money trouble said of a person in everyday words ------------------------

_ROUND4_POSITIVES = [
    ("my dad has a heart condition so he can't fly", "HEALTH_DATA"),
    ("my husband has MS and we need a downstairs bathroom", "HEALTH_DATA"),
    ("my wife is in hospital so I'll miss the standup", "HEALTH_DATA"),
    ("I broke my wrist and can't type much", "HEALTH_DATA"),
    ("our daughter tore her ACL at football", "HEALTH_DATA"),
    ("my knee surgery is on the 14th", "HEALTH_DATA"),
    ("my grandma had a fall last night", "HEALTH_DATA"),
    ("my mother-in-law is Catholic and wants a church wedding", "RELIGION"),
    ("her girlfriend is moving in with us", "SEXUAL_ORIENTATION"),
    ("my trans daughter starts a new school", "SEXUAL_ORIENTATION"),
    ("his conversion to Islam upset his parents", "RELIGION"),
    ("I'm of Pakistani heritage", "ETHNIC_ORIGIN"),
    ("my Black boyfriend keeps getting stopped by security", "ETHNIC_ORIGIN"),
    ("my dad voted Reform and now we don't talk", "POLITICAL_OPINION"),
    ("I'm on the picket line tomorrow", "TRADE_UNION"),
    ("my brother's parole hearing is next month", "CRIMINAL_RECORD"),
    ("my son is in custody", "CRIMINAL_RECORD"),
    ("I've missed two payments on my car finance", "FINANCIAL_SITUATION"),
    ("my sister is behind on her rent", "FINANCIAL_SITUATION"),
    ("I got fired last week and the rent is due", "FINANCIAL_SITUATION"),
    ("we're struggling to make ends meet", "FINANCIAL_SITUATION"),
    ("the bailiffs came to my gran's house today", "FINANCIAL_SITUATION"),
]
_ROUND4_NEGATIVES = [
    "the surgery opens at 9 on saturdays",
    "my cancer research grant application is due friday",
    "I'm a physio in Ghent, write my LinkedIn headline",
    "my database operation keeps timing out",
    "I have MS Office installed, how do I update it?",
    "my sentence is too long, can you shorten it",
    "a union type in TypeScript vs an enum",
    "write a Black Friday banner for our shoe shop",
    "my conviction is that we should ship on Friday",
    "my faith in this framework is gone",
    "My religion does not allow speaking to bots",
    "he came out of the meeting furious",
    "we can't afford to lose this client",
    "I owe you one! thanks for the help",
    "how do I measure technical debt in our repo?",
    "our income statement for Q3 needs a summary",
    "my benefits package at the new job, is 30 days holiday normal?",
    "my backup job missed two runs last night",
]


def _round4_recognizers():
    from policy.recognizers.health import HealthDataRecognizer

    return (HealthDataRecognizer(), SpecialCategoryRecognizer(), FinancialSituationRecognizer())


@pytest.mark.parametrize(("text", "expected"), _ROUND4_POSITIVES)
def test_round4_positives(text, expected):
    found = {kind for recognizer in _round4_recognizers() for kind, _ in spans(recognizer, text)}
    assert expected in found


@pytest.mark.parametrize("text", _ROUND4_NEGATIVES)
def test_round4_negatives(text):
    assert [found for recognizer in _round4_recognizers() for found in spans(recognizer, text)] == []


def test_first_words_of_many_terms_are_looked_up_by_pair():
    # "of" starts hundreds of origin phrases: a long run of "of" must stay cheap.
    text = "of " * 20_000 + "I'm of Moroccan descent"
    assert spans(SpecialCategoryRecognizer(), text) == [("ETHNIC_ORIGIN", "of Moroccan descent")]
