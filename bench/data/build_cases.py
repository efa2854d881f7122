"""Build Residency's own labelled cases: bench/data/residency_cases.jsonl.

    templates (below) ─▶ fill slots with generated values (fixed seed) ─▶ text + spans
                     ─▶ split by a hash of the template ─▶ one JSON line per case

Run it from the repository root, in the venv (it uses `phonenumbers`, a Presidio
dependency, to keep generated phone numbers valid):

    python bench/data/build_cases.py            # rewrites bench/data/residency_cases.jsonl
    python bench/data/build_cases.py --check    # exits 1 if the committed file is stale

Template markup — offsets are never written by hand:

    ⟦gen⟧          a value from generator `gen`, labelled with the generator's label
    ⟦gen:LABEL⟧    the same value, labelled LABEL instead
    ⟦gen:-⟧        a generated value that is not regulated (no span)
    ⟦text|LABEL⟧   literal text labelled LABEL

Within one case, `full`, `first`, `last`, `email`, ... all describe the same person;
`full2`, `first2`, `email2` a second one. Generators with a trailing digit (`password2`)
give a second, different value.

Every value is synthetic: names are drawn from lists of common names, identifiers carry
valid check digits but were generated here, and the secrets are random strings in the
vendors' shapes — none is a working credential. Labels are the gold types of
bench/detection/labels.py (Residency's entity types where one exists).

The split is by template, stratified by group: in each group, the 30 % of templates
(at least one) with the lowest SHA-256 of "residency-bench-split/" + template markup are
`heldout`, the others `dev`. All cases of one template land on the same side. Adding a
template to a group can move that group's boundary by one template: check the diff of
`meta.split` in the output. The heldout cases are never used for tuning (bench/README.md).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import re
import string
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

SEED = "residency-bench-cases/v1"
OUTPUT = Path(__file__).with_name("residency_cases.jsonl")
HELDOUT_SHARE = 0.30

# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------

NAMES: dict[str, tuple[list[str], list[str], list[str]]] = {
    # country: (first names, last names, e-mail domains)
    "DE": (["Jürgen", "Anna", "Lukas", "Sophie", "Klaus", "Mareike", "Jörg", "Hannelore", "Tobias", "Friederike"],
           ["Müller", "Schmidt", "Weißgerber", "Hoffmann", "Becker", "Schröder", "Krüger", "Neumann"],
           ["gmx.de", "web.de", "t-online.de", "posteo.de"]),
    "FR": (["Chloé", "Étienne", "Margaux", "Benoît", "Anne-Marie", "Théo", "Camille", "Hélène"],
           ["Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Mercier"],
           ["orange.fr", "free.fr", "laposte.net", "sfr.fr"]),
    "ES": (["Javier", "Lucía", "Álvaro", "Inés", "Carmen", "Joaquín", "Nuria", "Iñigo"],
           ["Fernández", "García", "López", "Martínez", "Sánchez", "Ruiz", "Etxeberria"],
           ["telefonica.net", "gmail.com", "hotmail.es"]),
    "IT": (["Giulia", "Matteo", "Francesca", "Lorenzo", "Chiara", "Giuseppe", "Niccolò"],
           ["Russo", "Bianchi", "Romano", "Colombo", "Ricci", "Esposito", "De Luca"],
           ["libero.it", "virgilio.it", "tiscali.it"]),
    "NL": (["Maarten", "Sanne", "Joost", "Femke", "Daan", "Anouk", "Sjoerd"],
           ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "van Dijk"],
           ["ziggo.nl", "kpnmail.nl", "xs4all.nl"]),
    "IE": (["Siobhan", "Aoife", "Cian", "Niamh", "Pádraig", "Eoin"],
           ["O'Brien", "Murphy", "Ó Súilleabháin", "Kelly", "Byrne", "McCarthy"],
           ["eircom.net", "gmail.com"]),
    "PL": (["Katarzyna", "Łukasz", "Agnieszka", "Piotr", "Małgorzata"],
           ["Nowak", "Wiśniewski", "Kowalczyk", "Wójcik", "Zieliński"],
           ["wp.pl", "onet.pl", "interia.pl"]),
    "SE": (["Björn", "Åsa", "Linnea", "Erik"], ["Lindqvist", "Johansson", "Andersson", "Öberg"],
           ["telia.com", "gmail.com"]),
    "GB": (["Oliver", "Amelia", "Harry", "Priya", "Mohammed", "Charlotte", "Gareth"],
           ["Smith", "Patel", "Taylor", "Hughes", "Khan", "Evans", "Okonkwo"],
           ["btinternet.com", "outlook.com", "gmail.com"]),
    "GR": (["Dimitris", "Eleni", "Giorgos"], ["Papadopoulos", "Georgiou", "Konstantinidou"],
           ["otenet.gr", "gmail.com"]),
    "PT": (["João", "Beatriz", "Tiago"], ["Silva", "Santos", "Ferreira"], ["sapo.pt", "gmail.com"]),
    "TR": (["Mehmet", "Elif"], ["Yılmaz", "Demir"], ["gmail.com", "outlook.com"]),
    "NG": (["Olumide", "Chiamaka"], ["Adeyemi", "Okafor"], ["yahoo.com", "gmail.com"]),
    "IN": (["Aditya", "Lakshmi"], ["Rao", "Natarajan"], ["gmail.com", "outlook.com"]),
}
CHILD_NAMES = ["Mia", "Leo", "Emma", "Noah", "Lina", "Finn", "Zoé", "Mateo", "Giulia", "Oskar", "Ida", "Luca"]


@dataclass
class Person:
    first: str
    last: str
    country: str
    domain: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def _ascii(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
    import unicodedata

    text = text.translate(table)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _local_part(rng: random.Random, p: Person) -> str:
    first = re.sub(r"[^a-z]", "", _ascii(p.first).lower())
    last = re.sub(r"[^a-z]", "", _ascii(p.last).lower())
    return rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{rng.randint(1, 99)}",
                       f"{last}.{first}", f"{first}{rng.randint(70, 99)}"])


# --------------------------------------------------------------------------------------
# Checksummed identifiers
# --------------------------------------------------------------------------------------

def luhn_complete(prefix_and_body: str) -> str:
    digits = [int(d) for d in prefix_and_body]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix_and_body + str((10 - total % 10) % 10)


def iban_from_bban(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def iban_grouped(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8,
                    12, 14, 16, 10, 22, 25, 24, 23]))
_CF_EVEN = {**{str(i): i for i in range(10)}, **{c: i for i, c in enumerate(string.ascii_uppercase)}}


def it_check_char(body: str) -> str:
    """The control character of a codice fiscale (and of an Italian BBAN's CIN)."""
    total = sum(_CF_ODD[c] if i % 2 == 0 else _CF_EVEN[c] for i, c in enumerate(body))
    return string.ascii_uppercase[total % 26]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _chars(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def de_tax_id(rng: random.Random) -> str:
    """Steuer-IdNr: 11 digits, one digit of the first ten twice, ISO 7064 MOD 11,10 check digit."""
    while True:
        pool = rng.sample(string.digits, 9)
        body = pool + [rng.choice(pool)]
        rng.shuffle(body)
        if body[0] != "0":
            break
    product = 10
    for d in body:
        total = (int(d) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return "".join(body) + str(check)


_ICAO = "CFGHJKLMNPRTVWXYZ0123456789"


def icao_check(text: str) -> str:
    weights = (7, 3, 1)
    return str(sum((int(c) if c.isdigit() else ord(c) - 55) * weights[i % 3] for i, c in enumerate(text)) % 10)


def de_id_card(rng: random.Random) -> str:
    """Personalausweis document number as printed: 9 characters (the MRZ check digit is separate)."""
    return rng.choice("LMNPRTVWXY") + _chars(rng, _ICAO, 7) + rng.choice(string.digits)


def de_passport(rng: random.Random) -> str:
    """Reisepass number as printed: C + 8 characters of the ICAO charset."""
    return "C" + _chars(rng, _ICAO, 7) + rng.choice(string.digits)


def de_rvnr(rng: random.Random) -> str:
    """Rentenversicherungsnummer: area, DDMMYY, initial, serial, check digit (VKVV § 4)."""
    area = rng.choice(["12", "13", "15", "24", "25", "40", "53", "65"])
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(50, 99)
    letter = rng.choice("ABDFGHKMNRSW")
    serial = f"{rng.randint(0, 99):02d}"
    effective = f"{area}{day:02d}{month:02d}{year:02d}{ord(letter) - 64:02d}{serial}"
    total = 0
    for digit, weight in zip(effective, (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)):
        product = int(digit) * weight
        total += product // 10 + product % 10
    return f"{area}{day:02d}{month:02d}{year:02d}{letter}{serial}{total % 10}"


def de_kvnr(rng: random.Random) -> str:
    """Krankenversichertennummer: letter, 8 digits, check digit (weights 1,2,1,2 ...; cross sums)."""
    letter = rng.choice(string.ascii_uppercase)
    body = _digits(rng, 8)
    numeric = f"{ord(letter) - 64:02d}{body}"
    total = 0
    for i, d in enumerate(numeric):
        product = int(d) * (1 if i % 2 == 0 else 2)
        total += product // 10 + product % 10
    return f"{letter}{body}{total % 10}"


def fr_nir(rng: random.Random) -> str:
    """Numéro de sécurité sociale: 13 digits and a key 97 - (n mod 97), written in groups."""
    sex = rng.choice("12")
    yy, mm = f"{rng.randint(50, 99):02d}", f"{rng.randint(1, 12):02d}"
    dept = rng.choice(["75", "69", "13", "33", "59", "67", "44"])
    commune, order = f"{rng.randint(1, 999):03d}", f"{rng.randint(1, 999):03d}"
    number = f"{sex}{yy}{mm}{dept}{commune}{order}"
    key = 97 - int(number) % 97
    return f"{sex} {yy} {mm} {dept} {commune} {order} {key:02d}"


def fr_passport(rng: random.Random) -> str:
    return _digits(rng, 2) + _chars(rng, string.ascii_uppercase, 2) + _digits(rng, 5)


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni(rng: random.Random) -> str:
    number = rng.randint(10_000_000, 79_999_999)
    return f"{number}{_DNI_LETTERS[number % 23]}"


def es_nie(rng: random.Random) -> str:
    prefix = rng.choice("XYZ")
    body = _digits(rng, 7)
    return f"{prefix}{body}{_DNI_LETTERS[int(str('XYZ'.index(prefix)) + body) % 23]}"


def es_passport(rng: random.Random) -> str:
    return _chars(rng, string.ascii_uppercase, 3) + _digits(rng, 6)


_CF_MONTHS = "ABCDEHLMPRST"


def _cf_part(name: str, is_first: bool) -> str:
    letters = re.sub(r"[^A-Z]", "", _ascii(name).upper())
    consonants = [c for c in letters if c not in "AEIOU"]
    vowels = [c for c in letters if c in "AEIOU"]
    if is_first and len(consonants) >= 4:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return "".join(consonants + vowels + ["X", "X", "X"])[:3]


def it_fiscal_code(rng: random.Random, person: Person) -> str:
    female = person.first in {"Giulia", "Francesca", "Chiara"}
    year = rng.randint(50, 99)
    day = rng.randint(1, 28) + (40 if female else 0)
    place = rng.choice(["H501", "F205", "F839", "L219", "G273", "A944", "D612"])
    body = (_cf_part(person.last, False) + _cf_part(person.first, True)
            + f"{year:02d}{rng.choice(_CF_MONTHS)}{day:02d}{place}")
    return body + it_check_char(body)


def it_identity_card(rng: random.Random) -> str:
    return "CA" + _digits(rng, 5) + _chars(rng, string.ascii_uppercase, 2)


def it_passport(rng: random.Random) -> str:
    return _chars(rng, string.ascii_uppercase, 2) + _digits(rng, 7)


def nl_bsn(rng: random.Random) -> str:
    while True:
        body = [rng.randint(0, 9) for _ in range(8)]
        if body[0] == 0:
            continue
        last = sum(d * (9 - i) for i, d in enumerate(body)) % 11
        if last <= 9:
            return "".join(map(str, body)) + str(last)


def be_national_number(rng: random.Random) -> str:
    yy, mm, dd, serial = rng.randint(50, 99), rng.randint(1, 12), rng.randint(1, 28), rng.randint(1, 997)
    base = int(f"{yy:02d}{mm:02d}{dd:02d}{serial:03d}")
    return f"{yy:02d}.{mm:02d}.{dd:02d}-{serial:03d}.{97 - base % 97:02d}"


def pl_pesel(rng: random.Random) -> str:
    yy, mm, dd = rng.randint(50, 99), rng.randint(1, 12), rng.randint(1, 28)
    body = f"{yy:02d}{mm:02d}{dd:02d}{_digits(rng, 4)}"
    total = sum(int(d) * w for d, w in zip(body, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)))
    return body + str((10 - total % 10) % 10)


def uk_nhs(rng: random.Random) -> str:
    while True:
        body = _digits(rng, 9)
        check = 11 - sum(int(d) * (10 - i) for i, d in enumerate(body)) % 11
        if check == 11:
            check = 0
        if check != 10 and body[0] in "4679":
            number = body + str(check)
            return f"{number[:3]} {number[3:6]} {number[6:]}"


def uk_nino(rng: random.Random) -> str:
    first = "ABCEGHJKLMNOPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        prefix = rng.choice(first) + rng.choice(second)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    d = _digits(rng, 6)
    return f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}"


def uk_driving_licence(rng: random.Random, person: Person) -> str:
    surname = re.sub(r"[^A-Z]", "", _ascii(person.last).upper())[:5].ljust(5, "9")
    year = rng.randint(50, 99)
    month = rng.randint(1, 12) + (50 if person.first in {"Amelia", "Charlotte", "Priya"} else 0)
    day = rng.randint(1, 28)
    initials = (_ascii(person.first)[0].upper() + "9")
    return f"{surname}{year // 10}{month:02d}{day:02d}{year % 10}{initials}9{_chars(rng, string.ascii_uppercase, 2)}"


def us_ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _base58check(payload: bytes) -> str:
    checksum = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    data = payload + checksum
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def btc_address(rng: random.Random) -> str:
    return _base58check(b"\x00" + rng.randbytes(20))


# --------------------------------------------------------------------------------------
# Phone numbers: generated per country, kept only when libphonenumber calls them valid
# --------------------------------------------------------------------------------------

_PHONE_SHAPES: dict[str, list[tuple[str, str]]] = {
    # country: [(shape, region to parse a national-format shape with)]; "d" is a random digit
    "DE": [("+49 151 dddddddd", "DE"), ("+49 30 dddddddd", "DE"), ("0049 89 ddddddd", "DE"),
           ("0171 ddddddd", "DE"), ("+49 (0)40 dddddddd", "DE")],
    "FR": [("+33 6 dd dd dd dd", "FR"), ("06 dd dd dd dd", "FR"), ("+33 (0)1 dd dd dd dd", "FR")],
    "ES": [("+34 6dd ddd ddd", "ES"), ("612 ddd ddd", "ES")],
    "IT": [("+39 3dd ddd dddd", "IT"), ("+39 06 dddd dddd", "IT"), ("347 ddd dddd", "IT")],
    "NL": [("+31 6 dddddddd", "NL"), ("06-dddddddd", "NL"), ("+31 20 ddd dddd", "NL")],
    "GB": [("+44 7ddd dddddd", "GB"), ("07dd ddd dddd", "GB"), ("020 7ddd dddd", "GB")],
    "IE": [("+353 87 ddd dddd", "IE"), ("+353 1 ddd dddd", "IE")],
    "PL": [("+48 5dd ddd ddd", "PL"), ("+48 6dd ddd ddd", "PL")],
    "US": [("(415) ddd-dddd", "US"), ("+1 212-ddd-dddd", "US"), ("617.ddd.dddd", "US")],
}


def phone(rng: random.Random, country: str) -> str:
    shape, region = rng.choice(_PHONE_SHAPES[country])
    for _ in range(1000):
        candidate = "".join(rng.choice("23456789") if c == "d" else c for c in shape)
        try:
            parsed = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return candidate
    raise RuntimeError(f"no valid phone number for {shape}")


# --------------------------------------------------------------------------------------
# Secrets: random strings in the vendors' shapes (never working credentials)
# --------------------------------------------------------------------------------------

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
B64 = ALNUM + "+/"
UPPER32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(rng: random.Random) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"sub": f"usr_{_digits(rng, 6)}", "role": rng.choice(["admin", "editor", "service"]),
              "iat": rng.randint(1_700_000_000, 1_730_000_000)}
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{payload}.{b64url(rng.randbytes(32))}"


def pem_key(rng: random.Random) -> str:
    body = base64.b64encode(b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + rng.randbytes(600)).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----"


