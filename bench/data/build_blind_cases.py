"""Build bench/data/residency_blind.jsonl: a blind, held-out set of chat prompts.

    python bench/data/build_blind_cases.py           # (re)write the file
    python bench/data/build_blind_cases.py --check   # fail if the committed file is stale

Written without looking at Residency's recognizers, their data or the other case set,
and never run through the detector while being written: an untuned measurement. Every
record is `heldout`; nothing here may be used to tune recognizers, context words,
thresholds or policy data.

Prompts carry inline markup, and every offset is computed here:

    ⟦LABEL:value⟧   a labelled span (value taken literally)
    ⟦LABEL:$key⟧    a labelled span whose value is the generated value VALUES[key]
    ⟪key⟫           a generated value with no label (a last-four, a documented example)

Generated identifiers carry valid check digits (Luhn for cards and NPI, ISO 13616 mod 97
and the national keys for IBANs, the published algorithms for Steuer-IdNr, RV-Nummer,
KVNR, NIR, DNI/NIE, codice fiscale, BSN, NHS, PESEL, Belgian national number,
personnummer, HETU, Aadhaar/Verhoeff); secrets are random strings in the vendors'
shapes from a fixed seed, not working credentials. Phone numbers are checked with
`phonenumbers` (a Presidio dependency) when it is installed.

Labelling conventions (see bench/data/README.md, "Blind held-out cases"):
- every regulated value is labelled; quasi-identifiers (dates, places, addresses, ages of
  adults, nationalities, URLs) are not, as in residency_cases;
- private individuals' names are PERSON wherever they appear (greeting, signature,
  lower case, first name only, mail header); titles (Mr, Dr, Mme) and possessive 's are
  outside the span; a child's name or age is CHILD_DATA instead;
- public figures in general-knowledge or news questions, fictional characters (including
  characters of the user's own novel or game), and documentation placeholders
  (jane.doe@example.com, +1-555-0100, Max Mustermann and the specimen ID card number,
  AWS's AKIAIOSFODNN7EXAMPLE) are not labelled;
- health, special-category and criminal data are labelled when said of an identifiable
  person, the user included ("I'm on lamotrigine"); the same topic in general is clean;
- service-account user names (billing_svc, root), private and documentation IP
  addresses, bank codes (sort codes, routing numbers, BIC/SWIFT), ticket, order and
  invoice numbers, card expiry dates and a card's last four digits are not labelled; a
  person's user name, customer, member or employee number is ACCOUNT_ID; a client's
  public IP address is IP_ADDRESS; role mailboxes are avoided;
- a salary or income of a named person is FINANCIAL_SITUATION, like debts and arrears.
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
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "residency_blind.jsonl"
sys.path.insert(0, str(HERE.parent.parent))

RNG = random.Random(20250607)
DIGITS = string.digits
UPPER = string.ascii_uppercase
ALNUM = string.ascii_letters + string.digits


def rand(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


# --------------------------------------------------------------------------- checksums

def luhn_check_digit(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return luhn_check_digit(number[:-1]) == number[-1]


def card(prefix: str, length: int) -> str:
    body = prefix + rand(DIGITS, length - len(prefix) - 1)
    return body + luhn_check_digit(body)


def group(s: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    out, i = [], 0
    for size in sizes:
        out.append(s[i:i + size])
        i += size
    assert i == len(s)
    return sep.join(out)


def iban_digits(s: str) -> str:
    return "".join(str(int(ch, 36)) for ch in s)


def iban(country: str, bban: str) -> str:
    check = 98 - int(iban_digits(bban + country + "00")) % 97
    value = f"{country}{check:02d}{bban}"
    assert int(iban_digits(value[4:] + value[:4])) % 97 == 1
    return value


def iban_grouped(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def es_control(bank: str, branch: str, account: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)

    def digit(ten: str) -> str:
        d = 11 - sum(int(c) * w for c, w in zip(ten, weights)) % 11
        return str({11: 0, 10: 1}.get(d, d))

    return digit("00" + bank + branch) + digit(account)


# Odd-position values of the Italian check character (codice fiscale and IBAN CIN).
_IT_ODD = dict(zip("0123456789", (1, 0, 5, 7, 9, 13, 15, 17, 19, 21)))
_IT_ODD.update(zip(UPPER, (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25,
                           24, 23)))


def _it_even(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - 65


def it_check_char(s: str) -> str:
    total = sum(_IT_ODD[c] if i % 2 == 0 else _it_even(c) for i, c in enumerate(s))
    return chr(65 + total % 26)


def it_bban() -> str:
    abi, cab, account = rand(DIGITS, 5), rand(DIGITS, 5), rand(DIGITS, 12)
    return it_check_char(abi + cab + account) + abi + cab + account


def nl_bban(bank: str) -> str:
    while True:
        account = rand(DIGITS, 10)
        if account[0] != "0" and sum(int(c) * w for c, w in zip(account, range(10, 0, -1))) % 11 == 0:
            return bank + account


def be_bban() -> str:
    first = rand(DIGITS, 10)
    key = int(first) % 97 or 97
    return f"{first}{key:02d}"


def de_tax_id() -> str:
    while True:
        digits = [RNG.choice("123456789")] + [RNG.choice(DIGITS) for _ in range(9)]
        counts = sorted((digits.count(d) for d in set(digits)), reverse=True)
        if counts[0] == 2 and counts.count(2) == 1 and len(set(digits)) == 9:
            break
    product = 10
    for ch in digits:
        total = (int(ch) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return "".join(digits) + str(check)


def _digit_sum(n: int) -> int:
    return n // 10 + n % 10


def de_rv_nummer(area: str, dob_ddmmyy: str, initial: str, serial: str) -> str:
    letter = f"{ord(initial) - 64:02d}"
    digits = area + dob_ddmmyy + letter + serial
    weights = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)
    check = sum(_digit_sum(int(c) * w) for c, w in zip(digits, weights)) % 10
    return f"{area}{dob_ddmmyy}{initial}{serial}{check}"


def de_kvnr(initial: str) -> str:
    body = rand(DIGITS, 8)
    digits = f"{ord(initial) - 64:02d}" + body
    check = sum(_digit_sum(int(c) * (1 if i % 2 == 0 else 2)) for i, c in enumerate(digits)) % 10
    return f"{initial}{body}{check}"


def de_document_number(first: str) -> str:
    alphabet = "CFGHJKLMNPRTVWXYZ0123456789"
    return first + rand(alphabet, 8)


def fr_nir(sex: str, yy: str, mm: str, dept: str, commune: str, order: str) -> str:
    body = sex + yy + mm + dept + commune + order
    key = 97 - int(body) % 97
    return f"{sex} {yy} {mm} {dept} {commune} {order} {key:02d}"


def es_dni(number: str) -> str:
    return number + "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23]


def es_nie(prefix: str, number: str) -> str:
    return prefix + number + "TRWAGMYFPDXBNJZSQVHLCKE"[int(str("XYZ".index(prefix)) + number) % 23]


def it_fiscal_code(base15: str) -> str:
    assert len(base15) == 15
    return base15 + it_check_char(base15)


def nl_bsn() -> str:
    while True:
        body = rand(DIGITS, 8)
        if body[0] == "0":
            continue
        last = sum(int(c) * w for c, w in zip(body, range(9, 1, -1))) % 11
        if last < 10:
            return body + str(last)


def uk_nhs() -> str:
    while True:
        body = RNG.choice("4") + rand(DIGITS, 8)  # England and Wales issue 400 000 000 - 499 999 999
        check = 11 - sum(int(c) * w for c, w in zip(body, range(10, 1, -1))) % 11
        if check == 11:
            check = 0
        if check != 10:
            return f"{body[:3]} {body[3:6]} {body[6:]}{check}"


def pl_pesel(yymmdd: str, serial: str) -> str:
    body = yymmdd + serial
    total = sum(int(c) * w for c, w in zip(body, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)))
    return body + str((10 - total % 10) % 10)


def be_national_number(yymmdd: str, serial: str) -> str:
    key = 97 - int(yymmdd + serial) % 97
    return f"{yymmdd[:2]}.{yymmdd[2:4]}.{yymmdd[4:]}-{serial}.{key:02d}"


def se_personnummer(yymmdd: str, serial: str) -> str:
    return f"{yymmdd}-{serial}{luhn_check_digit(yymmdd + serial)}"


def fi_hetu(ddmmyy: str, century: str, individual: str) -> str:
    return f"{ddmmyy}{century}{individual}" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(ddmmyy + individual) % 31]


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_check_digit(payload: str) -> str:
    c = 0
    for i, ch in enumerate(reversed(payload)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[(i + 1) % 8][int(ch)]]
    return str(_VERHOEFF_INV[c])


def verhoeff_valid(number: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(number)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[i % 8][int(ch)]]
    return c == 0


def aadhaar() -> str:
    body = RNG.choice("23456789") + rand(DIGITS, 10)
    value = body + verhoeff_check_digit(body)
    assert verhoeff_valid(value)
    return f"{value[:4]} {value[4:8]} {value[8:]}"


def us_npi() -> str:
    body = RNG.choice("12") + rand(DIGITS, 8)
    value = body + luhn_check_digit("80840" + body)
    assert luhn_valid("80840" + value)
    return value


def us_mbi() -> str:
    letters = "ACDEFGHJKMNPQRTUVWXY"  # no S, L, O, I, B, Z
    alnum = letters + DIGITS
    parts = [RNG.choice("123456789"), RNG.choice(letters), RNG.choice(alnum), RNG.choice(DIGITS),
             RNG.choice(letters), RNG.choice(alnum), RNG.choice(DIGITS), RNG.choice(letters),
             RNG.choice(letters), RNG.choice(DIGITS), RNG.choice(DIGITS)]
    s = "".join(parts)
    return f"{s[:4]}-{s[4:7]}-{s[7:]}"


# ----------------------------------------------------------------------------- secrets

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def github_classic(prefix: str = "ghp_") -> str:
    body = rand(ALNUM, 30)
    return prefix + body + base62(zlib.crc32(body.encode()), 6)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(payload: dict, alg: str = "HS256") -> str:
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = b64url(RNG.randbytes(32 if alg == "HS256" else 256))
    return f"{header}.{body}.{sig}"


def pem_block(kind: str, first: str, n_bytes: int, width: int) -> str:
    b64 = first + base64.b64encode(RNG.randbytes(n_bytes)).decode()
    lines = [b64[i:i + width] for i in range(0, len(b64), width)]
    return f"-----BEGIN {kind}-----\n" + "\n".join(lines) + f"\n-----END {kind}-----"


def eth_address() -> str:
    return "0x" + RNG.randbytes(20).hex()


# ---------------------------------------------------------------------- generated values

def build_values() -> dict[str, str]:
    v: dict[str, str] = {}
    # cards
    v["visa1"] = group(card("4", 16), (4, 4, 4, 4))
    v["visa1_last4"] = v["visa1"][-4:]
    v["visa2"] = card("4", 16)
    v["visa3"] = group(card("4", 16), (4, 4, 4, 4))
    v["visa4"] = card("4", 16)
    v["mc1"] = group(card("53", 16), (4, 4, 4, 4), "-")
    v["mc1_last4"] = v["mc1"][-4:]
    v["mc2"] = group(card("2431", 16), (4, 4, 4, 4))
    v["amex1"] = group(card("37", 15), (4, 6, 5))
    v["disc1"] = card("6011", 16)
    # IBANs (national check keys included)
    v["de1"] = iban_grouped(iban("DE", rand(DIGITS, 8) + rand(DIGITS, 10)))
    v["de2"] = iban("DE", rand(DIGITS, 18))
    bank, branch, acct = rand(DIGITS, 5), rand(DIGITS, 5), rand(DIGITS, 11)
    v["fr1"] = iban_grouped(iban("FR", bank + branch + acct + fr_rib_key(bank, branch, acct)))
    bank, branch, acct = rand(DIGITS, 4), rand(DIGITS, 4), rand(DIGITS, 10)
    v["es1"] = iban_grouped(iban("ES", bank + branch + es_control(bank, branch, acct) + acct))
    bank, branch, acct = rand(DIGITS, 4), rand(DIGITS, 4), rand(DIGITS, 10)
    v["es2"] = iban("ES", bank + branch + es_control(bank, branch, acct) + acct)
    v["it1"] = iban_grouped(iban("IT", it_bban()))
    v["it2"] = iban("IT", it_bban())
    v["nl1"] = iban_grouped(iban("NL", nl_bban("RABO")))
    v["gb1_lower"] = iban("GB", "MIDL" + "40051" + rand(DIGITS, 9)).lower()
    v["be1"] = iban_grouped(iban("BE", be_bban()))
    v["at1"] = iban_grouped(iban("AT", rand(DIGITS, 16)))
    v["eth1"] = eth_address()
    # government and health identifiers
    v["de_taxid1"] = (lambda t: f"{t[:2]} {t[2:5]} {t[5:8]} {t[8:]}")(de_tax_id())
    v["de_taxid2"] = de_tax_id()
    v["de_rvnr"] = (lambda r: f"{r[:2]} {r[2:8]} {r[8]} {r[9:]}")(de_rv_nummer("53", "140388", "K", "56"))
    v["kvnr1"] = de_kvnr("M")
    v["kvnr2"] = de_kvnr("B")
    v["de_idcard"] = de_document_number("L")
    v["de_pass"] = de_document_number("C")
    v["fr_nir1"] = fr_nir("2", "91", "07", "69", "123", "048")
    v["fr_nir2"] = fr_nir("1", "86", "11", "33", "063", "217")
    v["fr_passport"] = "19" + rand(UPPER, 2) + rand(DIGITS, 5)
    v["es_dni1"] = es_dni("4" + rand(DIGITS, 7))
    v["es_dni2"] = es_dni("7" + rand(DIGITS, 7))
    v["es_nie"] = es_nie("Y", rand(DIGITS, 7))
    v["it_cf1"] = it_fiscal_code("MRCSFO95C52F205")  # Marchetti Sofia, 12 Mar 1995, Milano
    v["it_cf2"] = it_fiscal_code("RSSGPP58L08H501")  # Rossi Giuseppe, 8 Jul 1958, Roma
    v["bsn1"] = nl_bsn()
    v["bsn2"] = nl_bsn()
    v["nhs1"] = uk_nhs()
    v["nhs2"] = uk_nhs().replace(" ", "")
    v["nino1"] = "JT" + rand(DIGITS, 6) + "C"
    v["nino2"] = "NP " + " ".join(rand(DIGITS, 2) for _ in range(3)) + " A"
    v["ukpass"] = "5" + rand(DIGITS, 8)
    v["ukdl"] = "OKAFO856255CN9KT"
    v["ssn1"] = f"{RNG.randint(100, 665)}-{RNG.randint(10, 99)}-{RNG.randint(1000, 9999)}"
    v["ssn2_compact"] = f"{RNG.randint(100, 665)}{RNG.randint(10, 99)}{RNG.randint(1000, 9999)}"
    v["ssn3"] = f"{RNG.randint(100, 665)} {RNG.randint(10, 99)} {RNG.randint(1000, 9999)}"
    v["itin"] = f"9{rand(DIGITS, 2)}-{RNG.randint(70, 88)}-{rand(DIGITS, 4)}"
    v["uspass"] = RNG.choice("56") + rand(DIGITS, 8)
    v["usdl"] = RNG.choice("BDFNY") + rand(DIGITS, 7)
    v["aadhaar"] = aadhaar()
    v["pan"] = rand(UPPER, 3) + "P" + "S" + rand(DIGITS, 4) + RNG.choice(UPPER)
    v["pesel"] = pl_pesel("920814", "0736")
    v["be_nn"] = be_national_number("870314", "127")
    v["se_pnr"] = se_personnummer("850709", "238")
    v["fi_hetu"] = fi_hetu("230489", "-", "412")
    v["mbi1"] = us_mbi()
    v["npi1"] = us_npi()
    # secrets
    b32 = UPPER + "234567"
    for i in (1, 2, 3):
        v[f"aws_ak{i}"] = "AKIA" + rand(b32, 16)
        v[f"aws_sk{i}"] = rand(ALNUM + "/+", 40)
    v["ghp1"] = github_classic()
    v["gho1"] = github_classic("gho_")
    v["ghpat"] = "github_pat_11" + rand(UPPER + DIGITS, 20) + "_" + rand(ALNUM, 59)
    v["glpat"] = "glpat-" + rand(ALNUM + "-_", 20)
    v["xoxb"] = f"xoxb-{rand(DIGITS, 12)}-{rand(DIGITS, 13)}-{rand(ALNUM, 24)}"
    v["sk_live"] = "sk_live_51" + rand(ALNUM, 97)
    v["rk_live"] = "rk_live_51" + rand(ALNUM, 97)
    v["openai"] = "sk-proj-" + rand(ALNUM + "-_", 74) + "T3BlbkFJ" + rand(ALNUM + "-_", 74)
    v["gkey"] = "AIza" + rand(ALNUM + "-_", 35)
    v["azkey"] = base64.b64encode(RNG.randbytes(64)).decode()
    v["hf"] = "hf_" + rand(ALNUM, 34)
    v["npm"] = "npm_" + rand(ALNUM, 36)
    v["sendgrid"] = "SG." + rand(ALNUM + "-_", 22) + "." + rand(ALNUM + "-_", 43)
    v["jwt1"] = jwt({"sub": "5d1f0c2a", "email": "r.okafor@quantaledger.io", "iat": 1715677200, "exp": 1715680800})
    v["jwt2"] = jwt({"sub": "user_88213", "scope": "read:profile", "iat": 1715674921, "exp": 1715678521}, "RS256")
    v["pk1"] = pem_block("OPENSSH PRIVATE KEY",
                         "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", 280, 70)
    v["pk2"] = pem_block("RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 420, 64)
    v["k8s_pw_b64"] = base64.b64encode(b"Zu!8mnQ-42xv").decode()
    v["biometric"] = "Rk1SACAyMAAA" + base64.b64encode(RNG.randbytes(48)).decode().rstrip("=")
    return v


# Phone numbers used in the prompts, with the region to parse national formats.
PHONE_REGIONS = {
    "+234 803 412 7765": "NG", "98450 31277": "IN", "087 219 4456": "IE", "+27 82 446 1093": "ZA",
    "06 12 45 78 90": "FR", "+84 913 582 406": "VN", "+34 612 348 901": "ES", "+251 911 620 844": "ET",
    "06 4178 2290": "NL", "+91 99001 48823": "IN", "0176 44321187": "DE", "+39 347 221 8890": "IT",
    "(415) 867-2291": "US", "+81 90-4821-3376": "JP", "07823 441906": "GB", "+254 712 448 093": "KE",
    "+82 10-4417-2289": "KR", "+31 6 2093 5518": "NL",
}


# ------------------------------------------------------------------------------- prompts
# (group, markup). Groups ending in _clean hold no regulated value.

CASES: list[tuple[str, str]] = [
    # ---- chat with names and contacts
    ("chat_pii", "can you write a short thank-you note to ⟦PERSON:Ngozi Adeyemi⟧ for covering my shift on saturday? "
                 "she prefers whatsapp so keep it short, her number is ⟦PHONE_NUMBER:+234 803 412 7765⟧"),
    ("chat_pii", "Draft a polite follow-up email to ⟦PERSON:Hiroshi Tanaka⟧ (⟦EMAIL_ADDRESS:h.tanaka@kobayashi-seiki.co.jp⟧) "
                 "asking if the samples arrived. Sign it from me, ⟦PERSON:Marta Kowalczyk⟧."),
    ("chat_pii", "pls fix grammar: hi ⟦PERSON:rahul⟧, as discussed i am sending the revised quote. call me on "
                 "⟦PHONE_NUMBER:98450 31277⟧ if any doubt. thanks, ⟦PERSON:deepa⟧"),
    ("chat_pii", "My landlord ⟦PERSON:Siobhan O'Connell⟧ keeps texting me from ⟦PHONE_NUMBER:087 219 4456⟧ at midnight. "
                 "How do I tell her to stop without sounding rude? (we're in Cork)"),
    ("chat_pii", "Translate to German please: 'Dear Mr ⟦PERSON:Oyelaran⟧, your appointment has been moved to Thursday. "
                 "Please confirm by replying to ⟦EMAIL_ADDRESS:c.weber@praxis-weber-hamburg.de⟧.'"),
    ("chat_pii", "Summarise this for my manager:\n\nHi all, the vendor review slipped to next sprint because legal has "
                 "not signed off. I'll chase tomorrow.\n\nBest,\n⟦PERSON:Thandiwe Mokoena⟧\nProcurement Lead\n"
                 "⟦PHONE_NUMBER:+27 82 446 1093⟧"),
    ("chat_pii", "who should i cc? ⟦PERSON:lukas brandt⟧ (⟦EMAIL_ADDRESS:lukas.brandt@gmx.de⟧) or ⟦PERSON:jana novakova⟧? "
                 "context: it's about the Q3 offsite budget"),
    ("chat_pii", "Write a LinkedIn recommendation for my former colleague ⟦PERSON:Wei Zhang⟧ - he led our data platform "
                 "migration at Zalando and mentored two juniors."),
    ("chat_pii", "my ex ⟦PERSON:Kemal Yıldız⟧ keeps logging in to my netflix from ⟦IP_ADDRESS:88.247.131.52⟧, "
                 "how can i kick him out for good"),
    ("chat_pii", "Peux-tu reformuler ce message pour Mme ⟦PERSON:Aurélie Dubois⟧ : « Bonjour, je vous rappelle au "
                 "⟦PHONE_NUMBER:06 12 45 78 90⟧ demain matin pour le devis. » un peu plus formel stp"),
    ("chat_pii", "ok so ⟦PERSON:Sipho⟧ said he'd send the deck by noon but he hasn't. write a nudge in slack tone, "
                 "not passive aggressive lol"),
    ("chat_pii", "Birthday wishes for my nani ⟦PERSON:Kamala Iyer⟧, she turns 80 on Sunday. something sweet in English "
                 "with one line in Tamil"),
    ("chat_pii", "create a vcard for: ⟦PERSON:Nguyen Thi Lan⟧, ⟦EMAIL_ADDRESS:lan.nguyen84@gmail.com⟧, "
                 "⟦PHONE_NUMBER:+84 913 582 406⟧, Hanoi"),
    ("chat_pii", "Meeting notes cleanup pls:\nattendees - ⟦PERSON:Björn Lindqvist⟧, ⟦PERSON:Ama Owusu⟧, "
                 "⟦PERSON:Javier Ortega Ruiz⟧\n- DPA redlines: ⟦PERSON:Ama⟧ by fri\n- pricing: ⟦PERSON:javier⟧ to check "
                 "with finance"),
    ("chat_pii", "what's a good gift for a coworker who's into climbing? her name is ⟦PERSON:Fatou Diallo⟧ if that "
                 "helps for a personalised card"),
    ("chat_pii", "⟦PERSON:김민준⟧ 님께 보낼 감사 이메일을 영어로 써줘. 연락처는 ⟦EMAIL_ADDRESS:minjun.kim@hanmail.net⟧ 이야"),
    ("chat_pii", "reply to this for me: 'hey it's ⟦PERSON:Mateo⟧ from the climbing gym, lost your number, text me at "
                 "⟦PHONE_NUMBER:+34 612 348 901⟧ 🙂'"),
    ("chat_pii", "Why did this commit break the build?\n\ncommit 9f2c1e7b4a0d83e5f6c21b9a7d4e0f3c8b2a1d6e\n"
                 "Author: ⟦PERSON:Tomasz Wójcik⟧ <⟦EMAIL_ADDRESS:tomasz.wojcik@fintrail.pl⟧>\n"
                 "Date:   Tue May 14 09:12:44 2024 +0200\n\n    bump pydantic to 2.7, drop v1 shims"),
    ("chat_pii", "the user ⟦ACCOUNT_ID:priya.s_88⟧ reported the bug from ⟦IP_ADDRESS:49.207.186.23⟧, can you help me "
                 "write the reply? her real name is ⟦PERSON:Priya Subramanian⟧"),
    ("chat_pii", "Call script for Mr ⟦PERSON:Abebe Bekele⟧ who ordered the standing desk; his phone is "
                 "⟦PHONE_NUMBER:+251 911 620 844⟧. keep it under 60 seconds"),
    ("chat_pii", "text my brother ⟦PERSON:Arjun⟧ happy anniversary from me and ⟦PERSON:Meera⟧, his number is "
                 "⟦PHONE_NUMBER:+91 99001 48823⟧ - actually just write the message, i'll send it"),
    ("chat_pii", "Can you turn this into a formal intro email?\n\n'⟦PERSON:Kenji⟧, meet ⟦PERSON:Olusegun Adebayo⟧ - "
                 "he's the freelance designer I told you about. ⟦PERSON:Segun⟧, ⟦PERSON:Kenji⟧ runs ops at our Osaka office. "
                 "⟦PERSON:Kenji⟧'s mobile is ⟦PHONE_NUMBER:+81 90-4821-3376⟧.'"),
    ("chat_pii", "⟦PERSON:Maribel Castillo⟧, cell ⟦PHONE_NUMBER:(415) 867-2291⟧, met her at the SF meetup - write a "
                 "short follow-up text about the design contract"),
    ("chat_pii", "mpesa payment to ⟦PERSON:Wanjiru Kamau⟧ ⟦PHONE_NUMBER:+254 712 448 093⟧ went to the wrong number, "
                 "how do I reverse it?"),
    ("chat_pii", "write a kakao message in korean inviting ⟦PERSON:Park Seo-yeon⟧ to dinner friday, her number is "
                 "⟦PHONE_NUMBER:+82 10-4417-2289⟧ in case you need it for the format"),
    # ---- support tickets and pasted mail
    ("support", "Ticket #48213 - customer ⟦PERSON:Elif Şahin⟧, customer no. ⟦ACCOUNT_ID:C-2047718⟧, says she was "
                "charged twice for the annual plan. email ⟦EMAIL_ADDRESS:elif.sahin@outlook.com⟧. write an apology + "
                "refund confirmation"),
    ("support", "From: ⟦PERSON:Giulia Romano⟧ <⟦EMAIL_ADDRESS:giulia.romano@libero.it⟧>\nSubject: rimborso ordine\n\n"
                "Buongiorno, ho restituito il pacco il 3 maggio ma non ho ancora ricevuto il rimborso. Il mio IBAN è "
                "⟦IBAN_CODE:$it1⟧.\nGrazie,\n⟦PERSON:Giulia⟧\n\n--\ncan you draft an answer in Italian?"),
    ("support", "summarize the issue from this chat log:\n[10:02] ⟦ACCOUNT_ID:dmitri_k⟧: my card got declined again\n"
                "[10:03] agent: can you confirm the card?\n[10:03] ⟦ACCOUNT_ID:dmitri_k⟧: the one ending ⟪visa1_last4⟫, "
                "full number ⟦CREDIT_CARD:$visa1⟧ exp 09/27"),
    ("support", "Need a Zendesk macro. Example ticket: 'Hi, I'm ⟦PERSON:Oluwaseun Bakare⟧, member ID "
                "⟦ACCOUNT_ID:GYM-558120⟧, I want to freeze my membership because I had ⟦HEALTH:knee surgery⟧ last week.'"),
    ("support", "Kun je hierop antwoorden? 'Beste, mijn pakket is nog steeds niet aangekomen, bestelnummer 7781-22. "
                "Groet, ⟦PERSON:Sanne de Vries⟧, ⟦PHONE_NUMBER:06 4178 2290⟧'"),
    ("support", "complaint from ⟦PERSON:rohit venkataraman⟧ (acct ⟦ACCOUNT_ID:88120457⟧): the app logged him out and "
                "now the OTP goes to his old number. what are the steps to update a phone on file?"),
    ("support", "PROJ-1182: Login fails for ⟦EMAIL_ADDRESS:k.mensah@kumasi-logistics.com⟧ since the password reset. "
                "Reporter: ⟦PERSON:Kofi Mensah⟧. Any workaround while we fix SSO?"),
    ("support", "Pls make this warmer: 'Dear Ms ⟦PERSON:Haddad⟧, we have received your documents including your "
                "passport copy (no. ⟦FR_PASSPORT:$fr_passport⟧) and will process your visa application within 10 "
                "working days.'"),
    ("support", "is this a scam? email from ⟦PERSON:Chen Jie⟧ in accounting says our supplier ⟦PERSON:Fernando Alves⟧ "
                "changed bank and wants the May invoice paid to ⟦IBAN_CODE:$es1⟧ instead"),
    ("support", "---------- Forwarded message ---------\nFrom: ⟦PERSON:Olga Ivanova⟧ <⟦EMAIL_ADDRESS:olga.ivanova@yandex.ru⟧>\n"
                "To: ⟦PERSON:Stefan Huber⟧ <⟦EMAIL_ADDRESS:s.huber@alpen-immo.at⟧>\n\n⟦PERSON:Stefan⟧, the deposit is in, "
                "please send the keys to my sister.\n\n--\nmake a short german reply saying keys are posted today"),
    ("support", "our helpdesk got this, what do we answer?\n\"hi my login is ⟦ACCOUNT_ID:anneke.bos⟧ and I can't reset "
                "my password because the sms goes to ⟦PHONE_NUMBER:+31 6 2093 5518⟧ which I don't have anymore\""),
    ("support", "categorise this review and draft a reply: '1 star. ⟦PERSON:Rebecca Thornton⟧ here, waited 40 min on the "
                "phone and nobody called me back on ⟦PHONE_NUMBER:07823 441906⟧. cancelling.'"),
    # ---- HR
    ("hr", "I need to write a performance improvement plan for ⟦PERSON:Jonas Meier⟧ (employee ID ⟦ACCOUNT_ID:E10492⟧). "
           "context: he's been missing deadlines since his ⟦HEALTH:burnout⟧ leave in March. keep it fair"),
    ("hr", "HR question: ⟦PERSON:Yasmin El-Amrani⟧ told me she's ⟦HEALTH:pregnant⟧ and asked me not to tell the team yet. "
           "can I move her off the night rota without saying why? (Germany)"),
    ("hr", "Write a reference letter for ⟦PERSON:Ivan Petrenko⟧, warehouse supervisor with us 2019-2023, salary when he "
           "left was ⟦FINANCIAL_SITUATION:€41,500 gross⟧ if they ask"),
    ("hr", "compute the % raise for each:\nname,current,new\n⟦PERSON:Anna Schmidt⟧,⟦FINANCIAL_SITUATION:58000⟧,"
           "⟦FINANCIAL_SITUATION:61500⟧\n⟦PERSON:Kwame Asante⟧,⟦FINANCIAL_SITUATION:52000⟧,⟦FINANCIAL_SITUATION:55000⟧\n"
           "⟦PERSON:Mei Ling Tan⟧,⟦FINANCIAL_SITUATION:64000⟧,⟦FINANCIAL_SITUATION:66000⟧"),
    ("hr", "one of my reports, ⟦PERSON:Chidi⟧, just told me he's ⟦TRADE_UNION:a member of Unite⟧ and wants a rep at our "
           "next 1:1. is that allowed in the UK?"),
    ("hr", "onboarding checklist for new hire ⟦PERSON:Sofia Marchetti⟧, starts 1 July. codice fiscale "
           "⟦IT_FISCAL_CODE:$it_cf1⟧, IBAN for payroll ⟦IBAN_CODE:$it2⟧"),
    ("hr", "Return-to-work interview template please. ⟦PERSON:Pieter Janssens⟧ was off 12 days with "
           "⟦HEALTH:pneumonia⟧ and is coming back on reduced hours."),
    ("hr", "how do I handle a grievance where ⟦PERSON:Marcus Bell⟧ says his line manager made comments about him being "
           "⟦SEXUAL_ORIENTATION:gay⟧?"),
    ("hr", "Background check came back for candidate ⟦PERSON:Darnell Price⟧: ⟦CRIMINAL:a 2016 conviction for "
           "shoplifting⟧, spent under the Rehabilitation of Offenders Act. can we still reject him?"),
    ("hr", "payroll: Mitarbeiterin ⟦PERSON:Hannah Köhler⟧, Steuer-ID ⟦DE_TAX_ID:$de_taxid1⟧, "
           "Sozialversicherungsnummer ⟦DE_SOCIAL_SECURITY:$de_rvnr⟧ - which of these go into the ELStAM registration?"),
    ("hr", "exit interview notes, tidy up: ⟦PERSON:Ravi Shankar Pillai⟧ leaving because ⟦FINANCIAL_SITUATION:he can't "
           "afford rent on his salary⟧, also mentioned ⟦HEALTH:anxiety⟧ since the reorg"),
    # ---- health
    ("health", "my mum ⟦PERSON:Rosa Jiménez⟧ takes ⟦HEALTH:warfarin⟧ and ⟦HEALTH:amiodarone⟧ - is that combo safe? "
               "her ⟦HEALTH:INR was 3.8⟧ last week"),
    ("health", "I was diagnosed with ⟦HEALTH:bipolar II⟧ last month and started ⟦HEALTH:lamotrigine⟧. how long until it "
               "works? also can I drink at my sister's wedding"),
    ("health", "Summarise for a referral letter: Pt ⟦PERSON:Oluwadamilare Ogunleye⟧, MRN ⟦MEDICAL_ID:00482913⟧, 58M, "
               "⟦HEALTH:poorly controlled T2DM⟧, ⟦HEALTH:HbA1c 9.1%⟧, on ⟦HEALTH:metformin 1g BD⟧, "
               "⟦HEALTH:background diabetic retinopathy⟧ at last review."),
    ("health", "NHS number ⟦UK_NHS:$nhs1⟧ - my GP says my ⟦HEALTH:repeat prescription for sertraline⟧ was sent but the "
               "pharmacy can't find it. who do I call?"),
    ("health", "Meine Krankenversichertennummer ist ⟦DE_HEALTH_INSURANCE:$kvnr1⟧, die TK will einen Nachweis über meine "
               "⟦HEALTH:Physiotherapie nach dem Bandscheibenvorfall⟧. Wie formuliere ich das Schreiben?"),
    ("health", "im 34 and just found out i have ⟦HEALTH:hashimoto's⟧, ⟦HEALTH:tsh was 8.2⟧. what should i ask the endo"),
    ("health", "Medicare question: my husband ⟦PERSON:Gerald Whitfield⟧, MBI ⟦US_MBI:$mbi1⟧, got denied for his "
               "⟦HEALTH:CPAP machine⟧. draft an appeal letter"),
    ("health", "Prior auth letter: prescriber Dr. ⟦PERSON:Amara Nwosu⟧, NPI ⟦US_NPI:$npi1⟧, patient "
               "⟦PERSON:Lisa Hoffman⟧, requesting ⟦HEALTH:Ozempic⟧ for ⟦HEALTH:obesity (BMI 38)⟧ with "
               "⟦HEALTH:prediabetes⟧."),
    ("health", "my boyfriend has been ⟦HEALTH:self-harming⟧ again and I don't know what to say to him. his name's "
               "⟦PERSON:Callum⟧ if you want to write something I can send"),
    ("health", "I'm on ⟦HEALTH:PrEP⟧ (⟦HEALTH:Descovy⟧) and missed 3 doses, do I need to restart the lead-in?"),
    ("health", "Translate to Spanish for my patient ⟦PERSON:Rosa Elena Quispe⟧: 'your ⟦HEALTH:biopsy showed early-stage "
               "cervical cancer⟧; we will discuss treatment options on Thursday.'"),
    ("health", "explain these in simple words, they're my dad's bloods, he's 69: ⟦HEALTH:Creatinine 2.1 mg/dL (H), "
               "eGFR 31 (L)⟧"),
    ("health", "I had a ⟦HEALTH:miscarriage⟧ two weeks ago and my manager wants me back on monday. what are my rights in "
               "france?"),
    ("health", "Patientin ⟦PERSON:Ewa Zielińska⟧, Versichertennummer ⟦DE_HEALTH_INSURANCE:$kvnr2⟧, ⟦HEALTH:Z.n. "
               "Hüft-TEP links⟧ - bitte Entlassbrief kürzen"),
    ("health", "NHS no ⟦UK_NHS:$nhs2⟧, can you help me write to PALS? my ⟦HEALTH:MRI for suspected MS⟧ has been "
               "cancelled twice"),
    ("health", "my 70 yo father ⟦PERSON:Mohammed Al-Sayed⟧ has ⟦HEALTH:early Alzheimer's⟧ and keeps forgetting his "
               "⟦HEALTH:donepezil⟧. any pill reminder apps that work in Arabic?"),
    # ---- cards
    ("cards", "pay the invoice for me? card ⟦CREDIT_CARD:$mc1⟧ exp 11/26 cvv ⟦CARD_SECURITY_CODE:318⟧, name on card "
              "⟦PERSON:Sarah Lindgren⟧"),
    ("cards", "found this in our app logs, is this a PCI problem?\n2024-05-14T09:12:44Z INFO checkout "
              "payload={\"pan\":\"⟦CREDIT_CARD:$visa2⟧\",\"exp\":\"0827\",\"amount\":4999}"),
    ("cards", "Amex ⟦CREDIT_CARD:$amex1⟧ got charged twice by the hotel, how do I dispute?"),
    ("cards", "my card number is ⟦CREDIT_CARD:$disc1⟧ can u tell me which bank issued it"),
    ("cards", "extract into json pls: 'Name on card: ⟦PERSON:Haruto Sato⟧ / Number: ⟦CREDIT_CARD:$mc2⟧ / "
              "Security code: ⟦CARD_SECURITY_CODE:774⟧'"),
    ("cards", "Karte geklaut: ⟦CREDIT_CARD:$visa3⟧ (Debitkarte Sparkasse). Was sage ich beim Sperr-Notruf 116 116?"),
    ("cards", "UPDATE payments SET card_number='⟦CREDIT_CARD:$visa4⟧' WHERE customer_id=⟦ACCOUNT_ID:99812⟧;\n"
              "why does this error with value too long for type character varying(12)"),
    ("cards", "my PIN for the card ending ⟪mc1_last4⟫ is ⟦CARD_SECURITY_CODE:4826⟧, I keep forgetting it, make me a "
              "mnemonic"),
    # ---- finance
    ("finance", "Überweisung vorbereiten: Empfängerin ⟦PERSON:Katrin Vogel⟧, IBAN ⟦IBAN_CODE:$de1⟧, Verwendungszweck "
                "Miete Juni. Kannst du mir den Text für die Banking-App formulieren?"),
    ("finance", "what's the BIC for ⟦IBAN_CODE:$fr1⟧?"),
    ("finance", "I'm ⟦FINANCIAL_SITUATION:£9,400 behind on council tax and rent⟧ and the bailiffs wrote to me. "
                "what can i do, i'm in leeds"),
    ("finance", "honestly ⟦FINANCIAL_SITUATION:we're drowning in debt, about 23k across three credit cards⟧. should "
                "we look at an IVA or bankruptcy?"),
    ("finance", "Ik heb een betalingsregeling nodig, ⟦FINANCIAL_SITUATION:ik heb drie maanden huurachterstand⟧. Mijn "
                "rekeningnummer is ⟦IBAN_CODE:$nl1⟧. Help me een brief te schrijven aan de woningcorporatie."),
    ("finance", "bank details for my freelance invoice, format nicely: ⟦PERSON:Aisha Rahman⟧, sort code 20-32-06, "
                "account no ⟦BANK_ACCOUNT:43918275⟧"),
    ("finance", "US wire: routing 021000021, account ⟦BANK_ACCOUNT:483920117745⟧, beneficiary ⟦PERSON:Luis Ferreira⟧ - "
                "is that routing number right for chase NY?"),
    ("finance", "can you check this iban is valid: ⟦IBAN_CODE:$gb1_lower⟧"),
    ("finance", "send the 120 EUR refund to ⟦IBAN_CODE:$be1⟧ please, account holder ⟦PERSON:Lotte Peeters⟧ - write "
                "the note to finance"),
    ("finance", "Mi IBAN es ⟦IBAN_CODE:$es2⟧, ¿cómo domicilio el recibo de la luz?"),
    ("finance", "eth address for my payout: ⟦CRYPTO:$eth1⟧ - how do i check it's the right network before sending"),
    ("finance", "my credit score dropped to ⟦FINANCIAL_SITUATION:540 after a default on my car loan⟧, can I still "
                "get a mortgage in Ireland?"),
    ("finance", "Loan summary for the credit committee: applicant ⟦PERSON:Nomvula Dlamini⟧, ⟦FINANCIAL_SITUATION:net "
                "income R18,500/month, existing debt R240,000⟧, wants a R1.2m bond."),
    ("finance", "Miete geht ab jetzt auf ⟦IBAN_CODE:$at1⟧ (Vermieter ⟦PERSON:Herbert Gruber⟧), wie ändere ich den "
                "Dauerauftrag bei George?"),
    # ---- government identifiers
    ("gov_id", "Für die Kontoeröffnung: Personalausweisnummer ⟦DE_ID_CARD:$de_idcard⟧, gültig bis 2031. Was brauche ich "
               "noch fürs VideoIdent?"),
    ("gov_id", "steuer-id ⟦DE_TAX_ID:$de_taxid2⟧ - wo trage ich die in der Anlage N ein?"),
    ("gov_id", "Mon numéro de sécu c'est le ⟦FR_NIR:$fr_nir1⟧, ameli me demande de le confirmer, c'est quoi la clé à la "
               "fin ?"),
    ("gov_id", "For the French payroll file: employee ⟦PERSON:Julien Moreau⟧, NIR ⟦FR_NIR:$fr_nir2⟧ - which DSN block "
               "carries it?"),
    ("gov_id", "rellena este formulario con mis datos: nombre ⟦PERSON:Lucía Fernández Gil⟧, DNI ⟦ES_NIF:$es_dni1⟧, "
               "domicilio calle de Alcalá 120, Madrid"),
    ("gov_id", "my NIE is ⟦ES_NIE:$es_nie⟧, how do I get a certificado digital as a foreigner?"),
    ("gov_id", "controlla se il codice fiscale di mio padre è corretto: ⟦IT_FISCAL_CODE:$it_cf2⟧"),
    ("gov_id", "ho perso la carta d'identità n. ⟦IT_IDENTITY_CARD:CA71938KD⟧, cosa devo fare per la denuncia?"),
    ("gov_id", "Mijn BSN is ⟦NL_BSN:$bsn1⟧, waarom vraagt de huisarts daarom?"),
    ("gov_id", "new contractor in Utrecht: ⟦PERSON:Daan Visser⟧, BSN ⟦NL_BSN:$bsn2⟧. how do i set him up in AFAS?"),
    ("gov_id", "my NI number ⟦UK_NINO:$nino1⟧ isn't showing on my payslip, what do I tell payroll"),
    ("gov_id", "renewing stuff: passport ⟦UK_PASSPORT:$ukpass⟧, driving licence ⟦UK_DRIVING_LICENCE:$ukdl⟧ - can I use "
               "the licence as ID for the DBS check?"),
    ("gov_id", "IRS letter says SSN ⟦US_SSN:$ssn1⟧ doesn't match my name ⟦PERSON:Tyrone Jackson⟧. what do I do?"),
    ("gov_id", "W-4 helper: ssn=⟦US_SSN:$ssn2_compact⟧ filing status single, one job. what goes in step 4?"),
    ("gov_id", "my wife uses ITIN ⟦US_ITIN:$itin⟧, can we file jointly?"),
    ("gov_id", "Passport no. ⟦US_PASSPORT:$uspass⟧ expires in 5 months, can I still enter Thailand?"),
    ("gov_id", "california dl ⟦US_DRIVER_LICENSE:$usdl⟧ got suspended for unpaid parking tickets, how do i reinstate"),
    ("gov_id", "Aadhaar ⟦NATIONAL_ID:$aadhaar⟧ ko PAN ⟦TAX_ID:$pan⟧ se link kaise karu? deadline kya hai"),
    ("gov_id", "PESEL ⟦PL_PESEL:$pesel⟧ - czy mogę złożyć wniosek o paszport online?"),
    ("gov_id", "rijksregisternummer ⟦BE_NATIONAL_NUMBER:$be_nn⟧, hoe log ik in op MyMinfin zonder itsme?"),
    ("gov_id", "mitt personnummer är ⟦SE_PERSONNUMMER:$se_pnr⟧ - can you help me fill in the Skatteverket form in "
               "English?"),
    ("gov_id", "henkilötunnus ⟦FI_PERSONAL_IDENTITY_CODE:$fi_hetu⟧ - what is the letter at the end for?"),
    ("gov_id", "Online check-in: ⟦PERSON:Adaeze Okonkwo⟧, passport ⟦PASSPORT:A09274415⟧ (Nigerian), DOB 12/03/1991. "
               "Which fields go where on the Lufthansa form?"),
    ("gov_id", "ESTA asks for my passport number, it's ⟦DE_PASSPORT:$de_pass⟧ (German) - do I type the letter C too?"),
    ("gov_id", "UK national insurance for my nanny ⟦PERSON:Grace Mwangi⟧ - NI ⟦UK_NINO:$nino2⟧, does she need a P46?"),
    ("gov_id", "SSN on the form is ⟦US_SSN:$ssn3⟧ but the bank rejected it, is the format wrong?"),
    ("gov_id", "DNI de mi madre ⟦ES_NIF:$es_dni2⟧, ⟦PERSON:Carmen Ruiz⟧, ¿cómo pido cita previa para renovarlo?"),
    # ---- secrets and dev-ops
    ("secrets", "why is boto3 saying InvalidClientTokenId?\n\n```python\ns3 = boto3.client('s3',\n"
                "    aws_access_key_id='⟦AWS_ACCESS_KEY:$aws_ak1⟧',\n"
                "    aws_secret_access_key='⟦AWS_SECRET_KEY:$aws_sk1⟧',\n    region_name='eu-central-1')\n```"),
    ("secrets", "~/.aws/credentials:\n[default]\naws_access_key_id = ⟦AWS_ACCESS_KEY:$aws_ak2⟧\n"
                "aws_secret_access_key = ⟦AWS_SECRET_KEY:$aws_sk2⟧\n\nis this format right? the cli ignores it"),
    ("secrets", "git push keeps asking for a password, i set the remote to "
                "https://⟦GITHUB_TOKEN:$ghp1⟧@github.com/acme-internal/infra.git is that wrong?"),
    ("secrets", "workflow fails with 'Bad credentials':\n```yaml\nenv:\n  GH_TOKEN: ⟦GITHUB_TOKEN:$ghpat⟧\nsteps:\n"
                "  - run: gh release create v1.4.2\n```"),
    ("secrets", "gitlab runner register gives 403 with token ⟦GITLAB_TOKEN:$glpat⟧ - scope problem?"),
    ("secrets", "curl -X POST -H 'Authorization: Bearer ⟦SLACK_TOKEN:$xoxb⟧' -H 'Content-type: application/json' "
                "--data '{\"channel\":\"C04HX2L9QJ\",\"text\":\"deploy done\"}' https://slack.com/api/chat.postMessage"
                "\n\nreturns not_in_channel, why"),
    ("secrets", "stripe.api_key = \"⟦STRIPE_KEY:$sk_live⟧\"\ncharge works in test mode but live says card_declined for "
                "every card?"),
    ("secrets", "export OPENAI_API_KEY=⟦OPENAI_API_KEY:$openai⟧\npython app.py  -> 429 insufficient_quota. i literally "
                "just topped up?!"),
    ("secrets", "my maps embed shows 'for development purposes only', the key is ⟦GOOGLE_API_KEY:$gkey⟧ - billing is on"),
    ("secrets", "DefaultEndpointsProtocol=https;AccountName=prodlogs01;AccountKey=⟦AZURE_KEY:$azkey⟧;"
                "EndpointSuffix=core.windows.net\n\nthis connection string fails in Azure Functions, what's wrong"),
    ("secrets", "decode this jwt and tell me why it's rejected: ⟦JWT:$jwt1⟧"),
    ("secrets", "ssh says 'invalid format' for this key, what's wrong?\n\n⟦PRIVATE_KEY:$pk1⟧"),
    ("secrets", "DATABASE_URL=postgresql://billing_svc:⟦PASSWORD:Xq7!vR2#pLm9⟧@10.20.4.11:5432/billing\n"
                "sqlalchemy says could not translate host name. why??"),
    ("secrets", "my wifi password is ⟦PASSWORD:sunflower_1987⟧ and my neighbour keeps connecting, how do i kick them"),
    ("secrets", "docker-compose.yml:\n```\nservices:\n  db:\n    image: mysql:8.4\n    environment:\n"
                "      MYSQL_ROOT_PASSWORD: ⟦PASSWORD:h4Rd2Gu3ss!⟧\n```\ncontainer exits with code 1, logs say "
                "'Access denied'"),
    ("secrets", "Mein Passwort fürs Firmen-VPN ist ⟦PASSWORD:Sommer2024!⟧ - ist das sicher genug?"),
    ("secrets", "login: ⟦ACCOUNT_ID:mkowalski⟧ / pw: ⟦PASSWORD:Kasia#0412⟧ - the SSO page keeps looping, any idea"),
    ("secrets", "HF_TOKEN=⟦API_KEY:$hf⟧\nhuggingface-cli login says invalid token"),
    ("secrets", ".npmrc:\n//registry.npmjs.org/:_authToken=⟦API_KEY:$npm⟧\n\nnpm publish gives E401"),
    ("secrets", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-creds\ntype: Opaque\ndata:\n  username: YXBw\n"
                "  password: ⟦PASSWORD:$k8s_pw_b64⟧\n\nthe pod can't log in, is the base64 wrong?"),
    ("secrets", "why 401 here?\n⟦IP_ADDRESS:84.137.22.190⟧ - - [14/May/2024:10:22:01 +0200] \"GET "
                "/api/v1/me?access_token=⟦JWT:$jwt2⟧ HTTP/1.1\" 401 53 \"-\" \"okhttp/4.12.0\""),
    ("secrets", "spring.mail.host=smtp.gmail.com\nspring.mail.username=⟦EMAIL_ADDRESS:noah.fischer@bergmann-logistik.de⟧\n"
                "spring.mail.password=⟦PASSWORD:wqlz ptrx hmvb kdje⟧\n\nAuthenticationFailedException 535, what now"),
    ("secrets", "checkov complains about this, why?\n```hcl\nprovider \"aws\" {\n  region     = \"eu-west-1\"\n"
                "  access_key = \"⟦AWS_ACCESS_KEY:$aws_ak3⟧\"\n  secret_key = \"⟦AWS_SECRET_KEY:$aws_sk3⟧\"\n}\n```"),
    ("secrets", "sendgrid returns 403 forbidden: sg.client = SendGridAPIClient('⟦API_KEY:$sendgrid⟧')"),
    ("secrets", "the ingress cert won't load:\n```\ntls.key: |\n⟦PRIVATE_KEY:$pk2⟧\n```"),
    ("secrets", "oauth callback returns access_token=⟦GITHUB_TOKEN:$gho1⟧ but /user gives 401?"),
    ("secrets", "restricted key ⟦STRIPE_KEY:$rk_live⟧ can't list payouts - which permission do i tick?"),
    # ---- special categories and Art. 10
    ("special", "I'm ⟦RELIGION:Muslim⟧ and fasting for Ramadan, can you adjust this meal plan for iftar and suhoor? "
                "I'm also ⟦HEALTH:type 1 diabetic⟧"),
    ("special", "coming out to my parents next week as ⟦SEXUAL_ORIENTATION:bi⟧. they're ⟦RELIGION:very conservative "
                "Catholics⟧. help me write a letter"),
    ("special", "my colleague ⟦PERSON:Tariq⟧ told me he's ⟦RELIGION:Ahmadi⟧ and other staff harass him for it. how do "
                "I report this anonymously?"),
    ("special", "Entwurf an den Betriebsrat: ich bin seit 2015 ⟦TRADE_UNION:ver.di-Mitglied⟧ und möchte für die Wahl "
                "kandidieren."),
    ("special", "I'm a ⟦POLITICAL_OPINION:card-carrying Labour member⟧ and my boss is ⟦POLITICAL_OPINION:a Tory "
                "donor⟧, should I keep quiet about it at work?"),
    ("special", "For the diversity form my background is ⟦ETHNIC_ORIGIN:Romani⟧ - do I tick 'White other' or 'Gypsy or "
                "Irish Traveller'?"),
    ("special", "write a cover letter for me. i have ⟦CRIMINAL:a conviction for possession with intent from 2018⟧, "
                "did 14 months, and want to be upfront about it"),
    ("special", "my neighbour ⟦PERSON:Gary Holt⟧ is ⟦CRIMINAL:on the sex offenders register⟧, can I tell the other "
                "parents at school?"),
    ("special", "we store fingerprint templates for the time clock, one record looks like "
                "{\"emp\":\"⟦ACCOUNT_ID:E4471⟧\",\"template\":\"⟦BIOMETRIC_DATA:$biometric⟧\"} - is this art. 9 data?"),
    ("special", "23andme says I'm a ⟦GENETIC_DATA:BRCA1 carrier⟧. should I tell my sisters, and does my employer ever "
                "need to know?"),
    ("special", "⟦PERSON:Ji-woo Park⟧ on my team came out as ⟦SEXUAL_ORIENTATION:lesbian⟧ at the offsite and someone "
                "made a joke. what should I do as her manager?"),
    ("special", "Mon mari ⟦PERSON:Théo⟧ ⟦POLITICAL_OPINION:milite à La France insoumise⟧ et ça crée des tensions avec "
                "ma famille, des conseils ?"),
    ("special", "my wife's phone last pinged at ⟦GEO_COORDINATES:52.52437, 13.41053⟧ and she's not answering, how "
                "accurate is find my?"),
    ("special", "tenant ref for ⟦PERSON:Yosef Mizrahi⟧: he asked for a ground-floor flat because he's ⟦RELIGION:an "
                "orthodox Jew⟧ and doesn't use the lift on Shabbat. reword so it's not weird"),
    ("special", "Is it discrimination? my manager said ⟦ETHNIC_ORIGIN:Kurdish⟧ guys like me 'don't fit the client "
                "profile'"),
    ("special", "help me write to the parole board on behalf of my brother ⟦PERSON:Dean⟧, he ⟦CRIMINAL:served 6 years "
                "for aggravated burglary⟧ and has been clean since"),
    # ---- children
    ("children", "write an excuse note for school: my son ⟦CHILD_DATA:Liam⟧ (⟦CHILD_DATA:8⟧) was home yesterday with "
                 "⟦HEALTH:a stomach bug⟧.\n- ⟦PERSON:Claire Dunne⟧"),
    ("children", "my ⟦CHILD_DATA:6 year old⟧ ⟦CHILD_DATA:Aarav⟧ was just diagnosed with ⟦HEALTH:ADHD⟧ and the teacher "
                 "wants meds. what are the non-drug options?"),
    ("children", "birthday party invite for ⟦CHILD_DATA:Emma Schneider⟧ turning ⟦CHILD_DATA:5⟧, RSVP to her mum "
                 "⟦PERSON:Julia⟧ at ⟦PHONE_NUMBER:0176 44321187⟧"),
    ("children", "IEP meeting prep: student ⟦CHILD_DATA:Malik Johnson⟧, grade 3, ⟦HEALTH:autism⟧ and ⟦HEALTH:speech "
                 "delay⟧. list accommodations to ask for"),
    ("children", "my ⟦CHILD_DATA:14yo⟧ daughter is being bullied on snapchat, her handle is ⟦ACCOUNT_ID:zoe.k_2010⟧. "
                 "how do i report the accounts doing it?"),
    ("children", "mia figlia ⟦CHILD_DATA:Giorgia⟧ ha ⟦CHILD_DATA:3 anni⟧ e ⟦HEALTH:un'allergia alle arachidi⟧, "
                 "scrivi un messaggio per l'asilo (contatto: ⟦PHONE_NUMBER:+39 347 221 8890⟧)"),

    # ================================================================= without regulated data
    # ---- public figures and news
    ("public_clean", "What did Angela Merkel mean by 'Wir schaffen das' in 2015? give some context"),
    ("public_clean", "Compare the economic policies of Narendra Modi and Manmohan Singh, 3 bullets each"),
    ("public_clean", "who scored for Argentina in the 2022 world cup final? Messi twice and Di María right?"),
    ("public_clean", "Summarise Chimamanda Ngozi Adichie's TED talk 'The Danger of a Single Story'."),
    ("public_clean", "Did Xi Jinping attend the G20 summit in Rio?"),
    ("public_clean", "Write a 150-word bio of Marie Curie for a poster in the lobby."),
    ("public_clean", "why did elon musk rename twitter to X"),
    ("public_clean", "Is it true Haruki Murakami runs marathons? which book is about that?"),
    ("public_clean", "explain the Taylor Swift masters dispute like I'm five"),
    ("public_clean", "What is Cyril Ramaphosa's position on the Government of National Unity?"),
    ("public_clean", "Was hat Olaf Scholz zur Zeitenwende gesagt? Kurz zusammenfassen."),
    # ---- fiction
    ("fiction_clean", "In Pride and Prejudice, why does Elizabeth Bennet turn down Mr Collins?"),
    ("fiction_clean", "write a scene where Sherlock Holmes meets Hercule Poirot on a night train to Edinburgh"),
    ("fiction_clean", "D&D npc ideas: a dwarf blacksmith called Borin Ironfoot with a gambling debt and a secret"),
    ("fiction_clean", "In Breaking Bad, what exactly was Walter White's cancer diagnosis?"),
    ("fiction_clean", "character sheet for my novel: Amara Osei, 34, a nurse in Accra, secretly in debt, widowed. "
                      "give her a backstory"),
    # ---- code and technical look-alikes
    ("tech_clean", "difference between uuid4 and uuid7? e.g. 018f3c2a-7b1e-7c4d-9a2b-3f5e6d7c8b9a"),
    ("tech_clean", "git revert 3f9a1c2e8b7d4f6a0e5c9b1d2a3f4e5c6b7a8d9e vs git reset --hard, which for a pushed "
                   "commit?"),
    ("tech_clean", "python:3.12.3-slim-bookworm vs alpine for a fastapi app?"),
    ("tech_clean", "nginx keeps returning 502:\n```\nupstream api { server 10.0.3.15:8080; server 10.0.3.16:8080; }\n"
                   "```\nbackends are up"),
    ("tech_clean", "regex to validate emails like user@example.com but reject user@@example.com"),
    ("tech_clean", "why is the sha256 of an empty string "
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855?"),
    ("tech_clean", "kubectl get pods shows CrashLoopBackOff for api-7d9f8b6c5-x2kqz, how do I debug it"),
    ("tech_clean", "python: how do I parse '2024-05-14T09:12:44+02:00' into an aware datetime"),
    ("tech_clean", "Write a pydantic model for a User with name, email and phone fields and a validator for E.164 "
                   "numbers"),
    ("tech_clean", "what does HTTP 418 mean"),
    ("tech_clean", "ERROR: Could not find a version that satisfies the requirement torch==2.3.0+cu121 - help"),
    ("tech_clean", "How do I mask PII in logs with structlog? e.g. replace any email with ***"),
    ("tech_clean", "In Postgres is ctid stable? I saw (0,12) and (3,7) in the output"),
    ("tech_clean", "SELECT name, email FROM customers WHERE created_at > now() - interval '30 days';\nhow to make this "
                   "faster with an index"),
    ("tech_clean", "our API docs show {\"email\": \"jane.doe@example.com\", \"phone\": \"+1-555-0100\"} as the sample "
                   "request. is +1-555-0100 a safe fictional number?"),
    ("tech_clean", "Our test fixtures use the specimen data from the German ID card: Max Mustermann, card number "
                   "T22000129. Is that fine to commit?"),
    ("tech_clean", "ping 192.0.2.10 works but curl https://198.51.100.7 times out, firewall?"),
    ("tech_clean", "semver question: is 2.0.0-rc.1 lower than 2.0.0? and where does 1.10.3 sort"),
    # ---- secrets talk without secrets
    ("secrets_clean", "The password field must be at least 12 characters with one digit and one symbol. Write the zod "
                      "schema."),
    ("secrets_clean", "our README shows AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE as a placeholder, is that the official "
                      "AWS example value?"),
    ("secrets_clean", "how do i rotate a github personal access token without breaking CI"),
    ("secrets_clean", "config:\n```yaml\ndb:\n  user: app\n  password: ${DB_PASSWORD}\n```\nhow do I inject "
                      "DB_PASSWORD from Vault in k8s?"),
    ("secrets_clean", "what's the format of a Stripe secret key vs a publishable key? no real ones needed"),
    ("secrets_clean", "Forgot-password flow: should the reset token be a JWT or a random string? pros/cons"),
    ("secrets_clean", "is 'correct horse battery staple' still a good password strategy?"),
    ("secrets_clean", "export OPENAI_API_KEY=<your-key-here> doesn't persist after I close the terminal on mac"),
    ("secrets_clean", ".env.example:\nSTRIPE_KEY=sk_test_xxx\nSLACK_BOT_TOKEN=xoxb-your-token-here\n\nshould "
                      ".env.example be committed?"),
    ("secrets_clean", "RSA vs ed25519 for a new ssh key, which should I generate?"),
    ("secrets_clean", "Passwort vergessen bei der Sparkasse-App, wie setze ich das zurück?"),
    # ---- health in general
    ("health_clean", "What are the early symptoms of type 2 diabetes?"),
    ("health_clean", "can you take ibuprofen and paracetamol together? general guidance"),
    ("health_clean", "Explain how mRNA vaccines work to a 10 year old"),
    ("health_clean", "What's the usual starting dose of sertraline for adults per NICE?"),
    ("health_clean", "write a blog post about burnout in software engineering teams"),
    ("health_clean", "difference between HbA1c and fasting glucose tests?"),
    ("health_clean", "How is HIV transmitted and how effective is PrEP?"),
    ("health_clean", "Our clinic wants a chatbot for appointment reminders - what HIPAA rules apply?"),
    ("health_clean", "Quels sont les effets secondaires courants de la metformine ?"),
    # ---- special-category topics in general
    ("special_clean", "Describe the key features of Catholic cathedral architecture in northern France."),
    ("special_clean", "history of trade unions in Germany after 1945, short overview"),
    ("special_clean", "Explain the difference between Sunni and Shia Islam, neutrally."),
    ("special_clean", "What does the Rehabilitation of Offenders Act 1974 do?"),
    ("special_clean", "Summarise the Labour and Conservative housing pledges in the 2024 manifestos"),
    ("special_clean", "what does GDPR article 9 say about biometric data?"),
    ("special_clean", "How did Pride month start? key events since Stonewall"),
    # ---- finance in general
    ("finance_clean", "For testing Stripe checkout, where are the test card numbers documented and how do I trigger a "
                      "3DS challenge?"),
    ("finance_clean", "What's the average credit card debt per household in the UK?"),
    ("finance_clean", "explain how an IVA works vs bankruptcy in England"),
    ("finance_clean", "How is a German IBAN structured? which part is the Bankleitzahl?"),
    ("finance_clean", "Is Bitcoin covered by MiCA?"),
    ("finance_clean", "Excel formula for the monthly payment on 300k at 4.5% over 25 years"),
    ("finance_clean", "what do the parts of a SWIFT code like DEUTDEFF mean?"),
    ("finance_clean", "The IBAN field in our signup form needs validation - explain the mod 97 check, no real IBAN "
                      "needed"),
    # ---- words and products that look like names
    ("names_clean", "Jenkins vs GitHub Actions for a monorepo?"),
    ("names_clean", "Alexa keeps mishearing me, how do I retrain the voice recognition?"),
    ("names_clean", "Will Hope Street in Liverpool be closed for the marathon?"),
    ("names_clean", "Ruby vs Crystal vs Julia for a small CLI tool?"),
    ("names_clean", "is 'grace-hopper-worker' a good naming scheme for our celery containers?"),
    # ---- travel and everyday
    ("general_clean", "3-day itinerary for Lisbon in October, mid budget, love seafood"),
    ("general_clean", "do EU citizens need a visa for Japan for 2 weeks?"),
    ("general_clean", "packing list for a trek to Everest Base Camp"),
    ("general_clean", "Ist der Berliner Hauptbahnhof nachts geöffnet?"),
    ("general_clean", "What's Nigeria's country calling code and how are mobile numbers formatted there?"),
    ("general_clean", "Draft a generic out-of-office saying I'm back on Monday and to contact the team inbox"),
    ("general_clean", "¿Cuál es la mejor época para visitar Granada?"),
]

_MARK = re.compile(r"⟦([A-Z_]+):([^⟧]*)⟧|⟪([a-z0-9_]+)⟫")


def render(markup: str, values: dict[str, str]) -> tuple[str, list[dict]]:
    text, spans, pos = [], [], 0
    length = 0
    for m in _MARK.finditer(markup):
        plain = markup[pos:m.start()]
        text.append(plain)
        length += len(plain)
        if m.group(3):
            value = values[m.group(3)]
            text.append(value)
            length += len(value)
        else:
            label, value = m.group(1), m.group(2)
            if value.startswith("$"):
                value = values[value[1:]]
            spans.append({"start": length, "end": length + len(value), "label": label, "_value": value})
            text.append(value)
            length += len(value)
        pos = m.end()
    text.append(markup[pos:])
    out = "".join(text)
    assert "⟦" not in out and "⟧" not in out and "⟪" not in out, markup
    for span in spans:
        assert out[span["start"]:span["end"]] == span.pop("_value"), (markup, span)
    return out, spans


def check_phones(records: list[dict]) -> None:
    try:
        import phonenumbers
    except ImportError:  # the offsets do not depend on it
        return
    for record in records:
        for span in record["spans"]:
            if span["label"] != "PHONE_NUMBER":
                continue
            value = record["text"][span["start"]:span["end"]]
            number = phonenumbers.parse(value, PHONE_REGIONS[value])
            assert phonenumbers.is_valid_number(number), value


def check_values(values: dict[str, str]) -> None:
    for key in ("visa1", "visa2", "visa3", "visa4", "mc1", "mc2", "amex1", "disc1"):
        assert luhn_valid(re.sub(r"\D", "", values[key])), key
    for key in ("de1", "de2", "fr1", "es1", "es2", "it1", "it2", "nl1", "gb1_lower", "be1", "at1"):
        compact = values[key].replace(" ", "").upper()
        assert int(iban_digits(compact[4:] + compact[:4])) % 97 == 1, key


def build() -> list[dict]:
    values = build_values()
    check_values(values)
    from bench.detection.labels import GOLD_TYPES

    records = []
    for n, (group_name, markup) in enumerate(CASES, start=1):
        text, spans = render(markup, values)
        for span in spans:
            assert span["label"] in GOLD_TYPES and GOLD_TYPES[span["label"]].regulated, span
        clean = group_name.endswith("_clean")
        assert clean == (not spans), (group_name, markup)
        records.append({"id": f"blind-{n}", "text": text, "spans": spans,
                        "meta": {"group": group_name, "split": "heldout"}})
    check_phones(records)
    return records


def dump(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args()
    content = dump(build())
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != content:
            print(f"{OUT.name} is stale: run python bench/data/build_blind_cases.py", file=sys.stderr)
            return 1
        print(f"{OUT.name} is up to date")
        return 0
    OUT.write_text(content, encoding="utf-8")
    digest = hashlib.sha256(content.encode()).hexdigest()[:12]
    print(f"wrote {OUT} ({content.count(chr(10))} records, sha256 {digest})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