def openssh_key(rng: random.Random) -> str:
    body = base64.b64encode(b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none" + rng.randbytes(300)).decode()
    lines = [body[i:i + 70] for i in range(0, len(body), 70)]
    return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END OPENSSH PRIVATE KEY-----"


_WORDS = ["sunflower", "granite", "velvet", "harbour", "copper", "meadow", "falcon", "lantern", "orchid", "tundra",
          "biscuit", "pepper", "marble", "juniper", "glacier"]


def password(rng: random.Random) -> str:
    style = rng.randrange(4)
    word = rng.choice(_WORDS)
    if style == 0:
        return f"{word.capitalize()}{rng.choice('!#$%&*?')}{rng.randint(10, 2099)}"
    if style == 1:
        return f"{word[:4].capitalize()}{rng.choice(_WORDS)[:4]}{rng.randint(0, 99):02d}{rng.choice('!.-_')}"
    if style == 2:
        return _chars(rng, ALNUM + "!@#%^&*", 14)
    leet = word.translate(str.maketrans({"a": "@", "o": "0", "e": "3", "i": "1", "s": "$"}))
    return leet.capitalize() + str(rng.randint(1, 99))


def uuid4(rng: random.Random) -> str:
    h = rng.randbytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:32]}"


# --------------------------------------------------------------------------------------
# Generator registry: name -> (function(rng, ctx) -> str, default label or None)
# --------------------------------------------------------------------------------------


@dataclass
class Context:
    rng: random.Random
    people: list[Person] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)

    def person(self, index: int) -> Person:
        while len(self.people) <= index:
            country = self.rng.choice(sorted(NAMES))
            firsts, lasts, domains = NAMES[country]
            first, last = self.rng.choice(firsts), self.rng.choice(lasts)
            self.people.append(Person(first, last, country, self.rng.choice(domains)))
        return self.people[index]


def _email(ctx: Context, index: int) -> str:
    person = ctx.person(index)
    return f"{_local_part(ctx.rng, person)}@{person.domain}"


def _private_ip(rng: random.Random) -> str:
    return rng.choice([f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
                       f"192.168.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
                       f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"])


def _public_ip(rng: random.Random) -> str:
    first = rng.choice([31, 46, 77, 78, 82, 85, 88, 91, 93, 95, 109, 176, 178, 185, 212, 217])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def _isbn13(rng: random.Random) -> str:
    body = "978" + _digits(rng, 9)
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
    return f"{body[:3]}-{body[3]}-{body[4:7]}-{body[7:12]}-{check}"


def _semver(rng: random.Random) -> str:
    return f"{rng.randint(0, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def _iban(country: str):
    def make(ctx: Context) -> str:
        rng = ctx.rng
        if country == "DE":
            bban = _digits(rng, 8) + _digits(rng, 10)
        elif country == "FR":
            bank, branch, account = _digits(rng, 5), _digits(rng, 5), _digits(rng, 11)
            key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
            bban = f"{bank}{branch}{account}{key:02d}"
        elif country == "ES":
            bank, branch, account = _digits(rng, 4), _digits(rng, 4), _digits(rng, 10)
            weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)

            def control(digits: str) -> str:
                value = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
                return str({11: 0, 10: 1}.get(value, value))

            bban = f"{bank}{branch}{control('00' + bank + branch)}{control(account)}{account}"
        elif country == "IT":
            rest = _digits(rng, 5) + _digits(rng, 5) + _digits(rng, 12)
            bban = it_check_char(rest) + rest
        elif country == "NL":
            bban = rng.choice(["ABNA", "RABO", "INGB", "TRIO", "SNSB"]) + _digits(rng, 10)
        elif country == "BE":
            first = _digits(rng, 10)
            bban = f"{first}{int(first) % 97 or 97:02d}"
        else:
            raise ValueError(country)
        return iban_from_bban(country, bban)
    return make


def _grouped(make):
    return lambda ctx: iban_grouped(make(ctx))


def _iban_typo(ctx: Context) -> str:
    iban = _iban("DE")(ctx)
    position = ctx.rng.randrange(6, len(iban))
    wrong = str((int(iban[position]) + ctx.rng.randint(1, 8)) % 10)
    return iban_grouped(iban[:position] + wrong + iban[position + 1:])


def _card(prefixes: list[str], length: int, sep: str):
    def make(ctx: Context) -> str:
        prefix = ctx.rng.choice(prefixes)
        number = luhn_complete(prefix + _digits(ctx.rng, length - len(prefix) - 1))
        if length == 15:
            return sep.join([number[:4], number[4:10], number[10:]])
        return sep.join(number[i:i + 4] for i in range(0, 16, 4))
    return make


def _obfuscated_email(ctx: Context) -> str:
    local = _local_part(ctx.rng, ctx.person(0)).replace(".", " dot ").replace("_", " underscore ")
    domain = ctx.person(0).domain.replace(".", " dot ")
    return f"{local} at {domain}"


def _tax_id_spaced(ctx: Context) -> str:
    value = de_tax_id(ctx.rng)
    return f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}"


def _username(ctx: Context) -> str:
    p = ctx.person(0)
    first = re.sub(r"[^a-z]", "", _ascii(p.first).lower())
    last = re.sub(r"[^a-z]", "", _ascii(p.last).lower())
    return ctx.rng.choice([f"{first[0]}{last}{ctx.rng.randint(1, 99)}", f"{first}_{ctx.rng.randint(1970, 2005)}",
                           f"{last}.{first[:3]}", f"{first}-{last}"])


G: dict[str, tuple] = {
    # people
    "full": (lambda c: c.person(0).full, "PERSON"),
    "first": (lambda c: c.person(0).first, "PERSON"),
    "last": (lambda c: c.person(0).last, "PERSON"),
    "full2": (lambda c: c.person(1).full, "PERSON"),
    "first2": (lambda c: c.person(1).first, "PERSON"),
    "lower_full": (lambda c: c.person(0).full.lower(), "PERSON"),
    "lower_first": (lambda c: c.person(0).first.lower(), "PERSON"),
    "child_first": (lambda c: c.values.setdefault("child", c.rng.choice(CHILD_NAMES)), "PERSON"),
    "child_full": (lambda c: f"{c.values.setdefault('child', c.rng.choice(CHILD_NAMES))} {c.person(0).last}", "PERSON"),
    "email": (lambda c: _email(c, 0), "EMAIL_ADDRESS"),
    "email2": (lambda c: _email(c, 1), "EMAIL_ADDRESS"),
    "obf_email": (_obfuscated_email, "EMAIL_ADDRESS"),
    "username": (_username, "ACCOUNT_ID"),
    "public_ip": (lambda c: _public_ip(c.rng), "IP_ADDRESS"),
    # phones
    **{f"phone_{cc.lower()}": ((lambda cc: lambda c: phone(c.rng, cc))(cc), "PHONE_NUMBER")  # noqa: B023 — bound
       for cc in _PHONE_SHAPES},
    "phone": (lambda c: phone(c.rng, c.rng.choice(sorted(_PHONE_SHAPES))), "PHONE_NUMBER"),
    # government identifiers
    "de_taxid": (lambda c: de_tax_id(c.rng), "DE_TAX_ID"),
    "de_taxid_spaced": (_tax_id_spaced, "DE_TAX_ID"),
    "de_idcard": (lambda c: de_id_card(c.rng), "DE_ID_CARD"),
    "de_idcard_mrz": (lambda c: (lambda v: v + icao_check(v))(de_id_card(c.rng)), "DE_ID_CARD"),
    "de_passport": (lambda c: de_passport(c.rng), "DE_PASSPORT"),
    "de_rvnr": (lambda c: de_rvnr(c.rng), "DE_SOCIAL_SECURITY"),
    "de_kvnr": (lambda c: de_kvnr(c.rng), "DE_HEALTH_INSURANCE"),
    "fr_nir": (lambda c: fr_nir(c.rng), "FR_NIR"),
    "fr_nir_compact": (lambda c: fr_nir(c.rng).replace(" ", ""), "FR_NIR"),
    "fr_passport": (lambda c: fr_passport(c.rng), "FR_PASSPORT"),
    "es_dni": (lambda c: es_dni(c.rng), "ES_NIF"),
    "es_nie": (lambda c: es_nie(c.rng), "ES_NIE"),
    "es_passport": (lambda c: es_passport(c.rng), "ES_PASSPORT"),
    "it_cf": (lambda c: it_fiscal_code(c.rng, c.person(0) if c.person(0).country == "IT" else
                                       Person(c.rng.choice(NAMES["IT"][0]), c.rng.choice(NAMES["IT"][1]), "IT", "")),
              "IT_FISCAL_CODE"),
    "it_cie": (lambda c: it_identity_card(c.rng), "IT_IDENTITY_CARD"),
    "it_passport": (lambda c: it_passport(c.rng), "IT_PASSPORT"),
    "nl_bsn": (lambda c: nl_bsn(c.rng), "NL_BSN"),
    "be_nrn": (lambda c: be_national_number(c.rng), "BE_NATIONAL_NUMBER"),
    "pl_pesel": (lambda c: pl_pesel(c.rng), "PL_PESEL"),
    "nhs": (lambda c: uk_nhs(c.rng), "UK_NHS"),
    "nhs_compact": (lambda c: uk_nhs(c.rng).replace(" ", ""), "UK_NHS"),
    "nino": (lambda c: uk_nino(c.rng), "UK_NINO"),
    "nino_compact": (lambda c: uk_nino(c.rng).replace(" ", ""), "UK_NINO"),
    "uk_passport": (lambda c: _digits(c.rng, 9), "UK_PASSPORT"),
    "uk_dl": (lambda c: uk_driving_licence(c.rng, c.person(0)), "UK_DRIVING_LICENCE"),
    "us_passport": (lambda c: c.rng.choice("56789") + _digits(c.rng, 8), "US_PASSPORT"),
    "ssn": (lambda c: us_ssn(c.rng), "US_SSN"),
    # money
    "iban_de": (_grouped(_iban("DE")), "IBAN_CODE"),
    "iban_fr": (_grouped(_iban("FR")), "IBAN_CODE"),
    "iban_es_compact": (_iban("ES"), "IBAN_CODE"),
    "iban_it": (_grouped(_iban("IT")), "IBAN_CODE"),
    "iban_nl_lower": (lambda c: _iban("NL")(c).lower(), "IBAN_CODE"),
    "iban_be": (_grouped(_iban("BE")), "IBAN_CODE"),
    "iban_typo": (_iban_typo, "IBAN_CODE"),
    "uk_acct": (lambda c: _digits(c.rng, 8), "BANK_ACCOUNT"),
    "sort_code": (lambda c: f"{c.rng.randint(10, 99)}-{_digits(c.rng, 2)}-{_digits(c.rng, 2)}", "BANK_ACCOUNT"),
    "btc": (lambda c: btc_address(c.rng), "CRYPTO"),
    "visa": (_card(["4"], 16, " "), "CREDIT_CARD"),
    "visa_dashes": (_card(["4"], 16, "-"), "CREDIT_CARD"),
    "visa_compact": (_card(["4"], 16, ""), "CREDIT_CARD"),
    "mc": (_card(["51", "52", "53", "54", "55"], 16, " "), "CREDIT_CARD"),
    "amex": (_card(["34", "37"], 15, " "), "CREDIT_CARD"),
    "cvv": (lambda c: _digits(c.rng, 3), "CARD_SECURITY_CODE"),
    "pin": (lambda c: _digits(c.rng, 4), "CARD_SECURITY_CODE"),
    # account identifiers
    "cust_id": (lambda c: c.rng.choice([f"CUST-{_digits(c.rng, 4)}-{_digits(c.rng, 4)}", f"C{_digits(c.rng, 8)}",
                                        f"{_digits(c.rng, 3)}-{_digits(c.rng, 6)}"]), "ACCOUNT_ID"),
    "emp_id": (lambda c: c.rng.choice([f"E-{_digits(c.rng, 6)}", f"EMP{_digits(c.rng, 5)}"]), "ACCOUNT_ID"),
    "member_id": (lambda c: f"{_digits(c.rng, 4)} {_digits(c.rng, 4)} {_digits(c.rng, 2)}", "ACCOUNT_ID"),
    "ff_id": (lambda c: f"992 {_digits(c.rng, 3)} {_digits(c.rng, 3)} {_digits(c.rng, 3)} {_digits(c.rng, 3)}",
              "ACCOUNT_ID"),
    "policy_id": (lambda c: f"POL-{c.rng.choice(['DE', 'FR', 'NL'])}-{_digits(c.rng, 4)}-{_digits(c.rng, 4)}",
                  "ACCOUNT_ID"),
    "mrn": (lambda c: c.rng.choice([f"MRN {_digits(c.rng, 8)}", f"PID-{_digits(c.rng, 7)}"]), "MEDICAL_ID"),
    # secrets
    "aws_akid": (lambda c: "AKIA" + _chars(c.rng, UPPER32, 16), "AWS_ACCESS_KEY"),
    "aws_secret": (lambda c: _chars(c.rng, B64, 40), "AWS_SECRET_KEY"),
    "ghp": (lambda c: "ghp_" + _chars(c.rng, ALNUM, 36), "GITHUB_TOKEN"),
    "github_pat": (lambda c: "github_pat_" + _chars(c.rng, ALNUM, 22) + "_" + _chars(c.rng, ALNUM, 59), "GITHUB_TOKEN"),
    "glpat": (lambda c: "glpat-" + _chars(c.rng, URLSAFE, 20), "GITLAB_TOKEN"),
    "slack_bot": (lambda c: f"xoxb-{_digits(c.rng, 11)}-{_digits(c.rng, 13)}-{_chars(c.rng, ALNUM, 24)}",
                  "SLACK_TOKEN"),
    "slack_webhook": (lambda c: "https://hooks.slack.com/services/T" + _chars(c.rng, UPPER32, 8) + "/B"
                      + _chars(c.rng, UPPER32, 10) + "/" + _chars(c.rng, ALNUM, 24), "SLACK_TOKEN"),
    "stripe_live": (lambda c: "sk_live_" + _chars(c.rng, ALNUM, 24), "STRIPE_KEY"),
    "stripe_test": (lambda c: "sk_test_" + _chars(c.rng, ALNUM, 24), "STRIPE_KEY"),
    "openai_key": (lambda c: "sk-proj-" + _chars(c.rng, URLSAFE, 40) + "T3BlbkFJ" + _chars(c.rng, URLSAFE, 40),
                   "OPENAI_API_KEY"),
    "anthropic_key": (lambda c: "sk-ant-api03-" + _chars(c.rng, URLSAFE, 93) + "AA", "API_KEY"),
    "google_key": (lambda c: "AIza" + _chars(c.rng, URLSAFE, 35), "GOOGLE_API_KEY"),
    "hf_token": (lambda c: "hf_" + _chars(c.rng, string.ascii_letters, 34), "API_KEY"),
    "npm_token": (lambda c: "npm_" + _chars(c.rng, ALNUM, 36), "API_KEY"),
    "sendgrid": (lambda c: "SG." + _chars(c.rng, URLSAFE, 22) + "." + _chars(c.rng, URLSAFE, 43), "API_KEY"),
    "atlassian": (lambda c: "ATATT3xFfGF0" + _chars(c.rng, URLSAFE, 100) + "=" + _chars(c.rng, HEX.upper(), 8),
                  "API_KEY"),
    "django_key": (lambda c: "django-insecure-"
                   + _chars(c.rng, string.ascii_lowercase + string.digits + "!@#%^&*(-_=+)", 50),
                   "API_KEY"),
    "hex32": (lambda c: _chars(c.rng, HEX, 32), "API_KEY"),
    "hex32b": (lambda c: _chars(c.rng, HEX, 32), "API_KEY"),
    "heroku_key": (lambda c: uuid4(c.rng), "API_KEY"),
    "azure_key": (lambda c: base64.b64encode(c.rng.randbytes(64)).decode(), "AZURE_KEY"),
    "jwt": (lambda c: jwt(c.rng), "JWT"),
    "pem_key": (lambda c: pem_key(c.rng), "PRIVATE_KEY"),
    "openssh_key": (lambda c: openssh_key(c.rng), "PRIVATE_KEY"),
    "password": (lambda c: password(c.rng), "PASSWORD"),
    "password2": (lambda c: password(c.rng), "PASSWORD"),
    "password_letters": (lambda c: c.rng.choice(_WORDS) + c.rng.choice(_WORDS), "PASSWORD"),
    "b64_password": (lambda c: base64.b64encode(password(c.rng).encode()).decode(), "PASSWORD"),
    # values that are not regulated
    "sha40": (lambda c: _chars(c.rng, HEX, 40), None),
    "sha7": (lambda c: _chars(c.rng, HEX, 7), None),
    "sha64": (lambda c: _chars(c.rng, HEX, 64), None),
    "md5": (lambda c: _chars(c.rng, HEX, 32), None),
    "md5b": (lambda c: _chars(c.rng, HEX, 32), None),
    "uuid": (lambda c: uuid4(c.rng), None),
    "semver": (lambda c: _semver(c.rng), None),
    "semver2": (lambda c: _semver(c.rng), None),
    "hostname": (lambda c: c.rng.choice(["db-prod-01.internal", "api.eu-west-1.acme-cloud.net", "ci-runner-07",
                                         "build.acme.io", "k8s-node-3.fra.example.net", "vault.corp.local"]), None),
    "private_ip": (lambda c: _private_ip(c.rng), None),
    "private_ip2": (lambda c: _private_ip(c.rng), None),
    "isbn": (lambda c: _isbn13(c.rng), None),
    "port": (lambda c: str(c.rng.choice([5432, 6379, 8080, 8443, 9092, 27017, 3000])), None),
    "build_num": (lambda c: f"{c.rng.randint(2022, 2025)}{c.rng.randint(1, 12):02d}{c.rng.randint(1, 28):02d}."
                  f"{c.rng.randint(1, 999)}", None),
    "unix_ts": (lambda c: str(c.rng.randint(1_600_000_000, 1_750_000_000)), None),
    "kb": (lambda c: "KB50" + _digits(c.rng, 5), None),
    "hex8": (lambda c: _chars(c.rng, "0123456789ABCDEF", 8), None),
    "sku": (lambda c: f"{c.rng.choice(['TX', 'HM', 'GR'])}-{_digits(c.rng, 4)}-{c.rng.choice(['BLK', 'WHT', 'RED'])}",
            None),
    "amount": (lambda c: f"{c.rng.randint(100, 9999)},{_digits(c.rng, 2)}", None),
    "ms": (lambda c: str(c.rng.randint(12, 900)), None),
    "n": (lambda c: str(c.rng.randint(2, 12)), None),
    "order_qty": (lambda c: str(c.rng.randint(2, 500)), None),
}


# --------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class T:
    group: str
    text: str
    n: int = 1
    tags: tuple[str, ...] = ()


def many(group: str, texts: list[str], n: int = 1, tags: tuple[str, ...] = ()) -> list[T]:
    return [T(group, text, n, tags) for text in texts]


TEMPLATES: list[T] = [
    # ---------------------------------------------------------------- chat-style, with PII
    *many("chat_pii", [
        "hey can u help me write a msg to my landlord ⟦full⟧? the boiler's been broken for 2 weeks and he's not "
        "answering at ⟦phone⟧",
        "Draft a polite reminder to ⟦full⟧ (⟦email⟧) that the invoice is 30 days overdue.",
        "ok so my neighbour ⟦first⟧ keeps parking in front of my garage, how do I word a note without starting a war",
        "Can you turn this into a formal complaint: 'I called ⟦phone⟧ three times and ⟦full⟧ from your support team "
        "hung up on me'",
        "pls summarise this thread for me:\n> From: ⟦full⟧ <⟦email⟧>\n> Subject: Q3 offsite\n> Hi all, the offsite "
        "moves to Lisbon, flights booked by Friday.",
        "Write a LinkedIn recommendation for ⟦full⟧, who was my team lead at a logistics company for 3 years.",
        "My email is ⟦email⟧ and my number ⟦phone⟧ — write a short speaker bio that says how to reach me.",
        "translate to German: 'Dear ⟦full⟧, thank you for your application, we will call you on ⟦phone⟧ next week.'",
        "Here's the customer record, find anything odd: name=⟦full⟧; email=⟦email⟧; phone=⟦phone⟧; plan=premium; "
        "churn_risk=0.82",
        "User: hi, I need to change the email on my account\nAssistant: Sure, what's the new address?\nUser: ⟦email⟧, "
        "the old one was ⟦email2⟧",
        "can you check the tone of this: 'Hi ⟦first⟧, just following up on our call — let me know if Tuesday works.'",
        "my ip is ⟦public_ip⟧ and I keep getting blocked by Cloudflare, why?",
        "Write a reference letter for our au pair ⟦full⟧; she can be reached at ⟦phone⟧.",
        "Help me reply to this review from ⟦full⟧: 'Waited 40 minutes for a cold pizza.'",
        "Create a vCard for ⟦full⟧, mobile ⟦phone⟧, email ⟦email⟧.",
        "I'm ⟦full⟧ and I was charged twice for my last order, can you write the refund request for me?",
        "Fix this SQL: INSERT INTO users (name, email) VALUES ('⟦full⟧', '⟦email⟧' -- missing paren?",
        "why is this log line not parsed by my grok pattern?\n2024-05-01T10:22:11Z INFO login ok user=⟦email⟧ "
        "ip=⟦public_ip⟧",
        "write a short toast for my best friend ⟦first⟧'s wedding to ⟦first2⟧ next saturday",
        "Can you put these attendees into a table: ⟦full⟧ (⟦email⟧), ⟦full2⟧ (⟦email2⟧)",
    ], n=2, tags=("chat",)),
    # ---------------------------------------------------------------- chat-style, clean
    *many("chat_clean", [
        "hey can you explain recursion like I'm five",
        "write a haiku about autumn in Kyoto",
        "thx! now make it shorter and funnier",
        "What's a good name for a golden retriever puppy?",
        "Give me 5 ideas for a team-building event for 20 people",
        "Summarise the plot of Pride and Prejudice in three sentences.",
        "Convert 72 degrees Fahrenheit to Celsius",
        "what's the difference between affect and effect",
        "Plan a 3-day itinerary for Lisbon on a budget",
        "Rewrite this sentence to be more formal: 'we gotta ship this by friday or we're toast'",
        "Is it 'data are' or 'data is'?",
        "Explain how compound interest works with an example of 1000 euros at 5% over 10 years",
        "Make a shopping list for a vegetarian lasagne for 6 people",
        "What time zone is Berlin in, and is it on summer time in October?",
        "tell me a joke about kubernetes",
        "can you proofread: 'Their going to the meeting at 3pm tomorow and it's agenda is long'",
        "How many calories are in a banana?",
        "Give me a 4-week beginner running plan, 3 runs a week",
        "what does 'per my last email' actually mean lol",
        "Write a product description for a bamboo cutting board, 50 words",
        "ok and what about the second option? is it cheaper?",
        "Draft an out-of-office message for the 24th to the 31st of December",
        "Suggest a title for a talk about observability in microservices",
        "Explain the offside rule in football in two sentences",
        "What's the capital of Australia and why isn't it Sydney?",
    ], tags=("chat",)),
    *many("chat_clean", [
        "What did Marie Curie discover?",
        "Summarise Angela Merkel's refugee policy in 2015.",
        "Write a short poem in the style of Pablo Neruda about the sea.",
        "Who was Alan Turing and why does he matter for computing?",
        "Compare the economic policies of Margaret Thatcher and Ronald Reagan.",
        "What is Taylor Swift's most streamed song?",
    ], tags=("chat", "public_figure")),
    # ---------------------------------------------------------------- secrets in code, config and prose
    *many("secrets", [
        "why does this fail?\n```\nimport boto3\ns3 = boto3.client('s3', aws_access_key_id='⟦aws_akid⟧', "
        "aws_secret_access_key='⟦aws_secret⟧')\n```",
        ".env file:\nDATABASE_URL=postgres://app:⟦password⟧@db.internal:5432/app\nSTRIPE_SECRET_KEY=⟦stripe_live⟧\n"
        "DEBUG=false\nfix the parsing error please",
        "my github token ⟦ghp⟧ stopped working after we enabled SSO, what do I do?",
        "curl -H 'Authorization: Bearer ⟦jwt⟧' https://api.shop-eu.com/v2/orders returns 401, is the token expired?",
        "here's my key, can you check the format: ⟦openai_key⟧",
        "git clone https://oauth2:⟦glpat⟧@gitlab.com/acme/infra.git fails with 403",
        "Slack webhook ⟦slack_webhook⟧ returns invalid_payload, here's my JSON: {\"text\": \"deploy done\"}",
        "xoxb token: ⟦slack_bot⟧ — why does chat.postMessage say not_in_channel?",
        "I accidentally committed this private key, how do I purge it from git history?\n⟦pem_key⟧",
        "ssh says 'invalid format' for this key, what's wrong?\n⟦openssh_key⟧",
        "Geocoding: https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=⟦google_key⟧ — quota "
        "exceeded, why?",
        "docker login -u deploy -p ⟦password⟧ registry.acme.io prints a warning, how do I use --password-stdin?",
        "The wifi password for the office is ⟦password⟧, write a sign for the kitchen.",
        "my password is ⟦password⟧ but the site says it's too weak?? it has a number and a symbol",
        "log in as admin / ⟦password⟧ on the staging box and restart nginx — write the steps for the runbook",
        "config.yaml:\nredis:\n  host: cache-01\n  password: ⟦password⟧\nsmtp:\n  user: alerts\n  api_key: ⟦sendgrid⟧\n"
        "why does the yaml loader complain?",
        "HF_TOKEN=⟦hf_token⟧ python train.py gives 401 on the gated model",
        "anthropic key ⟦anthropic_key⟧ works locally but not in CI, why?",
        "const stripe = require('stripe')('⟦stripe_test⟧');  // is this safe in frontend code?",
        "Azure: DefaultEndpointsProtocol=https;AccountName=acmedata;AccountKey=⟦azure_key⟧;EndpointSuffix=core."
        "windows.net — the SDK says auth failed",
        "DD_API_KEY=⟦hex32⟧ in my helm values, the agent logs 403",
        "the datadog key is ⟦hex32⟧, can you write the agent config for me?",
        "mongodb+srv://admin:⟦password⟧@cluster0.x1y2z.mongodb.net/prod?retryWrites=true connection times out",
        "npm publish fails, my .npmrc has //registry.npmjs.org/:_authToken=⟦npm_token⟧",
        "twilio auth token ⟦hex32⟧ — how do I send an SMS from Python?",
        "curl -u ci-bot:⟦password⟧ https://jenkins.acme.io/job/build/api/json gives 401",
        "HEROKU_API_KEY=⟦heroku_key⟧ isn't picked up in GitHub Actions",
        "pw for the shared drive is ⟦password_letters⟧ — all lowercase, no numbers. is that ok?",
        "Rotate this one please, it leaked in a screenshot: ⟦github_pat⟧",
        "I base64-encoded the secret for k8s, is that enough?\ndata:\n  password: ⟦b64_password⟧",
        "export AWS_SECRET_ACCESS_KEY=⟦aws_secret⟧\nexport AWS_DEFAULT_REGION=eu-central-1\nwhy does the cli still use "
        "my old profile?",
        "JDBC: jdbc:sqlserver://db01;databaseName=hr;user=sa;password=⟦password⟧; — login failed for user sa",
        "The API token for our Jira is ⟦atlassian⟧ — write a python script to list open issues",
        "my login for the vpn: user ⟦username⟧ pass ⟦password⟧ — the client says auth failed, why?",
        "use this key for the test: ⟦aws_akid⟧ and secret ⟦aws_secret⟧ (it's the sandbox account)",
        "settings.py has SECRET_KEY = '⟦django_key⟧' — is it bad that it's in git?",
    ], n=2, tags=("secret",)),
    # ---------------------------------------------------------------- no secret, but looks like one
    *many("secrets_clean", [
        "export OPENAI_API_KEY=<your-api-key>  # how do I make this persist in zsh?",
        "In the README it says `password: changeme` — should I change it before deploying?",
        "db_password = os.environ['DB_PASSWORD']  — is reading secrets from env vars safe enough?",
        "What's the difference between an API key and an OAuth token?",
        "How do I rotate AWS access keys without downtime?",
        "Generate a regex that matches GitHub personal access tokens",
        "password: ${DB_PASSWORD} in docker-compose isn't being substituted, why?",
        "Explain how JWT signatures work and why HS256 is symmetric",
        "My password manager says my passwords are weak, how long should a password be?",
        "kubectl create secret generic db-creds --from-literal=password=\"$(cat /run/secrets/db)\" — ok in a script?",
        "Set `token: \"{{ vault_token }}\"` in the Ansible template — why is it rendered empty?",
        "The AWS docs show AKIAIOSFODNN7EXAMPLE as an access key id — what does a real one look like?",
        "Error: invalid_grant: Token has been expired or revoked. How do I refresh a Google OAuth token?",
        "Why does `ssh-keygen -t ed25519 -C \"work laptop\"` ask for a passphrase?",
        "what is a good password policy for a small company?",
        "my password is incorrect apparently, how do I reset it on Windows 11?",
        "The token expires every 3600 seconds; how do I refresh it in the background with axios?",
        "api_key = settings.STRIPE_API_KEY raises AttributeError, where should I define it?",
    ], tags=("secret",)),
    # ---------------------------------------------------------------- EU national identifiers
    *many("eu_ids", [
        "My Steuer-ID is ⟦de_taxid⟧, can you fill in the Anlage N form fields for me?",
        "Please check the format of my German tax ID: ⟦de_taxid⟧",
        "Personalausweis number ⟦de_idcard⟧, expires 2031 — write the cover letter for the visa application",
        "my German ID card no. is ⟦de_idcard⟧ and the bank wants it again, why?",
        "The MRZ on my ID card starts with IDD<<⟦de_idcard_mrz⟧ — what does the rest encode?",
        "Rentenversicherungsnummer ⟦de_rvnr⟧ — how do I request my pension statement?",
        "my social security number (German) is ⟦de_rvnr⟧, write to the Deutsche Rentenversicherung to correct my name",
        "Krankenversichertennummer ⟦de_kvnr⟧, TK rejected my claim, write an appeal",
        "my health insurance number is ⟦de_kvnr⟧, put it in the form letter to the Krankenkasse",
        "Reisepass ⟦de_passport⟧ — is it still valid for travel to the US next year?",
        "my passport number is ⟦de_passport⟧ (German), fill in the ESTA fields for me",
        "mon numéro de sécurité sociale est ⟦fr_nir⟧ — help me fill in the CPAM form in English",
        "Write an email to HR with my French social security number ⟦fr_nir_compact⟧ for payroll",
        "French passport ⟦fr_passport⟧, issued in Lyon — draft the embassy appointment request",
        "My DNI is ⟦es_dni⟧, write the letter to the ayuntamiento about the parking fine",
        "NIE ⟦es_nie⟧ — how long does the TIE card take in Valencia?",
        "Pasaporte ⟦es_passport⟧, please fill in this hotel booking form",
        "NIF: ⟦es_dni⟧ — add it to the invoice for ⟦full⟧",
        "Il mio codice fiscale è ⟦it_cf⟧, can you tell me my date of birth from it?",
        "codice fiscale ⟦it_cf⟧ for the rental contract of ⟦full⟧",
        "carta d'identità ⟦it_cie⟧ — write the reservation email to the agriturismo",
        "Italian passport no. ⟦it_passport⟧, expiring in May — how do I renew it from Berlin?",
        "My BSN is ⟦nl_bsn⟧ — write the letter to the Belastingdienst about my assessment",
        "burgerservicenummer ⟦nl_bsn⟧ for the huurtoeslag application of ⟦full⟧",
        "Belgian national number ⟦be_nrn⟧ — what do I put in the 'rijksregisternummer' field?",
        "PESEL ⟦pl_pesel⟧ — write a short letter to ZUS in English for my mother",
        "my polish id number (pesel) is ⟦pl_pesel⟧, is it needed for the job contract?",
    ], n=2, tags=("eu_id",)),
    # ---------------------------------------------------------------- IBANs and bank accounts
    *many("iban_bank", [
        "Please pay the deposit to ⟦iban_de⟧ (account holder ⟦full⟧)",
        "my IBAN is ⟦iban_fr⟧, write a direct debit mandate for the gym",
        "IBAN: ⟦iban_es_compact⟧ BIC: CAIXESBBXXX — is this a Spanish account?",
        "transfer 450 EUR to ⟦iban_it⟧ before Friday, reference 'rent March'",
        "iban ⟦iban_nl_lower⟧ for the refund pls",
        "Belgian account ⟦iban_be⟧ — write the payment reminder",
        "Account no. ⟦uk_acct⟧, sort code ⟦sort_code:-⟧ — set up a standing order for the nursery fees",
        "send the crypto to my wallet ⟦btc⟧ — is that a legacy address?",
    ], n=2, tags=("financial",)),
    *many("iban_bank", [
        "my card ending 4821 was charged twice, write a complaint to the bank",
        "What is the structure of a German IBAN?",
        "How long does a SEPA instant transfer take?",
    ], tags=("financial",)),
    # ---------------------------------------------------------------- payment cards
    *many("cards", [
        "my card ⟦visa⟧ exp 09/27 CVV ⟦cvv⟧ got declined online, why?",
        "Refund to Mastercard ⟦mc⟧ please, the order was cancelled",
        "amex ⟦amex⟧ — will it work in German supermarkets?",
        "card number: ⟦visa_dashes⟧ name on card ⟦full⟧",
        "test payment with ⟦visa_compact⟧ failed in the checkout, here's the stack trace: CardError: declined",
    ], n=2, tags=("pci",)),
    # ---------------------------------------------------------------- UK and US identifiers
    *many("uk_us_ids", [
        "NHS number ⟦nhs⟧ — write to my GP asking for a copy of my records",
        "my nhs no is ⟦nhs_compact⟧ and the pharmacy can't find me",
        "National Insurance number ⟦nino⟧ — how do I check my contributions?",
        "NI no: ⟦nino_compact⟧ for the new starter form for ⟦full⟧",
        "UK passport number ⟦uk_passport⟧, expiring next year — what are the renewal steps?",
        "driving licence ⟦uk_dl⟧ — the DVLA says my address is wrong, write the letter",
        "US passport ⟦us_passport⟧ — the ESTA-like form asks for it, where do I put it?",
        "my SSN is ⟦ssn⟧, write the W-9 cover letter",
        "social security number ⟦ssn⟧ is on the form, is it safe to email it to the landlord?",
    ], n=2, tags=("gov_id",)),
    # ---------------------------------------------------------------- phone numbers, international formats
    *many("phones", [
        "call me on ⟦phone_de⟧ after 6pm about the flat",
        "WhatsApp: ⟦phone_fr⟧ — write a message asking the plumber to confirm Monday",
        "mobile ⟦phone_es⟧, add it to the contact card",
        "tel. ⟦phone_it⟧ (office) — translate the voicemail greeting into English",
        "reach the supplier at ⟦phone_nl⟧ and ask about the delivery",
        "⟦phone_gb⟧ is my number, text me when the parcel arrives — write the note for the courier",
        "phone: ⟦phone_ie⟧, best after lunch",
        "his number is ⟦phone_us⟧, remind me to call him in the reminder text",
        "kontakt: ⟦phone_pl⟧ — rewrite this ad for the flat in English",
    ], n=2, tags=("phone",)),
    # ---------------------------------------------------------------- health described in words
    *many("health", [
        "I was diagnosed with ⟦type 2 diabetes|HEALTH⟧ in March and I'm struggling with the diet — can you make me a "
        "meal plan?",
        "my therapist says my ⟦panic attacks|HEALTH⟧ are getting worse since I stopped taking ⟦sertraline|HEALTH⟧. "
        "how do I tell my boss I need time off?",
        "Write a note to my manager: I had a ⟦miscarriage|HEALTH⟧ last week and need a few more days.",
        "My husband ⟦first⟧ has ⟦early-onset Alzheimer's|HEALTH⟧; help me plan his care at home.",
        "I'm ⟦HIV positive|HEALTH⟧ and starting a new job next month. Do I have to tell them?",
        "Help me tell my team I'm going into ⟦rehab for alcohol dependence|HEALTH⟧ for six weeks.",
        "I've had ⟦chemo for stage 2 breast cancer|HEALTH⟧ and my hair is falling out, what wig styles suit a round "
        "face?",
        "I'm ⟦bipolar|HEALTH⟧ and in a ⟦manic episode|HEALTH⟧ right now, help me make a budget so I don't overspend",
        "My blood test came back with an ⟦HbA1c of 8.1%|HEALTH⟧, what does that mean for me?",
        "I'm ⟦12 weeks pregnant|HEALTH⟧, can I still fly to Tenerife?",
        "since my ⟦knee replacement|HEALTH⟧ in january I can't do stairs, write an email to my landlord asking to move "
        "to the ground floor",
        "I take ⟦50mg of lamotrigine|HEALTH⟧ twice a day for ⟦epilepsy|HEALTH⟧ — can I drink at my sister's wedding?",
        "dr said I have ⟦sleep apnoea|HEALTH⟧ and need a CPAP machine, is it covered by my insurance?",
        "Patient ⟦full⟧, 54, presents with ⟦chest pain radiating to the left arm|HEALTH⟧; draft the referral letter.",
        "I've been ⟦self-harming|HEALTH⟧ again and don't know who to talk to",
        "I have ⟦ADHD|HEALTH⟧ and keep missing deadlines, help me write a reasonable-adjustments request to HR.",
        "After my ⟦stroke|HEALTH⟧ last year I have ⟦aphasia|HEALTH⟧ — can you simplify this letter from the council?",
        "I'm on ⟦methadone|HEALTH⟧ and need to travel abroad; write to the clinic asking for a letter.",
        "Summarise my discharge letter: 'Diagnosis: ⟦acute pancreatitis|HEALTH⟧. Follow-up in 6 weeks.'",
        "My colleague ⟦full⟧ told me in confidence she has ⟦multiple sclerosis|HEALTH⟧. How do I support her?",
        "I'm ⟦deaf in my left ear|HEALTH⟧, suggest how to ask for a seat at the front in meetings",
        "my ⟦anorexia|HEALTH⟧ is back and I'm scared to eat at the team dinner",
        "I tested ⟦positive for chlamydia|HEALTH⟧, how do I tell my ex?",
        "got my ⟦covid booster|HEALTH⟧ yesterday and my arm is swollen, is that normal?",
        "I'm ⟦allergic to penicillin|HEALTH⟧, write it on my travel medical card in Spanish",
        "write a sick note email: I have ⟦tonsillitis|HEALTH⟧ and the doctor signed me off until Friday",
        "My dad ⟦first⟧ just had a ⟦heart attack|HEALTH⟧ and is in the ICU in Lyon, help me write to his employer",
        "I'm ⟦going through IVF|HEALTH⟧ and need flexible hours, draft the request",
        "I've been ⟦depressed|HEALTH⟧ for months and my GP wants me on ⟦fluoxetine|HEALTH⟧, what side effects should "
        "I expect?",
    ], tags=("health",)),
    *many("health_clean", [
        "What are the early symptoms of type 2 diabetes?",
        "Explain how sertraline works in simple terms.",
        "Summarise the NICE guideline on hypertension in adults.",
        "What is the five-year survival rate for stage 2 breast cancer?",
        "How does a CPAP machine work?",
        "Write a blog post about mental health awareness week for our company intranet.",
        "What's the difference between a virus and a bacterium?",
        "List the first-line medicines for focal epilepsy.",
        "How is HIV transmitted, and how effective is PrEP?",
        "Create a quiz for nursing students on cardiac anatomy.",
        "How many people in the EU have multiple sclerosis?",
        "What does HbA1c measure?",
        "Design a database schema for a clinic's appointment system (patients, doctors, visits).",
        "Explain ADHD to a 10-year-old.",
        "what's a normal resting heart rate for adults",
        "Write a FHIR Patient resource example with obviously fake placeholder values.",
    ], tags=("health",)),
    # ---------------------------------------------------------------- GDPR Art. 9 special categories in words
    *many("special", [
        "I'm ⟦Muslim|SPECIAL⟧ and fasting for Ramadan — adjust my marathon training plan.",
        "As a ⟦practising Catholic|SPECIAL⟧ I don't want to work Sundays; help me write this to my manager.",
        "I'm ⟦gay|SPECIAL⟧ and haven't come out to my parents yet, how should I tell them?",
        "I ⟦joined the GMB union|SPECIAL⟧ last month and now my manager is treating me differently. Is that legal?",
        "I'm a ⟦member of the Green Party|SPECIAL⟧ and my employer found out, write a complaint.",
        "I ⟦voted for the AfD|SPECIAL⟧ and my friends stopped talking to me, how do I handle it?",
        "My ⟦BRCA1 test came back positive|SPECIAL⟧ — what should I ask the genetic counsellor?",
        "I'm ⟦Jewish|SPECIAL⟧ and my landlord made a comment about it. Do I have grounds for a complaint?",
        "As a ⟦Roma|SPECIAL⟧ woman I was refused entry to the restaurant — draft a complaint to the equality body.",
        "I'm ⟦transgender|SPECIAL⟧ and need to update my name with my bank, what documents do I need?",
        "my wife and I are ⟦in an open relationship|SPECIAL⟧, how do we explain it to our teenage kids?",
        "I ⟦converted to Buddhism|SPECIAL⟧ last year and want to change my diet, suggest recipes",
        "⟦full⟧ is ⟦a Jehovah's Witness|SPECIAL⟧ and refuses the blood transfusion — how do we document that?",
        "I was ⟦convicted of drink-driving in 2019|CRIMINAL⟧; do I have to declare it on this job application?",
        "I'm ⟦bisexual|SPECIAL⟧ and my colleague keeps making jokes, how do I report it?",
        "I'm ⟦an atheist|SPECIAL⟧ and my in-laws insist on a church wedding, help me write to them",
        "As ⟦a shop steward for Unite|SPECIAL⟧ I represent 40 people; write the letter about the pay dispute.",
        "I'm ⟦Black|SPECIAL⟧ and was stopped by the police three times this month, what are my rights?",
        "I ⟦served 18 months in prison|CRIMINAL⟧ and want to explain the gap in my CV",
        "my partner ⟦first⟧ and I are ⟦a same-sex couple|SPECIAL⟧ adopting a child, which agencies are friendly?",
    ], tags=("special",)),
    *many("special_clean", [
        "What are the five pillars of Islam?",
        "Summarise the history of trade unions in the UK.",
        "Explain the Green Party's main policies in Germany.",
        "What is the BRCA1 gene?",
        "What does the Equality Act 2010 say about religion or belief?",
        "Write a Pride Month post for our company's social media.",
        "Explain GDPR Article 9 in plain language.",
        "How does the AfD's polling compare with the CDU's?",
        "What is Rosh Hashanah?",
        "What rights do shop stewards have in the UK?",
        "Explain the difference between gender identity and sexual orientation for an HR training.",
        "Do I have to declare a spent conviction in the UK? Explain the rules in general.",
    ], tags=("special",)),
    # ---------------------------------------------------------------- children
    *many("children", [
        "My daughter ⟦child_first⟧ is 7 and has ⟦asthma|HEALTH⟧ — write a note for her school trip.",
        "Write a birthday invitation for ⟦child_full⟧'s 6th birthday party on Saturday.",
        "my son ⟦child_first⟧ (9) is being bullied at school, help me email his teacher Mrs ⟦last⟧.",
        "⟦child_full⟧, born 14/03/2017, was diagnosed with ⟦autism|HEALTH⟧ — help me fill in the support plan form.",
        "Create a reading plan for my 8-year-old ⟦child_first⟧ who is ⟦dyslexic|HEALTH⟧.",
        "Our kid ⟦child_first⟧ ⟦still wets the bed|HEALTH⟧ at 10, is that normal?",
        "pls write a permission slip for ⟦child_full⟧ (class 3B) to attend the swimming lesson",
    ], n=2, tags=("child",)),
    *many("children", [
        "Suggest educational games for 7-year-olds.",
        "How much screen time is recommended for a toddler?",
    ], tags=("child",)),
    # ---------------------------------------------------------------- financial hardship
    *many("financial_hardship", [
        "I'm ⟦three months behind on my rent|FINANCIAL_SITUATION⟧ and my landlord is threatening eviction. Help me "
        "write to him.",
        "I have ⟦€18,000 of credit card debt|FINANCIAL_SITUATION⟧ on a salary of ⟦€2,100 a month|FINANCIAL_SITUATION⟧"
        " — make me a repayment plan.",
        "I ⟦declared bankruptcy in 2021|FINANCIAL_SITUATION⟧, can I get a mortgage now?",
        "Write to my bank explaining that I ⟦lost my job and can't make this month's mortgage payment|"
        "FINANCIAL_SITUATION⟧.",
        "my ⟦credit score is 480|FINANCIAL_SITUATION⟧ and I got rejected for a phone contract, why?",
        "I ⟦owe HMRC £6,400|FINANCIAL_SITUATION⟧ and they want it in 30 days, write asking for a payment plan",
        "I've been ⟦using food banks since January|FINANCIAL_SITUATION⟧, help me apply for the hardship fund.",
        "⟦full⟧ ⟦defaulted on two loans|FINANCIAL_SITUATION⟧ last year; draft the reminder letter",
        "my ⟦Schufa score dropped to 82%|FINANCIAL_SITUATION⟧ after the ⟦Inkasso|FINANCIAL_SITUATION⟧ letter, "
        "what now?",
    ], tags=("financial",)),
    *many("financial_hardship", [
        "How do credit scores work in Germany (SCHUFA)?",
        "Explain the debt snowball method.",
        "What is a payday loan and why are they expensive?",
    ], tags=("financial",)),
    # ---------------------------------------------------------------- names: greetings, signatures, lower case
    *many("names", [
        "Rewrite more formally:\n'hey ⟦first⟧, can u send me the slides? cheers, ⟦full2⟧'",
        "Translate this signature to French:\nKind regards,\n⟦full⟧\nHead of Procurement",
        "tell ⟦lower_full⟧ that the meeting moved to 3pm — write it as a slack message",
        "ask ⟦lower_first⟧ if the report is ready, make it sound friendly",
        "Finish this letter: 'Dear Ms ⟦last⟧, regarding your application for the position of'",
        "Sehr geehrter Herr ⟦last⟧, — write the rest in German, it's an objection to a rent increase",
        "Write a short congratulations message for ⟦full⟧ who just got promoted to partner.",
        "Mr. ⟦last⟧'s flight was cancelled; write the EU261 compensation claim.",
        "Merci ⟦first⟧ ! — translate the rest of the thread into English",
        "⟦full⟧ has been late 4 times this month. Draft a warning letter.",
        "Best,\n⟦first⟧\n\n— can you turn my sign-off into something less stiff?",
        "thanks so much ⟦first⟧ and ⟦first2⟧ for organising the party!! make this into a card",
    ], n=2, tags=("name",)),
    *many("names", [
        "ask ⟦Will|PERSON⟧ to review the PR before lunch",
        "⟦Mark|PERSON⟧ said the release is delayed, write the customer update",
        "cc ⟦Hope|PERSON⟧ on the invoice thread and ask her to approve",
    ], tags=("name", "name_is_word")),
    *many("names_clean", [
        "Will this code compile if I remove the semicolon?",
        "Mark the task as done and move to the next one",
        "Hope you can help: how do I centre a div?",
        "How do I configure Jenkins pipelines with Groovy?",
        "Ask Alexa to turn off the lights every night at 11 — how do I set a routine?",
        "Django vs Flask for a small REST API?",
        "Can Grafana alert on Prometheus metrics?",
        "Is a Tesla Model 3 cheaper to run than a Polestar 2?",
        "What is Kafka's exactly-once semantics?",
        "Configure Ansible to connect through a bastion host",
        "Compare Claude, Gemini and Mistral for summarisation",
        "Explain how Dijkstra's algorithm works",
    ], tags=("name",)),
    # ---------------------------------------------------------------- credentials and account identifiers in prose
    *many("account_ids", [
        "My username is ⟦username⟧ and I can't reset my password, write to support.",
        "customer number ⟦cust_id⟧ — where is my order? write a polite chaser",
        "employee ID ⟦emp_id⟧, please update my bank details for payroll — write the request",
        "Member no. ⟦member_id⟧ at the gym, write a cancellation letter",
        "my frequent flyer number is ⟦ff_id⟧, add it to the booking email",
        "Login: ⟦email⟧ / ⟦password⟧ — why does the portal say invalid credentials?",
        "user ⟦username⟧ pass ⟦password⟧ for the test env, add them to the onboarding doc",
        "my PIN is ⟦pin⟧ and the ATM swallowed my card, write to the bank",
        "policy number ⟦policy_id⟧ — write a claim for the water damage in the kitchen",
        "Patient ID ⟦mrn⟧ — please move the appointment to Thursday",
    ], n=2, tags=("account",)),
    # ---------------------------------------------------------------- misspellings and obfuscation
    *many("misspellings", [
        "my socail securty number is ⟦ssn⟧, is it safe to give it to the landlord?",
        "crdit card numbr ⟦visa⟧ keeps getting declined",
        "my pasword is ⟦password⟧ but it dosnt work",
        "emial me at ⟦email⟧ pls",
        "my nmae is ⟦lower_full⟧ and i need a refund for the trian ticket",
        "Ibna: ⟦iban_de⟧ send the mony there",
        "nhs numbr ⟦nhs⟧ — the surgery lost it",
        "my fone is ⟦phone_gb⟧ call me",
        "write to ⟦obf_email⟧ about the contract",
        "my tax id is ⟦de_taxid_spaced⟧ for the Finanzamt letter",
        "IBAN ⟦iban_typo⟧ (I might have typed one digit wrong) — write the transfer request",
        "sry my passwrd: ⟦password⟧ — can u log in for me and check",
    ], n=2, tags=("misspelling",)),
    *many("misspellings", [
        "i was diagnozed with ⟦diabeties type 2|HEALTH⟧ whats a good diet",
        "I'm ⟦dibetic|HEALTH⟧ and ⟦prgnant|HEALTH⟧, what can I eat for breakfast?",
        "my ⟦depresion|HEALTH⟧ is really bad this week, help me write to my boss",
        "i ⟦voted grren party|SPECIAL⟧ and my boss is angry lol, is that allowed",
    ], tags=("misspelling",)),
    # ---------------------------------------------------------------- clean: code and general technical questions
    *many("clean_code", [
        "How do I reverse a list in Python?",
        "Why does `SELECT * FROM users WHERE email = ?` return nothing with SQLite?",
        "Write a Rust function that parses a semantic version like 1.14.2-rc.1",
        "Explain the difference between `git rebase` and `git merge`.",
        "What does this regex do: ^[A-Z]{2}\\d{2}[A-Z0-9]{1,30}$",
        "Refactor this:\n```python\ndef f(x):\n    return [i*2 for i in x if i % 2 == 0]\n```",
        "My Dockerfile uses python:3.12-slim and pip install takes 4 minutes, how do I cache layers?",
        "How do I generate a UUID v7 in Go?",
        "Why is `0.1 + 0.2 != 0.3` in JavaScript?",
        "Write a bash one-liner to find the 10 largest files under /var/log",
        "What does HTTP 429 mean and how do I back off?",
        "Convert this JSON to YAML: {\"name\": \"service-a\", \"replicas\": 3, \"port\": 8080}",
        "Explain what a Luhn checksum is and write one in JavaScript.",
        "In Terraform, how do I reference the output of another module?",
        "How do I configure nginx to proxy /api to localhost:8000?",
        "What's the time complexity of heapq.heappush?",
        "Write unit tests for a function that validates email addresses, using only example.com addresses.",
        "Why does `pip install numpy==1.26.4` fail on Python 3.13?",
        "write a SQL query for the top 5 customers by revenue in 2023",
        "kubectl get pods -n payments shows CrashLoopBackOff for api-7d9f8c6b5-x2kqz, where do I look?",
        "What's the difference between TCP and UDP?",
        "Explain Big-O of quicksort in the worst case",
    ], tags=("code",)),
    # ---------------------------------------------------------------- clean: identifiers that are not personal
    *many("clean_technical", [
        "Commit ⟦sha40⟧ introduced a regression in the parser, how do I revert just that commit?",
        "Request id ⟦uuid⟧ failed with 502 at the gateway, what logs should I check?",
        "Upgrade from ⟦semver⟧ to ⟦semver2⟧ broke our build — what changed in the changelog?",
        "ssh into ⟦hostname⟧ fails with 'Permission denied (publickey)'",
        "Our service on ⟦private_ip⟧:8080 can't reach ⟦private_ip2⟧:5432 inside the VPC — security group issue?",
        "Docker image digest sha256:⟦sha64⟧ differs between CI and prod, why?",
        "The build number is ⟦build_num⟧ and the artifact is app-⟦semver⟧.tar.gz — where is it stored?",
        "Error 0x⟦hex8⟧ when installing Windows update ⟦kb⟧, how do I fix it?",
        "ISBN ⟦isbn⟧ — how do I cite this book in APA style?",
        "Port ⟦port⟧ is already in use on my mac, how do I find the process?",
        "The product SKU is ⟦sku⟧, write a product description for our shop",
        "Convert the timestamp ⟦unix_ts⟧ to ISO 8601 in Python",
        "Checksum mismatch: expected ⟦md5⟧ got ⟦md5b⟧ — is the download corrupt?",
        "The invoice total is €⟦amount⟧ incl. 19% VAT, how much is net?",
        "git log shows ⟦sha7⟧ as HEAD but the tag points elsewhere, how do I fix the tag?",
        "We ordered ⟦order_qty⟧ units at 4.99 each, what's the total with 21% VAT?",
        "p99 latency went from ⟦ms⟧ms to 950ms after deploying ⟦semver⟧, how do I profile it?",
        "Which is faster from Frankfurt, the 1.1.1.1 or the 8.8.8.8 DNS resolver?",
    ], n=2, tags=("technical",)),
]

# --------------------------------------------------------------------------------------
# Dev-only additions (issue #5): chat phrasings the first templates lack. They are always
# `dev` and take no part in the split, so the heldout cases above stay exactly as they were.
# Their people come from a pool of their own (more of Europe, and first names that are
# also English words), drawn from the case's rng after the templates' own values.
# --------------------------------------------------------------------------------------

EXTRA_NAMES: dict[str, tuple[list[str], list[str]]] = {
    "CZ": (["Tomáš", "Petra", "Jiří", "Lenka"], ["Novák", "Svobodová", "Dvořák", "Černý"]),
    "HU": (["Zsófia", "Bence", "Réka", "Gábor"], ["Nagy", "Kovács", "Szabó", "Tóth"]),
    "RO": (["Andrei", "Ioana", "Mihai", "Elena"], ["Popescu", "Ionescu", "Dumitrescu"]),
    "DK": (["Mette", "Søren", "Ingrid", "Lars"], ["Nielsen", "Hansen", "Kristiansen", "Jørgensen"]),
    "FI": (["Aino", "Mikko", "Eeva"], ["Virtanen", "Mäkinen", "Korhonen"]),
    "LT": (["Rūta", "Mindaugas"], ["Kazlauskas", "Petrauskienė"]),
    "HR": (["Ivana", "Luka", "Marija"], ["Horvat", "Kovačević", "Babić"]),
    "AT": (["Florian", "Theresa", "Stefan"], ["Gruber", "Huber", "Wagner", "Pichler"]),
    "BR": (["Rafael", "Mariana", "Gabriel"], ["Oliveira", "Costa", "Pereira"]),
    "CH": (["Reto", "Nadine", "Urs"], ["Meier", "Keller", "Brunner"]),
    "US": (["Sarah", "Michael", "Emily", "David", "Jessica", "Ryan"], ["Johnson", "Miller", "Brown", "Davis"]),
    "GB": (["Jack", "Sophie", "Callum", "Hannah"], ["Walker", "Wright", "Thompson", "Robinson"]),
    "NL": (["Bram", "Lotte", "Thijs"], ["Mulder", "de Boer", "van Leeuwen"]),
    "ES": (["Pablo", "Marta", "Sergio"], ["Navarro", "Romero", "Torres"]),
}
WORD_NAMES = ["Will", "Mark", "May", "Grace", "Bill", "Rose", "Hope", "Joy", "Dawn", "Frank", "Pat", "Summer",
              "Amber", "Daisy", "Rob", "Jack"]


def _extra_person(ctx: Context, index: int) -> Person:
    key = f"extra_person_{index}"
    if key not in ctx.values:
        country = ctx.rng.choice(sorted(EXTRA_NAMES))
        firsts, lasts = EXTRA_NAMES[country]
        ctx.values[key] = f"{ctx.rng.choice(firsts)}\t{ctx.rng.choice(lasts)}"
    first, last = ctx.values[key].split("\t")
    return Person(first, last, "", "")


_IBAN_SHAPES = {  # BBAN shapes: "a" a capital letter, "d" a digit
    "AT": "d" * 16, "CH": "d" * 17, "PL": "d" * 24, "PT": "d" * 21, "IE": "aaaa" + "d" * 14,
    "GB": "aaaa" + "d" * 14, "FI": "d" * 14, "LU": "d" * 16, "SE": "d" * 20, "DK": "d" * 14, "NO": "d" * 11,
}


def _iban_any(ctx: Context) -> str:
    country = ctx.values.setdefault("iban_country", ctx.rng.choice(sorted(_IBAN_SHAPES)))
    bban = "".join(ctx.rng.choice(string.ascii_uppercase) if c == "a" else ctx.rng.choice(string.digits)
                   for c in _IBAN_SHAPES[country])
    return iban_from_bban(country, bban)


def _iban_odd(ctx: Context) -> str:
    """An IBAN as people type it: irregular groups, dashes or dots, sometimes lower case."""
    iban = ctx.rng.choice([_iban("DE"), _iban("FR"), _iban("NL"), _iban("IT"), _iban_any])(ctx)
    style = ctx.rng.randrange(5)
    if style == 0:  # irregular groups
        cuts = sorted(ctx.rng.sample(range(3, len(iban) - 2), 3))
        parts = [iban[a:b] for a, b in zip([0, *cuts], [*cuts, len(iban)])]
        return " ".join(parts)
    if style == 1:
        return "-".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    if style == 2:
        return iban_grouped(iban).lower()
    if style == 3:
        return iban[:4] + " " + iban[4:]
    return ".".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def _aba_routing(ctx: Context) -> str:
    body = ctx.rng.choice(["0210", "0260", "1210", "0110", "0710"]) + _digits(ctx.rng, 4)
    check = (-sum(int(d) * w for d, w in zip(body, (3, 7, 1, 3, 7, 1, 3, 7)))) % 10
    return body + str(check)


G.update({
    "xfull": (lambda c: _extra_person(c, 0).full, "PERSON"),
    "xfirst": (lambda c: _extra_person(c, 0).first, "PERSON"),
    "xlast": (lambda c: _extra_person(c, 0).last, "PERSON"),
    "xfull2": (lambda c: _extra_person(c, 1).full, "PERSON"),
    "xfirst2": (lambda c: _extra_person(c, 1).first, "PERSON"),
    "xlower_full": (lambda c: _extra_person(c, 0).full.lower(), "PERSON"),
    "xlower_first": (lambda c: _extra_person(c, 0).first.lower(), "PERSON"),
    "xlower_first2": (lambda c: _extra_person(c, 1).first.lower(), "PERSON"),
    "word_name": (lambda c: c.values.setdefault("word_name_value", c.rng.choice(WORD_NAMES)), "PERSON"),
    "xchild": (lambda c: c.values.setdefault("xchild_value", c.rng.choice(CHILD_NAMES)), "PERSON"),
    "xchild_lower": (lambda c: c.values.setdefault("xchild_value", c.rng.choice(CHILD_NAMES)).lower(), "PERSON"),
    "iban_any": (_grouped(_iban_any), "IBAN_CODE"),
    "iban_any_compact": (_iban_any, "IBAN_CODE"),
    "iban_any_lower": (lambda c: _iban_any(c).lower(), "IBAN_CODE"),
    "iban_odd": (_iban_odd, "IBAN_CODE"),
    "iban_de_lower_spaced": (lambda c: iban_grouped(_iban("DE")(c)).lower(), "IBAN_CODE"),
    "de_konto": (lambda c: _digits(c.rng, c.rng.randint(7, 10)), "BANK_ACCOUNT"),
    "de_blz": (lambda c: f"{c.rng.randint(100, 899)} {_digits(c.rng, 3)} {_digits(c.rng, 2)}", None),  # a bank's code
    "aba": (_aba_routing, None),  # a bank's routing number, not an account
    "us_acct": (lambda c: _digits(c.rng, c.rng.randint(9, 12)), "BANK_ACCOUNT"),
    "door_code": (lambda c: _digits(c.rng, c.rng.choice([4, 6])), "PASSWORD"),
    "passphrase": (lambda c: " ".join(c.rng.sample(_WORDS, 4)), "PASSWORD"),
})

# Children's first names from many cultures, written in Latin script (round 6: labelled CHILD_DATA).
KID_NAMES = ["Kwame", "Aarav", "Oluwaseun", "Hiroshi", "Mei", "Amara", "Yusuf", "Leilani", "Thabo", "Aylin",
             "Ximena", "Santiago", "Dmitri", "Anya", "Priya", "Arjun", "Fatima", "Omar", "Zeynep", "Jonas", "Ida",
             "Siobhan", "Kofi", "Chidi", "Minh", "Nia", "Mateus", "Björn", "Élodie", "Tariq"]


def _kid(ctx: Context, index: int) -> str:
    key = f"kid_value_{index}"
    if key not in ctx.values:
        taken = {ctx.values.get(f"kid_value_{i}") for i in range(index)}
        ctx.values[key] = ctx.rng.choice([n for n in KID_NAMES if n not in taken])
    return ctx.values[key]


G.update({
    "kid": (lambda c: _kid(c, 0), "CHILD_DATA"),
    "kid2": (lambda c: _kid(c, 1), "CHILD_DATA"),
    "kid_lower": (lambda c: _kid(c, 0).lower(), "CHILD_DATA"),
})

DEV_TEMPLATES: list[T] = [
    # ---------------------------------------------------------------- names: lower case, cues, signatures
    *many("names", [
        "ask ⟦xlower_first⟧ whether the invoice went out yesterday",
        "can you write a msg to ⟦xlower_full⟧ saying I'm running 10 min late",
        "hi ⟦xfirst⟧,\n\nthe draft looks good, just two comments on section 3.\n\nbest,\n⟦xfirst2⟧\n\n"
        "make this sound warmer",
        "From: ⟦xfull⟧\nSent: Monday 09:14\nTo: ⟦xfull2⟧\nSubject: budget\n\nwe need the numbers by Thursday\n\n"
        "--> draft a reply",
        "my colleague ⟦xlower_first⟧ keeps taking credit for my work, how do I raise it with my manager",
        "I had a meeting with ⟦xfull⟧ from procurement today, write up the notes: they want a 5% discount",
        "⟦xfirst⟧ said the server is down again, draft a status page message",
        "thanks ⟦xlower_first⟧!! can you rephrase that for a formal email",
        "tell ⟦xfirst⟧ and ⟦xfirst2⟧ the offsite moved to March",
        "ok thx\n— ⟦xlower_first⟧\n\nturn this into a proper reply to the landlord",
        "Write a welcome message for our new hire ⟦xfull⟧, who joins the data team on Monday.",
        "⟦xlower_full⟧ from accounting wants the Q2 report, summarise these bullet points for her",
        "ask ⟦word_name⟧ if she can cover my shift on sunday",
        "Regards,\n⟦xfull⟧\nSenior Accountant | Northwind GmbH\n\ncan you make this signature shorter?",
        "my boss ⟦xfull⟧ wants me in the office 4 days a week, help me negotiate",
        "i met ⟦xlower_full⟧ at the conference, write a follow up linkedin message",
        "Interview notes: candidate ⟦xfull⟧, strong on SQL, weak on communication. Write the feedback.",
        "Reply to ⟦xfirst⟧'s message: 'can we move the 1:1 to friday?'",
        "on the call: ⟦xfull⟧ and ⟦xfull2⟧ — write an agenda for 30 minutes",
        "cc ⟦xlower_first⟧ and ⟦xlower_first2⟧ on the reply, and make it shorter",
        "my landlord ⟦xlower_full⟧ won't return the deposit, write a formal letter",
        "Good morning ⟦xfirst⟧, hope you had a nice weekend! — continue this email, it's about the delayed shipment",
        "forward this to ⟦xfull⟧ with a short note saying I agree",
        "⟦word_name⟧ from HR says I need to fill in the form again, write a polite answer",
        "write a goodbye card for ⟦xfirst⟧ who is retiring after 30 years",
        "me and ⟦xlower_first⟧ are planning a trip to porto, make an itinerary",
        "Signed,\n⟦xfirst⟧ ⟦xlast⟧\n\nis this sign-off too formal for a school email?",
        "Dear Mr ⟦xlast⟧, Dear Mrs ⟦xlast⟧ — which one for a letter to both parents?",
    ], tags=("name", "dev_extra")),
    *many("names_clean", [
        "will the new policy apply to contractors too?",
        "may I ask how the pricing works for teams?",
        "the rose bushes in my garden have black spots, what do I do",
        "mark all unread emails as read in outlook - how?",
        "bill the client for 3 hours and add the travel costs, write the invoice line",
        "grace period for a late payment on a credit card — how long usually?",
        "Hope this helps! Let me know if you need anything else. — rewrite this closing",
        "summer in Lisbon vs autumn, which is better for hiking",
        "frank feedback on my cv please, be brutal",
        "the amber warning light on my dashboard is on, can I keep driving?",
        "Dawn raids by competition authorities — what powers do they have in the EU?",
        "what does 'pat on the back' mean",
        "how do I find joy in running again after an injury?",
        "Can Jenkins and GitLab CI share runners?",
        "Explain Bayes' theorem with an example.",
        "tell me about the Marshall Plan",
        "Ask the team whether Friday works, as a slack message",
        "hi, can you help me with an excel formula?",
        "Thanks! and what about the second one?",
        "Best practices for naming git branches?",
        "Hi there, could you summarise the attached policy?",
        "Dear all, the office will be closed on Monday — make this friendlier",
        "Kind regards,\nThe Support Team\n\n— is this sign-off ok for a newsletter?",
        "From: noreply@shop.example\nSubject: your order\n\nwhy do these emails end up in spam?",
        "tell me a story about a brave little fox",
        "with pandas, how do I merge two dataframes on two columns?",
    ], tags=("name", "dev_extra")),
    # ---------------------------------------------------------------- passwords stated in prose
    *many("secrets", [
        "the wifi pw is ⟦password⟧ btw, put it on the guest welcome card",
        "pw: ⟦password⟧ — can you tell me if that's strong enough?",
        "my login is ⟦username⟧ / ⟦password⟧, why does it keep saying locked?",
        "Passwort: ⟦password⟧ — bitte formuliere die Mail mit den Zugangsdaten für den neuen Kollegen",
        "mot de passe : ⟦password⟧ — rédige un mail pour le prestataire avec les accès",
        "la contraseña es ⟦password⟧, escribe un correo al técnico para que entre al router",
        "the passcode for the front door is ⟦door_code⟧, add it to the airbnb check-in message",
        "password for the admin panel? it's ⟦password⟧",
        "my password is ⟦password_letters⟧, is that too easy to guess?",
        "the pass is ⟦password⟧ — write the handover note for the night shift",
        "new password = ⟦password⟧, add it to the onboarding email for the intern",
        "I changed my password to ⟦password_letters⟧ yesterday and now outlook keeps asking for it",
        "his password was ⟦password⟧ and he wrote it on a post-it, write a security reminder for the team",
        "I use ⟦password⟧ as my password for everything, is that bad?",
        "login details for the client portal: ⟦email⟧, pass ⟦password⟧",
        "Kennwort ⟦password⟧ funktioniert nicht mehr, schreib eine Mail an die IT",
        "wachtwoord: ⟦password⟧ — vertaal deze mail naar het Engels",
        "hasło do wifi to ⟦password⟧, napisz kartkę dla gości",
        "la password del router è ⟦password⟧, scrivi le istruzioni per mia madre",
        "a senha do email é ⟦password⟧, escreve um lembrete para o meu pai",
        "the passphrase is '⟦passphrase⟧' — is four random words really safer?",
        "Password (case sensitive): ⟦password⟧\nturn this into a friendly message for the new tenant",
        "username ⟦username⟧, password ⟦password⟧ — write the handover note",
        "my bank login is ⟦username⟧ and the password ⟦password⟧, can you check my statement for me",
        "creds for staging: ⟦username⟧:⟦password⟧ — add them to the wiki page",
        "the password to my laptop is ⟦password_letters⟧ in case you need it while I'm away, write this to my sister",
        "pwd ⟦password⟧ (same as last year) — remind the team in a short message",
        "the alarm code is ⟦door_code⟧, put it in the house-sitting notes",
        "our netflix password is ⟦password⟧, tell my brother in a text",
        "lösenord: ⟦password⟧ — skriv ett mejl till den nya kollegan",
    ], tags=("secret", "dev_extra")),
    *many("secrets_clean", [
        "the password is wrong apparently, how do I reset it",
        "my password was leaked in a breach, what should I do first",
        "what's the default password policy for Azure AD?",
        "Passwort vergessen — how do I reset it on web.de?",
        "pw reset emails go to spam, how do I fix SPF",
        "set the password to expire every 90 days in the GPO — how?",
        "the password is stored hashed with bcrypt, is that enough?",
        "my password is too short according to the form, what's the minimum usually?",
        "The passcode screen keeps appearing on my iPhone, how do I turn it off?",
        "is a password manager safer than writing passwords in a notebook?",
        "the password is expired and the reset link doesn't work",
        "mot de passe oublié — comment réinitialiser sur Free?",
        "What makes a passphrase stronger than a password?",
        "login with username and password fails only in Safari, why?",
    ], tags=("secret", "dev_extra")),
    # ---------------------------------------------------------------- IBANs in odd forms, accounts in prose
    *many("iban_bank", [
        "my iban is ⟦iban_de_lower_spaced⟧, can you write the rent transfer note",
        "IBAN ⟦iban_odd⟧ — please refund the deposit there",
        "pls send the money to ⟦iban_odd⟧ asap",
        "Austrian/Swiss/Nordic account for the invoice: ⟦iban_any⟧",
        "bank details: ⟦iban_any_compact⟧, name ⟦xfull⟧ — write the payment instruction",
        "iban: ⟦iban_any_lower⟧ thx",
        "überweisen Sie bitte auf ⟦iban_odd⟧, Verwendungszweck Miete",
        "Kontonummer ⟦de_konto⟧, BLZ ⟦de_blz⟧ — is that still valid or do I need an IBAN?",
        "my account number is ⟦uk_acct⟧ and the sort code ⟦sort_code:-⟧, set up the direct debit letter",
        "routing number ⟦aba⟧, account number ⟦us_acct⟧ — fill in the payroll form for me",
        "pay it into acct ⟦uk_acct⟧ (sort ⟦sort_code:-⟧) and write the reminder",
        "my IBAN is ⟦iban_any⟧ and the BIC is on the invoice, write to the tenant",
        "IBAN:\n⟦iban_odd⟧\nwrite the transfer request in German",
    ], tags=("financial", "dev_extra")),
    *many("iban_bank", [
        "what does the check digit in an IBAN do?",
        "why does my bank reject IBANs starting with GB for SEPA transfers?",
        "format a column in Excel so IBANs show in groups of four",
        "the iban field should be validated with mod 97 — write the python function",
        "How many characters does a Polish IBAN have?",
        "Is a sort code the same as a routing number?",
    ], tags=("financial", "dev_extra")),
    # ---------------------------------------------------------------- special categories in words
    *many("special", [
        "i'm ⟦a practising muslim|SPECIAL⟧ and need a prayer room at work, help me ask HR",
        "my husband is ⟦Hindu|SPECIAL⟧ and I'm ⟦Catholic|SPECIAL⟧, plan a wedding ceremony that works for both",
        "I'm ⟦lesbian|SPECIAL⟧ and my landlord refused to rent to us, what can I do",
        "as a ⟦trans woman|SPECIAL⟧ I'm nervous about the new job's dress code, help me ask about it",
        "I'm ⟦a union member|SPECIAL⟧ (Verdi) — can my employer ask about it?",
        "I was ⟦arrested for shoplifting in 2020|CRIMINAL⟧, will it show on a DBS check?",
        "I have ⟦a criminal record for assault|CRIMINAL⟧ — how do I write my cover letter",
        "I'm ⟦of Turkish descent|SPECIAL⟧ and my manager keeps making comments about it",
        "I ⟦vote Labour|SPECIAL⟧ but my dad is ⟦a Tory|SPECIAL⟧, how do we avoid fighting at christmas",
        "my ⟦23andMe results say I carry the cystic fibrosis gene|SPECIAL⟧, should I tell my partner?",
        "I'm ⟦non-binary|SPECIAL⟧ and want my email signature to show my pronouns",
        "my son came out as ⟦gay|SPECIAL⟧ last week, how do I support him",
        "I ⟦go to the mosque every friday|SPECIAL⟧ and need to leave early, write to my boss",
        "we're ⟦Jehovah's Witnesses|SPECIAL⟧ so we don't celebrate birthdays — write a note to the teacher",
        "I'm ⟦on probation|CRIMINAL⟧ until next year, can I travel to Spain?",
        "my partner is ⟦HIV positive|HEALTH⟧ and ⟦bisexual|SPECIAL⟧, how do we tell his parents",
    ], tags=("special", "dev_extra")),
    *many("special_clean", [
        "what's the history of Ramadan?",
        "list the EU countries that recognise same-sex marriage",
        "explain what a DBS check is",
        "what is the Labour party's position on tuition fees?",
        "Write a short explainer on the Roma community's history in Europe for a school project.",
        "How do trade unions negotiate collective agreements in Germany?",
    ], tags=("special", "dev_extra")),
    # Round 3 (issue #5): beliefs, orientation, origin, politics, unions, records and genes said in
    # everyday words, with hard negatives that use the same words of something else.
    *many("special", [
        "she came out as ⟦gay|SPECIAL⟧ last year, how do I support her at work",
        "he's ⟦a paid-up Unite member|SPECIAL⟧ and the boss is targeting him, draft a grievance",
        "I was ⟦convicted of fraud in 2019|CRIMINAL⟧ — do I need to declare it to a new employer?",
        "my dad's side is ⟦Ashkenazi|SPECIAL⟧, should I ask my GP about screening",
        "I ⟦pray five times a day|SPECIAL⟧ and need a quiet room at the office, write to facilities",
        "we ⟦keep Shabbat|SPECIAL⟧ so no meetings after sunset on Fridays — tell the team politely",
        "I'm ⟦going on Hajj|SPECIAL⟧ this summer, draft the leave request",
        "I don't eat pork ⟦for religious reasons|SPECIAL⟧, plan a week of work lunches",
        "I'm ⟦attracted to both men and women|SPECIAL⟧ and not sure how to tell my family",
        "I'm ⟦not out at work|SPECIAL⟧ yet, how do I handle questions about my weekend",
        "I'm ⟦a card-carrying Tory|SPECIAL⟧ and my colleagues keep mocking me, what do I say",
        "I've always ⟦voted Green|SPECIAL⟧ but this year I'm torn, help me compare the manifestos",
        "my grandparents were ⟦Roma|SPECIAL⟧ and I want to write about their story for my kids",
        "I ⟦did two years for burglary|CRIMINAL⟧ and want to get back into work, write my cover letter",
        "I'm ⟦on the sex offenders register|CRIMINAL⟧, can I travel abroad for work?",
        "I was ⟦sentenced to six months|CRIMINAL⟧ in 2015 — how do I explain the gap in my CV",
        "I'm ⟦a carrier for sickle cell|SPECIAL⟧, should my partner get tested before we try for a baby?",
        "I'm ⟦a Republican|SPECIAL⟧ and my wife is ⟦a Democrat|SPECIAL⟧, how do we survive the election season",
        "my mum's side is ⟦Sephardic|SPECIAL⟧ and my dad's family are ⟦Irish Travellers|SPECIAL⟧, help me draw a family tree",
        "as ⟦a Muslim convert|SPECIAL⟧ I'm not sure how to tell my parents, help me write a letter",
        "I ⟦fast during Ramadan|SPECIAL⟧ so I'd like to start and finish earlier, ask my manager",
        "my boyfriend and I are ⟦both gay men|SPECIAL⟧ looking to adopt — which UK agencies are welcoming?",
        "I'm ⟦a lifelong Labour voter|SPECIAL⟧ and my new boss is a councillor for the other side",
        "I ⟦got a DUI|CRIMINAL⟧ last year; will it affect my visa application?",
        "my partner is ⟦in prison|CRIMINAL⟧ and I need to write to the governor about visits",
        "my ⟦genetic test shows I carry the APOE4 variant|SPECIAL⟧ — should I tell my insurer?",
    ], tags=("special", "dev_extra")),
    *many("special_clean", [
        "the Catholic church downtown has great architecture, write a caption for the photo",
        "prove that the union of two sets is a set",
        "add a liberal amount of butter and bake for 20 minutes — rewrite this recipe step",
        "give me the conservative estimate for the migration budget",
        "write the Jewish history course syllabus for the spring term",
        "plan my birthday party for Saturday, 12 guests",
        "I'm a member of a book club, suggest five novels for winter",
        "I'm straight out of ideas for dinner, suggest something with lentils",
        "my cat is black and white and sheds everywhere, best vacuum?",
        "I'm on the left in the team photo, write the caption",
        "explain the prisoner's dilemma simply",
        "our genetic algorithm converges too slowly, any tips?",
        "I'm a labour lawyer in Leeds, draft a LinkedIn summary",
        "write a Christmas card for my team",
        "my faith in this framework is gone, what's a good alternative to Angular?",
        "the party's manifesto says what about housing? summarise it",
        "what's the difference between Sunni and Shia Islam?",
        "I'm a conservative driver, is a hybrid worth it?",
        "the gay rights movement in the 1970s — write a timeline for a school project",
        "we were arrested by the view from the top, write an Instagram caption",
        "the union rep role in the UK — what does it involve?",
        "my DNA analysis pipeline in Python runs out of memory, help",
    ], tags=("special", "dev_extra")),
    # Passwords and codes said in prose without the usual keywords.
    *many("secrets", [
        "to get into my laptop type ⟦password⟧ at the prompt, write this for my sister",
        "the wifi is HomeNet and the key is ⟦password⟧, put it on the guest card",
        "I log in with ⟦username⟧ and ⟦password⟧, why does it say account locked?",
        "sign in as admin using ⟦password⟧ and check the error logs, write the steps for the intern",
        "the code to get in is ⟦door_code⟧, put it in the guest message",
        "the combination for the safe is ⟦door_code⟧, add it to the house-sitting notes",
        "it's ⟦password⟧ for the email, in case you need it while I'm away — write that to my assistant",
        "the memorable word is ⟦password_letters⟧, write the reminder note for my dad",
        "recovery code: ⟦password⟧ — store it in the handover doc",
        "my phone unlock code is ⟦door_code⟧, tell my partner in a text",
        "use ⟦password⟧ to sign in to the router and change the channel",
        "the key for the wifi is ⟦password_letters⟧, add it to the welcome sheet",
        "login for the nas is admin, pw same as the router: ⟦password⟧",
        "the wi-fi password? ⟦password⟧ — write it on the card for the guests",
        "the secret word is ⟦password_letters⟧, don't tell anyone, write a birthday invite with it",
    ], tags=("secret", "dev_extra")),
    *many("secrets_clean", [
        "type Ctrl+Shift+P to open the command palette, then what?",
        "log in with Google SSO and open the settings page",
        "use Python3.11 to run it, not 3.8",
        "the code to get in touch with support is on their website",
        "sign in with your Microsoft account first",
        "the key is to stay consistent with the naming",
        "use utf-8 as the encoding when you write the CSV",
        "the combination of both approaches works best",
        "the unlock code arrives by SMS, how long does it take?",
        "the secret word in the riddle is 'time' — explain why",
        "log in to the VPN and then run make test-All3",
        "the memorable word is case sensitive, how do I reset it?",
    ], tags=("secret", "dev_extra")),
    # ---------------------------------------------------------------- children
    *many("children", [
        "my 5 year old ⟦xchild⟧ has ⟦eczema|HEALTH⟧, write a note for the nursery",
        "my daughter ⟦xchild_lower⟧ is 11 and ⟦has type 1 diabetes|HEALTH⟧, write the school trip form",
        "write a sorry note from my son ⟦xchild⟧ to his classmate for breaking the toy",
        "⟦xchild⟧ (age 8) is ⟦autistic|HEALTH⟧ and hates loud noises — help me write to the swim coach",
        "our kids ⟦xchild⟧ and ⟦first2⟧ are with their dad this weekend, write the handover text",
        "my stepdaughter ⟦xchild⟧ is struggling in year 6 maths, make a weekly plan",
        "Write a birthday card from grandma for ⟦xchild_lower⟧, turning 4 on Sunday",
        "my little one ⟦xchild⟧ has ⟦ADHD|HEALTH⟧ — how do I explain it to her teacher",
    ], tags=("child", "dev_extra")),
    *many("children", [
        "what are good books for a 10 year old who likes dragons?",
        "how do I teach kids to ride a bike without stabilisers?",
    ], tags=("child", "dev_extra")),
    # ---------------------------------------------------------------- financial hardship
    *many("financial_hardship", [
        "we're ⟦two months behind on the electricity bill|FINANCIAL_SITUATION⟧, write to the supplier",
        "I ⟦got a final demand from a debt collector|FINANCIAL_SITUATION⟧ for £900, what do I do",
        "my ⟦wages are being garnished|FINANCIAL_SITUATION⟧ — is that legal in Germany?",
        "I ⟦earn €1,450 net a month|FINANCIAL_SITUATION⟧ and rent is €900, make me a budget",
        "I've ⟦maxed out three credit cards|FINANCIAL_SITUATION⟧ and can't sleep, where do I start",
        "my ⟦loan application was rejected|FINANCIAL_SITUATION⟧ because of a ⟦Schufa entry|FINANCIAL_SITUATION⟧",
        "we ⟦can't afford the school trip|FINANCIAL_SITUATION⟧ for our son, write to the school",
        "I'm ⟦on universal credit|FINANCIAL_SITUATION⟧, can I get help with childcare costs?",
        "I ⟦owe my landlord three months' rent|FINANCIAL_SITUATION⟧, help me propose a payment plan",
        "I have ⟦a €4,000 overdraft|FINANCIAL_SITUATION⟧ and the bank wants it back by May",
        "my ⟦car was repossessed|FINANCIAL_SITUATION⟧ last week and I need to get to work, any ideas",
        "i'm ⟦broke until payday|FINANCIAL_SITUATION⟧, plan cheap meals for 10 days",
    ], tags=("financial", "dev_extra")),
    *many("financial_hardship", [
        "what is a garnishment order?",
        "how does universal credit work for self-employed people?",
        "Explain what an overdraft fee is.",
    ], tags=("financial", "dev_extra")),
    # ---------------------------------------------------------------- health in chat
    *many("health", [
        "i have ⟦endometriosis|HEALTH⟧ and the pain is bad this week, write a short sick message to my team lead",
        "my mum ⟦xfirst⟧ was just diagnosed with ⟦dementia|HEALTH⟧, help me plan the first steps",
        "I'm ⟦on antidepressants|HEALTH⟧, is it ok to drink at the christmas party?",
        "since my ⟦burnout|HEALTH⟧ I can only work 20 hours, write the request to HR",
        "⟦xfull⟧, 67, ⟦type 2 diabetic|HEALTH⟧, ⟦on metformin|HEALTH⟧ — draft the handover for the night nurse",
    ], tags=("health", "dev_extra")),
    # Round 4 (issue #5): health, special categories and money trouble said of a person in everyday
    # words (third person, possessives, procedures, phrasings), with hard negatives in the same words.
    *many("health", [
        "my mum's ⟦chemo|HEALTH⟧ starts monday, plan easy meals for the week",
        "I've been ⟦on sertraline|HEALTH⟧ since march and I'm tired all day, write a note to my GP",
        "he ⟦had a stroke|HEALTH⟧ in january and can't drive yet, help me write to his insurer",
        "my son's ⟦ADHD assessment|HEALTH⟧ is next week, what should I ask",
        "we're ⟦pregnant|HEALTH⟧ with our second and I need to tell my boss, draft the email",
        "my ⟦knee surgery|HEALTH⟧ is on the 14th, write an out of office",
        "my dad ⟦has a heart condition|HEALTH⟧ so he can't fly long haul, write to the airline",
        "my husband ⟦has MS|HEALTH⟧ and we need a downstairs bathroom, write to the council",
        "my wife ⟦is in hospital|HEALTH⟧ so I'll miss the standup, write a quick message",
        "my dad ⟦is in the hospital|HEALTH⟧ again, tell the team I'm out today",
        "I ⟦broke my wrist|HEALTH⟧ and can't type much, keep the replies short",
        "she ⟦miscarried|HEALTH⟧ last month, what do I write in the card",
        "my grandma ⟦had a fall|HEALTH⟧ and ⟦broke her hip|HEALTH⟧, help me find respite care",
        "I ⟦have a chronic illness|HEALTH⟧ and need flexible hours, draft the request",
        "my son ⟦had a TIA|HEALTH⟧ at 40, is that common?",
        "my brother ⟦overdosed|HEALTH⟧ last year and is doing better now, write a birthday message",
        "my partner ⟦self-harms|HEALTH⟧ and I don't know how to help",
        "I ⟦had a breakdown|HEALTH⟧ last spring and want to explain the gap in my CV",
        "my mum ⟦is going blind|HEALTH⟧, what gadgets would help her at home",
        "I ⟦have a hearing impairment|HEALTH⟧, ask the conference for live captions",
        "my son ⟦has a stammer|HEALTH⟧ and dreads presentations, write to his teacher",
        "my daughter ⟦has a tic disorder|HEALTH⟧, how do I explain it to her class",
        "I ⟦have hay fever|HEALTH⟧ so I'd rather not do the garden party, write a polite no",
        "my dad is recovering from ⟦a triple bypass|HEALTH⟧, plan low-salt dinners",
        "my ⟦blood results|HEALTH⟧ came back and ⟦my iron is low|HEALTH⟧, suggest meals",
        "my ⟦GP signed me off|HEALTH⟧ for two weeks, tell my manager",
        "my wife ⟦is expecting twins|HEALTH⟧ in June, write the parental leave request",
        "my ⟦smear came back abnormal|HEALTH⟧ and I'm scared, what happens next",
        "my brother ⟦has a gambling addiction|HEALTH⟧ and keeps asking for money",
        "my father ⟦is losing his memory|HEALTH⟧, help me write to his GP",
        "I ⟦have heavy periods|HEALTH⟧ and need to work from home on those days, write to HR",
        "my daughter ⟦was diagnosed with a heart murmur|HEALTH⟧, what questions should we ask",
        "I'm ⟦off work with stress|HEALTH⟧, write a reply to my manager's email",
        "my boyfriend ⟦is on PrEP|HEALTH⟧, do I need to tell the clinic?",
        "my mother-in-law ⟦has dementia|HEALTH⟧ and keeps calling at night, help me plan",
        "my nan ⟦had a mini stroke|HEALTH⟧, write a message to the family group",
        "my stepdad ⟦has a pacemaker|HEALTH⟧, can he go through airport security?",
        "my hubby ⟦had his gallbladder out|HEALTH⟧ yesterday, what can he eat",
        "i ⟦found a lump|HEALTH⟧ in my breast and the appointment is in 3 weeks, ask the clinic for an earlier slot",
        "my son ⟦has an eating disorder|HEALTH⟧ and the school wants a meeting",
        "my colleague ⟦has cancer|HEALTH⟧, what do I write in the card",
        "I'm ⟦recovering from a hysterectomy|HEALTH⟧ so no lifting for six weeks, tell the team",
    ], tags=("health", "dev_extra")),
    *many("health_clean", [
        "the surgery opens at 9 on saturdays, write a sign for the door",
        "depression in the housing market hit our Q3 numbers, write the board summary",
        "what a stroke of luck! write a reply to the client who paid early",
        "my cancer research grant application is due friday, proofread the abstract",
        "I'm a physio in Ghent, write my LinkedIn headline",
        "she's a psychiatrist at a big hospital, write her a speaker intro",
        "my database operation keeps timing out, how do I add a retry?",
        "we're transitioning to Kubernetes next quarter, write the announcement",
        "my sentence is too long, can you shorten it",
        "our team is in a healthy place after the reorg, write an update",
        "the patient portal login page is slow, profile it",
        "my Python process was killed, is it a memory leak?",
        "what are the early signs of a stroke?",
        "a therapy dog visits the office on fridays, write the announcement",
        "I'm writing a blog post about living with type 1 diabetes, give me an outline",
        "the hospital's IT team needs a new on-call rota, write it",
        "my diabetes awareness campaign needs a slogan",
        "i'm sick of this bug, why does React render twice?",
    ], tags=("health", "dev_extra")),
    *many("special", [
        "⟦her girlfriend|SPECIAL⟧ is moving in with us for a while, how do I tell my parents",
        "his ⟦conversion to Islam|SPECIAL⟧ upset his parents, how can I help them talk",
        "my brother's ⟦parole|CRIMINAL⟧ hearing is next month, help me write a letter of support",
        "my ⟦trans daughter|SPECIAL⟧ starts a new school in September, write to the head teacher",
        "my ⟦gay son|SPECIAL⟧ wants to bring ⟦his boyfriend|SPECIAL⟧ to Christmas, how do I tell grandma",
        "my husband ⟦is Muslim|SPECIAL⟧ and I'm ⟦Catholic|SPECIAL⟧, plan a wedding that works for both families",
        "I ⟦voted Conservative|SPECIAL⟧ for the first time and my friends are furious",
        "my dad ⟦voted Reform|SPECIAL⟧ and now we don't talk, how do I bring it up",
        "I'm ⟦of Pakistani heritage|SPECIAL⟧ and keep getting asked where I'm really from at work",
        "my ⟦Black boyfriend|SPECIAL⟧ keeps getting stopped by security at my building, help me complain",
        "I ⟦was locked up|CRIMINAL⟧ for three years and now want to study, write a personal statement",
        "my son ⟦is in custody|CRIMINAL⟧ and I need to write to his solicitor",
        "I'm ⟦in the union|SPECIAL⟧ and the manager asked me about it in my review, is that allowed",
        "I'm ⟦on the picket line|SPECIAL⟧ tomorrow, write a message to cover my clients",
        "I ⟦joined Extinction Rebellion|SPECIAL⟧ last year, should I mention it on my CV",
        "I ⟦don't believe in God|SPECIAL⟧ but my wife's family is very religious, how do we plan the christening",
        "I ⟦found Jesus|SPECIAL⟧ last year and want to tell my old friends",
        "I ⟦came out to my parents|SPECIAL⟧ last week and they took it badly, help me write to them",
        "my ⟦trans partner|SPECIAL⟧ and I want to travel to Dubai, is it safe?",
        "his ⟦husband|SPECIAL⟧ is picking him up after the surgery, add that to the discharge note",
        "my cousin ⟦is a Sikh|SPECIAL⟧ and ⟦wears a turban|SPECIAL⟧, will that be an issue at the factory?",
        "I ⟦volunteer for the Green Party|SPECIAL⟧ on weekends, write it into my bio",
        "I ⟦converted to Judaism|SPECIAL⟧ before the wedding, write a thank-you to the rabbi",
        "my grandfather ⟦was a Communist party member|SPECIAL⟧ in Poland, help me write his story for my kids",
        "my ⟦DNA results|SPECIAL⟧ show ⟦I'm a carrier for cystic fibrosis|SPECIAL⟧ — should my partner get tested?",
        "my wife ⟦was arrested|CRIMINAL⟧ at the protest and I need a lawyer",
        "I ⟦got a caution for shoplifting|CRIMINAL⟧ when I was 17, do I need to declare it",
        "my brother ⟦is on licence|CRIMINAL⟧ after prison, can he stay with us",
    ], tags=("special", "dev_extra")),
    *many("special_clean", [
        "church wedding venues in Cork, shortlist five",
        "a union type in TypeScript vs an enum, which is better here?",
        "the party starts at 8, write the invite",
        "write a Black Friday banner for our shoe shop",
        "he came out of the meeting furious, how do I respond?",
        "my conviction is that we should ship on Friday, help me argue it",
        "the parole board system in the UK — explain for a school essay",
        "what does Extinction Rebellion want?",
        "explain the history of the Labour movement in Britain",
        "my custody of the API keys ends next week, write the handover",
        "our code converted to TypeScript last month, write the changelog",
        "the rally car season starts in March, write a preview",
        "the DNA of our company is customer focus, write the values page",
        "my gay pride playlist for the office party needs 10 more songs",
        "the trans-Atlantic flight was delayed, write a complaint",
        "I'm researching the history of the Jewish community in Venice for an article",
    ], tags=("special", "dev_extra")),
    *many("financial_hardship", [
        "⟦debt collectors|FINANCIAL_SITUATION⟧ keep calling my mum, what are her rights",
        "I ⟦took out a payday loan|FINANCIAL_SITUATION⟧ and now owe double, what do I do",
        "I've ⟦missed two payments|FINANCIAL_SITUATION⟧ on my car finance, write to the lender",
        "my dad ⟦is on benefits|FINANCIAL_SITUATION⟧ and needs help filling in the form",
        "we're ⟦struggling to make ends meet|FINANCIAL_SITUATION⟧ since the baby, help me budget",
        "I ⟦got fired|FINANCIAL_SITUATION⟧ last week and the rent is due, write to my landlord",
        "my sister ⟦lost her job|FINANCIAL_SITUATION⟧ and is ⟦behind on her rent|FINANCIAL_SITUATION⟧, how can I help",
        "I ⟦was refused a mortgage|FINANCIAL_SITUATION⟧ because of ⟦my credit history|FINANCIAL_SITUATION⟧, what now",
        "my son ⟦gets free school meals|FINANCIAL_SITUATION⟧, can he still go on the trip?",
        "I ⟦borrowed money from my parents|FINANCIAL_SITUATION⟧ and want to set up a repayment plan",
        "we ⟦can't keep up with the repayments|FINANCIAL_SITUATION⟧ on the sofa, write to the shop",
        "⟦bailiffs|FINANCIAL_SITUATION⟧ came to my gran's house today, what can they take",
        "I ⟦pawned|FINANCIAL_SITUATION⟧ my wedding ring to pay the gas bill, how do I get it back",
        "my ⟦PIP assessment|FINANCIAL_SITUATION⟧ is next week, help me prepare",
        "we ⟦were declined for a loan|FINANCIAL_SITUATION⟧ again, write to the bank",
        "my ⟦gas was cut off for non-payment|FINANCIAL_SITUATION⟧, write to the supplier",
        "my ⟦jobcentre appointment|FINANCIAL_SITUATION⟧ clashes with an interview, write to my work coach",
        "my husband ⟦has gambling debts|FINANCIAL_SITUATION⟧ I just found out about, what do I do",
    ], tags=("financial", "dev_extra")),
    *many("financial_hardship", [
        "credit card debt statistics in the EU, summarise them for my report",
        "we can't afford to lose this client, write the escalation email",
        "I owe you one! thanks for the help with the deck, write a reply",
        "how do I measure technical debt in our repo?",
        "our income statement for Q3 needs a summary",
        "my benefits package at the new job, is 30 days holiday normal?",
        "the mortgage calculator on our website shows the wrong rate, fix the JS",
        "explain how payday loans work for a consumer rights article",
        "the bankruptcy of Lehman Brothers, explain the timeline",
        "I'm researching universal credit for my dissertation, give me sources",
        "my credit card was declined at the hotel but I have money, what could it be?",
        "the national debt of Italy as a share of GDP, make a chart",
    ], tags=("financial", "dev_extra")),
    # Round 5 (issue #5): conditions and medicines beyond the curated lists (the MeSH and drug-name
    # vocabulary of data/health_terms.txt), with clean look-alikes that use the same words of nobody.
    *many("health", [
        "my dad has ⟦sarcoidosis|HEALTH⟧ and gets breathless on stairs, plan a gentle walking route",
        "I was just diagnosed with ⟦Hashimoto's thyroiditis|HEALTH⟧, what should I ask the endocrinologist",
        "my daughter takes ⟦Strattera|HEALTH⟧ before school, write a note for the school nurse",
        "I take ⟦Zyrtec|HEALTH⟧ and ⟦Flonase|HEALTH⟧ every spring, can I still give blood?",
        "my husband has ⟦restless legs syndrome|HEALTH⟧ and neither of us sleeps, any tips",
        "she has ⟦rosacea|HEALTH⟧ and the new foundation made it worse, write a complaint to the shop",
        "my son had ⟦Kawasaki disease|HEALTH⟧ as a toddler, does the nursery need to know?",
        "I have ⟦plantar fasciitis|HEALTH⟧ so I can't do the charity 10k, write a message to the team",
        "I'm on ⟦doxycycline|HEALTH⟧ for two weeks, can I go to the beach?",
        "my partner has ⟦trigeminal neuralgia|HEALTH⟧ and the pain comes in waves, help me explain it to his boss",
        "I have ⟦vitiligo|HEALTH⟧ and hate video calls, suggest camera settings",
        "my mum gets ⟦cluster headaches|HEALTH⟧ every autumn, write to her employer about flexible hours",
        "Pt 45M, admitted with acute ⟦cholecystitis|HEALTH⟧, started on ⟦ceftriaxone|HEALTH⟧ — write the handover",
        "I've got ⟦tendonitis|HEALTH⟧ in my wrist from the mouse, ask HR for an ergonomic keyboard",
        "our toddler has ⟦croup|HEALTH⟧ again, write to the nursery that he stays home",
        "I have a ⟦cough|HEALTH⟧ and a ⟦fever|HEALTH⟧ since Monday, tell my manager I'm working from home",
        "my wife has ⟦hyperemesis gravidarum|HEALTH⟧ and can't keep water down, draft her sick note email",
        "my brother has ⟦myasthenia gravis|HEALTH⟧, what should we pack for the hospital stay",
        "I've had ⟦frozen shoulder|HEALTH⟧ for months, write to the physio clinic to book more sessions",
        "my grandad has ⟦atrial flutter|HEALTH⟧ and is on ⟦Eliquis|HEALTH⟧, can he fly to Spain?",
        "my colleague has ⟦ankylosing spondylitis|HEALTH⟧ and needs a standing desk, write the request",
        "I have ⟦hidradenitis suppurativa|HEALTH⟧ and the gym showers are a problem, how do I ask for a private one",
        "my son's ⟦conjunctivitis|HEALTH⟧ is back, tell the school he'll be off tomorrow",
        "I'm taking ⟦amoxicillin|HEALTH⟧ and feel sick, is that normal?",
        "my niece has ⟦Ehlers-Danlos syndrome|HEALTH⟧, help me plan a gentle day out",
    ], tags=("health", "dev_extra")),
    *many("health_clean", [
        "write a short story about a dragon with a cough who can't breathe fire",
        "the rash of resignations at our company worries the board, write a memo",
        "our capex forecast for 2025 needs a chart",
        "explain how Zyrtec differs from Claritin",
        "my thesis is on sarcoidosis in coal miners, suggest a structure",
        "our team has a plague of flaky tests, how do we fix them?",
        "I'm reading about the Black Death for fun, recommend three books",
        "my dog has kennel cough, can he still go to daycare?",
        "what is plantar fasciitis and how is it treated?",
        "write a haiku about frostbite on a mountain",
        "is amoxicillin a penicillin?",
        "I need a strain gauge for my bridge model, which one?",
        "our Kafka consumer has a memory leak, help me find it",
        "my presentation on vitiligo awareness needs a catchy title",
        "I'm writing a quiz about famous plagues in history",
        "the word 'tendonitis' or 'tendinitis' — which spelling is right?",
    ], tags=("health", "dev_extra")),
    # Round 5: parties and unions of other member states, denominations and practice, ethnic groups
    # and identities beyond the round-3 lists (data/special_terms.txt), with clean look-alikes.
    *many("special", [
        "I ⟦voted for Chega|SPECIAL⟧ and my Lisbon colleagues found out, how do I handle the office chat",
        "my dad has been ⟦a PiS member|SPECIAL⟧ for years, help me write to him about the election",
        "I'm ⟦a SIPTU shop steward|SPECIAL⟧ at the plant, draft the notice for tomorrow's meeting",
        "I ⟦joined Unionen|SPECIAL⟧ last spring, can my employer see that?",
        "my wife ⟦wears the niqab|SPECIAL⟧ and the gym says no face coverings, write a complaint",
        "I'm ⟦Coptic|SPECIAL⟧ and fast for 55 days before Easter, plan my team lunches around it",
        "I'm ⟦of Polish descent|SPECIAL⟧ and my new manager makes jokes about it, help me reply",
        "my grandmother is ⟦Sámi|SPECIAL⟧ and I want to write her story for my kids",
        "I'm ⟦demisexual|SPECIAL⟧ and dating apps stress me out, help me write my profile",
        "since my ⟦top surgery|SPECIAL⟧ I want to update my photo on the staff page, write to HR",
        "I ⟦campaigned for the Sweden Democrats|SPECIAL⟧ in 2022, should I mention it in an interview?",
        "my brother ⟦volunteers for Sinn Féin|SPECIAL⟧ and our parents are upset, how do I talk to them",
        "I was ⟦raised Mormon|SPECIAL⟧ and left at 18, write a letter to my parents",
        "I'm a ⟦member of Fidesz|SPECIAL⟧ and my German in-laws don't know, should I tell them",
        "my partner is ⟦Uyghur|SPECIAL⟧ and worried about her family, help us write to an NGO",
        "I'm ⟦agender|SPECIAL⟧ and the form only has male or female, write to the registrar",
        "I'm ⟦an IG Metall member|SPECIAL⟧ and the works council wants my view on the pay deal",
        "my son ⟦took shahada|SPECIAL⟧ last month and my husband is upset, how do I mediate",
    ], tags=("special", "dev_extra")),
    *many("special_clean", [
        "what does Chega stand for and how big is it in the polls?",
        "this cheese is of French origin, write a label for the deli counter",
        "summarise the history of the Sámi parliament in Norway",
        "explain the difference between SIPTU and Fórsa for a civics class",
        "the nun in the film was terrifying, write a review",
        "my transition to management was hard, write a LinkedIn post about it",
        "PS I joined the gym — add that to my newsletter",
        "the Volt charger in the garage keeps tripping the fuse",
        "what is top surgery? explain for a medical glossary",
        "I'm a priest in my D&D campaign, write my character's backstory",
        "our Momentum mobile app needs a new onboarding flow",
        "describe the Coptic alphabet for a typography blog",
    ], tags=("special", "dev_extra")),
    # Round 5: the subject left out ("Been on sertraline for two years", "My mum is 82. Has dementia"),
    # and questions and errands that open the same way.
    *many("health", [
        "Been on ⟦sertraline|HEALTH⟧ for two years now. Help me write to my GP about coming off it.",
        "Have had ⟦migraines|HEALTH⟧ since Christmas, write a note to my manager asking for a dimmer screen.",
        "My mum is 82. Has ⟦dementia|HEALTH⟧ and lives alone, help me find a carer.",
        "Had a ⟦miscarriage|HEALTH⟧ in March. Need wording to tell my team I'm taking leave.",
        "Struggling with ⟦bulimia|HEALTH⟧ again, can you help me plan regular meals?",
        "Recovering from a ⟦hip replacement|HEALTH⟧, suggest exercises for week 3.",
        "My brother is 19. Was ⟦sectioned|HEALTH⟧ last night and nobody tells us anything, write to the ward.",
        "Been off work with ⟦sciatica|HEALTH⟧ for a month, draft the return-to-work email.",
    ], tags=("health", "dev_extra")),
    *many("health_clean", [
        "Have you ever had shingles? Write a quiz question about it.",
        "Has anyone here tried Ozempic? Write a Reddit-style poll.",
        "Had a look at the diabetes dataset, write the summary for the board.",
        "Got a question about insulin pricing in the EU, summarise the rules.",
        "The report is done. Has a section on asthma in children — proofread it.",
        "Is the NHS app down? I can't book anything.",
    ], tags=("health", "dev_extra")),
    *many("financial_hardship", [
        "Got an ⟦eviction notice|FINANCIAL_SITUATION⟧ today, what are my rights?",
        "Been ⟦unemployed|FINANCIAL_SITUATION⟧ since May, write a cover letter that explains the gap.",
        "My dad is 67. Has ⟦debts|FINANCIAL_SITUATION⟧ he hides from us, how do I bring it up?",
    ], tags=("financial", "dev_extra")),
    *many("financial_hardship", [
        "Have you seen the new debt relief rules? Summarise them.",
        "Had a quick look at the bankruptcy statistics, make a chart.",
    ], tags=("financial", "dev_extra")),
    # Round 5: the same categories in German, French, Spanish, Italian, Dutch, Polish, Swedish and
    # Finnish (data/foreign_terms.txt), with clean questions about the topics in those languages.
    *many("health", [
        "Ich bin ⟦schwanger|HEALTH⟧ und brauche eine kurze Mail an meinen Chef wegen Homeoffice",
        "Ma mère a un ⟦cancer|HEALTH⟧ du sein, aide-moi à écrire à son employeur",
        "Mi hijo tiene ⟦diabetes|HEALTH⟧ tipo 1, escribe una nota para el colegio",
        "Sono ⟦incinta|HEALTH⟧ di tre mesi, scrivi una mail al mio responsabile",
        "Mijn vader heeft ⟦kanker|HEALTH⟧, help me een bericht aan zijn werkgever te schrijven",
        "Jestem na ⟦zwolnieniu lekarskim|HEALTH⟧ do piątku, napisz wiadomość do zespołu",
        "Jag är ⟦sjukskriven|HEALTH⟧ resten av veckan, skriv ett mejl till min chef",
        "Olen ⟦raskaana|HEALTH⟧ ja tarvitsen viestin esihenkilölleni",
        "ich bin seit März ⟦krankgeschrieben|HEALTH⟧ wegen ⟦Burnout|HEALTH⟧, schreib eine Nachricht ans Team",
    ], tags=("health", "dev_extra")),
    *many("health_clean", [
        "Wie wird Krebs in Deutschland behandelt? Eine kurze Übersicht bitte.",
        "Quels sont les symptômes du diabète ? Fais une liste.",
        "mein Flug wurde wegen Streik gestrichen, schreib eine Beschwerde",
        "my RSA key expired, how do I renew it?",
        "my golf handicap dropped to 12, write a brag post",
    ], tags=("health", "dev_extra")),
    *many("special", [
        "je suis ⟦musulmane|SPECIAL⟧ et je voudrais une salle de prière au travail, écris à la RH",
        "Ich bin ⟦schwul|SPECIAL⟧ und mein Chef macht Witze darüber, hilf mir bei einer Antwort",
        "ich habe ⟦AfD|SPECIAL⟧ gewählt und meine Familie redet nicht mehr mit mir",
        "soy ⟦afiliada al sindicato|SPECIAL⟧ y mi jefe me lo ha preguntado, ¿es legal?",
        "mio fratello è ⟦in carcere|CRIMINAL⟧, scrivi una lettera al direttore per le visite",
    ], tags=("special", "dev_extra")),
    *many("special_clean", [
        "Was ist der Unterschied zwischen Sunniten und Schiiten?",
        "explique l'histoire du syndicalisme en France pour un exposé",
    ], tags=("special", "dev_extra")),
    *many("financial_hardship", [
        "j'ai des ⟦dettes|FINANCIAL_SITUATION⟧ et un ⟦huissier|FINANCIAL_SITUATION⟧ est passé, que faire ?",
        "Ich habe ⟦Schulden|FINANCIAL_SITUATION⟧ bei drei Banken, schreib einen Brief an die Schuldnerberatung",
        "estoy en ⟦paro|FINANCIAL_SITUATION⟧ desde enero, escribe una carta de presentación",
    ], tags=("financial", "dev_extra")),
    *many("financial_hardship", [
        "Wie funktioniert eine Privatinsolvenz in Deutschland?",
        "qu'est-ce que le surendettement ? explique simplement",
    ], tags=("financial", "dev_extra")),
    # Round 5: pay of a person stated as an amount with a period, without a hardship term.
    *many("financial_hardship", [
        "⟦xfirst⟧ makes ⟦€3,100 a month|FINANCIAL_SITUATION⟧ after tax, can she afford a 1,200 rent?",
        "my husband is on ⟦£38k a year|FINANCIAL_SITUATION⟧ and I work part time, do we qualify for help with childcare?",
        "she takes home ⟦€2,300 net per month|FINANCIAL_SITUATION⟧, write her a savings plan",
    ], tags=("financial", "dev_extra")),
    *many("financial_hardship", [
        "the average nurse in Spain makes €2,000 a month, make a comparison table",
        "the plan costs €12 a month, write the pricing page",
        "entry-level developers earn 45k a year in Berlin, is that fair?",
    ], tags=("financial", "dev_extra")),
    # Round 6: children named or aged the ways parents write them (their names and ages are CHILD_DATA,
    # unlike the earlier cases, which label a child's name PERSON), with clean look-alikes.
    *many("children", [
        "my ⟦7-year-old|CHILD_DATA⟧ keeps waking up at 5am, give me a calmer bedtime routine",
        "my kids ⟦kid⟧ and ⟦kid2⟧ are off school with a cold, write the absence note",
        "our twins ⟦kid⟧ and ⟦kid2⟧ (⟦4|CHILD_DATA⟧) start nursery in September, what should we pack?",
        "⟦kid⟧, my son, is ⟦8|CHILD_DATA⟧ and wants to join a football club — write to the coach",
        "my daughter (⟦14|CHILD_DATA⟧) wants her own phone, help me write a family phone contract",
        "my son is ⟦12|CHILD_DATA⟧ and gets bullied on the bus, draft an email to the head teacher",
        "my eldest, ⟦kid⟧, starts secondary school next week — write a good-luck card",
        "⟦kid⟧ (⟦11|CHILD_DATA⟧) from class 5b forgot his PE kit again, write a note to his teacher",
        "my boy ⟦kid⟧ has a fever and I need to cancel his dentist appointment",
        "my daughter is ⟦nine|CHILD_DATA⟧ and still can't swim, find lessons for beginners",
        "my son ⟦kid_lower⟧ has a ⟦peanut allergy|HEALTH⟧, write the note for the birthday party host",
        "my little one ⟦kid⟧ is turning ⟦3|CHILD_DATA⟧ on Sunday, plan a small party",
        "mon fils ⟦kid⟧, ⟦7 ans|CHILD_DATA⟧, a de la fièvre, écris un mot pour l'école",
        "mein Sohn ⟦kid⟧ (⟦8|CHILD_DATA⟧) ist krank, schreib eine Entschuldigung für die Schule",
        "my son has ⟦asthma|HEALTH⟧, he's ⟦9|CHILD_DATA⟧ and hates his inhaler — how do I make it fun?",
        "⟦kid⟧, ⟦6|CHILD_DATA⟧, is starting piano lessons, write a practice chart",
        "my son ⟦first⟧ (34) just bought his first house, write a card from his dad",
    ], tags=("child", "dev_extra")),
    *many("children", [
        "how tall is a typical 8 year old?",
        "my son loves dinosaurs, suggest a museum in London",
        "my 10 year old car makes a rattling noise, what could it be?",
        "games for 7-year-olds at a birthday party, please",
        "my son is a nurse and works nights, suggest a thoughtful gift",
        "what should a 14 year old know about money?",
        "our kids love Lego, suggest a rainy-day project",
        "is 12 too young for a smartphone?",
    ], tags=("child", "dev_extra")),
    # Round 6: debts, arrears and pay said of a person in words, with general finance talk.
    *many("financial_hardship", [
        "I ⟦owe the bank about 12k|FINANCIAL_SITUATION⟧ and the interest keeps growing, what are my options?",
        "we're ⟦three months behind on rent|FINANCIAL_SITUATION⟧ and the landlord wants to meet, help me prepare",
        "my brother ⟦declared bankruptcy|FINANCIAL_SITUATION⟧ last year, can he still rent a flat?",
        "she's ⟦on universal credit|FINANCIAL_SITUATION⟧ and her hours were cut, what help is there?",
        "I was ⟦made redundant|FINANCIAL_SITUATION⟧ and ⟦can't pay the mortgage|FINANCIAL_SITUATION⟧, write to "
        "the lender",
        "my ⟦credit score tanked after a default|FINANCIAL_SITUATION⟧, how long until it recovers?",
        "my sister has ⟦£20k in debt|FINANCIAL_SITUATION⟧ on store cards, how do I help without lending her money?",
        "my husband earns ⟦85k|FINANCIAL_SITUATION⟧ and I'm at home with the kids, do we pay too much tax?",
        "Employee: ⟦full⟧, Salary: ⟦€58,000|FINANCIAL_SITUATION⟧, start 1 March — draft the offer letter",
        "my mum ⟦went bankrupt|FINANCIAL_SITUATION⟧ in 2019 and is ashamed, how do I talk to her about it?",
        "I ⟦missed two EMIs|FINANCIAL_SITUATION⟧ on my car loan, write to the bank asking for more time",
        "she ⟦owes the landlord £1,200|FINANCIAL_SITUATION⟧ and wants a payment plan, draft the letter",
    ], tags=("financial", "dev_extra")),
    *many("financial_hardship", [
        "how does a mortgage work?",
        "what's the average salary of a nurse in Ireland?",
        "the company's debt rose to €2bn last year, summarise the annual report",
        "we need to pay off the technical debt in the billing service, write a plan",
        "set the default timeout to 30 seconds in my config",
        "our startup has no debt and 18 months of runway, write the investor update",
        "what is a credit default swap?",
        "the starting salary for this role is €45,000, write the job ad",
    ], tags=("financial", "dev_extra")),
]


# --------------------------------------------------------------------------------------
# Filling templates
# --------------------------------------------------------------------------------------

_MARK = re.compile(r"⟦([^⟦⟧]+)⟧")


def _split_rank(template: T) -> bytes:
    return hashlib.sha256(("residency-bench-split/" + template.text).encode()).digest()


def heldout_templates(templates: list[T]) -> set[str]:
    """Per group, the round(30 %) of its templates whose split hash is lowest (at least one per group)."""
    by_group: dict[str, list[T]] = {}
    for template in templates:
        by_group.setdefault(template.group, []).append(template)
    heldout: set[str] = set()
    for group_templates in by_group.values():
        count = max(1, round(HELDOUT_SHARE * len(group_templates)))
        heldout.update(t.text for t in sorted(group_templates, key=_split_rank)[:count])
    return heldout


def fill(template: T, instance: int, split: str) -> dict:
    rng = random.Random(f"{SEED}|{template.text}|{instance}")
    ctx = Context(rng)
    text, spans, position = "", [], 0
    for match in _MARK.finditer(template.text):
        text += template.text[position:match.start()]
        inner = match.group(1)
        if "|" in inner:
            value, label = inner.rsplit("|", 1)
        else:
            name, _, override = inner.partition(":")
            generate, label = G[name]
            if override:
                label = None if override == "-" else override
            value = ctx.values.get(name)
            if value is None:
                value = generate(ctx)
                ctx.values[name] = value
        if label:
            spans.append({"start": len(text), "end": len(text) + len(value), "label": label})
        text += value
        position = match.end()
    text += template.text[position:]
    template_id = hashlib.sha256(template.text.encode()).hexdigest()[:10]
    return {
        "id": f"res-{template.group}-{template_id}-{instance}",
        "text": text,
        "spans": spans,
        "meta": {"group": template.group, "template": template_id, "tags": list(template.tags),
                 "split": split},
    }


def build() -> list[dict]:
    heldout = heldout_templates(TEMPLATES)
    cases = [
        fill(template, i, "heldout" if template.text in heldout else "dev")
        for template in TEMPLATES
        for i in range(template.n)
    ] + [fill(template, i, "dev") for template in DEV_TEMPLATES for i in range(template.n)]
    ids = Counter(case["id"] for case in cases)
    duplicated = [case_id for case_id, count in ids.items() if count > 1]
    if duplicated:
        raise SystemExit(f"duplicate templates: {duplicated}")
    for case in cases:  # every span must cover exactly the value it was built from, without padding
        for span in case["spans"]:
            value = case["text"][span["start"]:span["end"]]
            assert value and value == value.strip(), (case["id"], span)
    return cases


def render(cases: list[dict]) -> str:
    return "".join(json.dumps(case, ensure_ascii=False, sort_keys=False) + "\n" for case in cases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed output is stale")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    cases = build()
    content = render(cases)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != content:
            print(f"{args.output} is stale: run python bench/data/build_cases.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(content, encoding="utf-8")
    groups = Counter((case["meta"]["group"], case["meta"]["split"]) for case in cases)
    for group in sorted({g for g, _ in groups}):
        print(f"{group:20} dev {groups[(group, 'dev')]:4}  heldout {groups[(group, 'heldout')]:4}")
    splits = Counter(case["meta"]["split"] for case in cases)
    print(f"{'total':20} dev {splits['dev']:4}  heldout {splits['heldout']:4}  ({len(cases)} cases) -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
