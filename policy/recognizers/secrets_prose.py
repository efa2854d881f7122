"""Passwords and codes stated in prose, in several languages: a part of `SecretsRecognizer`.

`secrets.py` finds passwords in code, config and the common English phrasings ("my
password is X", "set the password to X"). This module adds what chat prompts say
beyond those, in one pass per family, each behind a cheap substring pre-check:

    statements   keyword [qualifier] separator value, in English, German, French, Spanish,
                 Italian, Portuguese, Dutch, Polish, Swedish, Danish, Finnish, Czech,
                 Hungarian, Slovene, Croatian: "the wifi pw is X", "password for the admin
                 panel? it's X", "Password (case sensitive): X", "mot de passe : X",
                 "la contraseña es X", "hasło do wifi to X", "la password del router è X",
                 "the alarm code is 4821", "the passcode for the door is 1234"
    bare         keyword and a strong value with no verb: "Kennwort F@lc0n29 geht nicht",
                 "login: x@y.z, pass Xy!9..." ("pass" only near a user name or login)
    as-password  "I use X as my password"
    login pairs  "my login is bob_75 / Xy!9...", "creds for staging: bob:Xy!9..."

A value counts when it looks like a password (a digit, a symbol or inner capitals), is
quoted, is all digits after a code word ("alarm code", "passcode"), or — after an English
"is"/":"/"=" only — is one lower-case word of six letters or more that is not an
everyday word ("my password is sunflowergranite", not "my password is incorrect").
Every regex is bounded (qualifiers of at most three words, values of at most 128
characters); nothing is logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policy.recognizers.secrets import (
    _NON_SECRET_SHAPE,
    PASSWORD,
    SCORE_PROSE_PASSWORD,
    _Finding,
    _is_placeholder,
    _looks_like_password,
    _looks_like_strong_password,
    _names_a_secret,
    _trim_prose_value,
    _unquote,
)

# Where a keyword may start, found in the lower-case text with plain substrings and one light
# regex; the full patterns then run anchored at those places only.
_PASSWORD_ANCHORS = ("pass", "pw", "psw", "psa", "kennwort", "mdp", "contrase", "clave", "senha", "wachtwoord",
                     "hasł", "hasl", "lösenord", "losenord", "adgangskode", "salasana", "heslo", "jelsz", "parola",
                     "geslo", "lozinka")
_ANCHOR = re.compile(
    r"p(?:a?s{1,2}|s{1,2}a)|pw|kennwort|mot[ \t]+de[ \t]+passe|mdp|contrase|clave|senha|wachtwoord|has[łl]o|"
    r"l[öo]senord|adgangskode|salasana|heslo|jelsz|parola|geslo|lozinka|(?:wi-?fi|wlan|network)[ \t]+key|"
    r"(?:alarm|door|gate|entry|access|entrance|building|garage|key[ \t]?safe|keysafe|lockbox|keypad|lock)[ \t]*code|"
    r"(?:unlock|recovery|backup)[ \t]*codes?|combination|combo|code(?=[ \t]+(?:to|for)[ \t])|"
    r"(?:memorable|secret)[ \t]+word|(?:security|secret)[ \t]+answer|key(?=[ \t]+(?:for|to|of)[ \t])"
)
# Code words, key words and secret words: statements only (no bare keyword + value).
_OTHER_ANCHORS = ("code", "key", "combination", "combo", " word", "answer")
_ANCHOR_ANY_CASE = re.compile(_ANCHOR.pattern, re.IGNORECASE)
_PASSWORD_WORD = (
    r"pass(?:word|wort|wd|phrase)s?|pass[ \t]word|pwd|pw|p(?:a?s{1,2}|s{1,2}a)(?:w(?:o?r|ro)?d|owrd)|kennwort|"
    r"mot[ \t]+de[ \t]+passe|mdp|contrase(?:ñ|n)a|clave|senha|wachtwoord|has(?:ł|l)o|l(?:ö|o)senord|adgangskode|"
    r"salasana|heslo|jelsz(?:ó|o)|parola|geslo|lozinka|(?:wi-?fi|wlan|network)[ \t]+key|"
    r"(?:memorable|secret)[ \t]+word|(?:security|secret)[ \t]+answer|"
    r"key(?=[ \t]+(?:for|to|of)[ \t]+(?:the[ \t]+|my[ \t]+|our[ \t]+)?(?:wi-?fi|wlan|network|router|hotspot)\b)"
)
_CODE_WORD = (r"passcode|(?:alarm|door|gate|entry|access|entrance|building|garage|key[ \t]?safe|keysafe|lockbox|"
              r"keypad|lock|unlock)[ \t]*code|(?:recovery|backup)[ \t]*codes?|combination|combo|"
              # "the code to get in", "the code for the front door"
              r"code(?=[ \t]+(?:to|for)[ \t]+(?:get(?:ting)?[ \t]+in|open|unlock|enter|(?:the|my|our)[ \t]+"
              r"(?:front[ \t]+|back[ \t]+|main[ \t]+)?(?:door|gate|safe|house|flat|apartment|building|garage|alarm|"
              r"lockbox|padlock|locker|shed|phone|laptop)\b))")
_KEYWORD = rf"(?P<keyword>{_CODE_WORD}|{_PASSWORD_WORD}|pass)"
# "for the admin panel", "del router", "do wifi": at most three words.
_QUALIFIER = (r"(?:[ \t]+(?:for|of|to|on|at|del|della|dello|de|du|des|do|da|dla|für|zum|zur|vom|van|voor|till|för|til|"
              r"na|pro|per|from)(?:[ \t]+[^\s.,;:!?=()]{1,24}(?![^\s.,;:!?=()])){1,3}?)?")
_PARENTHESIS = r"(?:[ \t]*\([^()\r\n]{1,30}\))?"
_ENGLISH_SEPARATORS = frozenset({":", "=", ":=", "is", "was", "are", "were", "it's", "its", "it is"})
_SEPARATOR = (r"[ \t]*(?P<sep>:=|=>|[:=]|(?<=[ \t])[-–—](?=[ \t])|\?[ \t]*(?:it'?s|it[ \t]+is)(?!\w)|\?(?=[ \t])"
              r"|(?:(?:is|was|are|were)(?:[ \t]+(?:now|still|just|simply|always))?|it'?s|es|est|ist|è|é|to|är|er|on|je"
              r"|jest)(?!\w))[ \t]*")
_VALUE = (r"(?P<value>\"[^\"\r\n]{1,128}\"|'[^'\r\n]{1,128}'|“[^”\r\n]{1,128}”|‘[^’\r\n]{1,128}’|`[^`\r\n]{1,128}`"
          r"|[^\s\"'`“‘]{1,128})")
_STATEMENT = re.compile(rf"(?i)(?<![\w-]){_KEYWORD}{_QUALIFIER}{_PARENTHESIS}{_SEPARATOR}{_VALUE}")
_BARE = re.compile(rf"(?i)(?<![\w-])(?P<keyword>{_PASSWORD_WORD}|pass)[ \t]+(?P<value>[^\s\"'`“‘]{{6,64}})")
_USER_NEAR = re.compile(r"(?i)@|\buser(?:[ \t_-]?name)?\b|\blog[ -]?in\b|\baccount\b|\bemail\b|\be-mail\b")
_AS_PASSWORD = re.compile(
    r"(?i)\b(?:use|used|using|have|had|chose|picked|set|made)[ \t]+(?P<value>[^\s\"'`“‘]{4,64})[ \t]+as[ \t]+"
    r"(?:my|the|our|a|his|her|their|your)[ \t]+(?:[\w-]+[ \t]+)?(?:password|passcode|passphrase|pw|pwd)\b"
)
_LOGIN_PAIR = re.compile(
    r"(?i)\b(?:log[ -]?in|creds|credentials|login[ \t]+details)\b[^\r\n]{0,40}?(?<![\w.@+-])"
    r"(?P<user>[\w.@+-]{2,64})(?:[ \t]*/[ \t]*|:)(?P<value>[^\s/]{4,64})"
)
# Words that follow "password is" and are not passwords ("my password is incorrect").
_NOT_PASSWORDS = frozenset(
    """incorrect wrong correct right invalid expired expiring required mandatory optional missing empty blank weak
    strong longer shorter secure insecure unsafe changed change reset updated update needed visible hidden shown
    masked stored saved hashed encrypted encoded salted rotated generated random unique reused shared compromised
    leaked exposed stolen known unknown forgotten locked blocked disabled enabled accepted rejected denied valid
    temporary current previous different complex complicated simple obvious predictable guessable common popular
    included attached following provided displayed printed requested prompted working broken protected necessary
    written somewhere something nothing anything everything another same default dummy example placeholder secret
    private public personal sensitive important useless because please thanks actually really probably definitely
    already usually typically normally always sometimes never though however although whatever whichever
    someone somebody nobody everyone letters numbers characters symbols digits uppercase lowercase minimum maximum
    length policy policies requirements complexity strength manager managers protected protection authentication
    credentials username usernames account accounts login logins stronger weaker easier harder better worse
    written kept sent emailed texted typed entered pasted copied password passwords passwd token none null true false
    undefined string optional""".split()
)
_CODE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_SET_VERB = re.compile(r"(?i)\b(?:set|sets|setting|change|changed|changing|reset|update|updated)\b")
_CLAUSE_END = re.compile(r"[ \t]*(?:[,.;!?)]|\r?\n|$|—|–|-[ \t]|\b(?:and|but|in|for|so|if|or|because|which|btw|"
                         r"right|ok|okay|please|pls|yesterday|today|tonight|now|again|already|last|this|since|on|at|too|then)\b)")


# Values with no password word, where the sentence is about getting in: "to get into my laptop type X",
# "sign in as admin using X", "the wifi is HomeNet and the key is X", "it's X for the email".
_LOGIN_CONTEXT_HINTS = ("log", "sign", "unlock", "get in", "wifi", "wi-fi", "router", "account", "mail", "laptop",
                        "portal", "admin", "vpn", "nas")
_LOGIN_CONTEXT = re.compile(
    r"(?i)\b(?:log(?:ging|ged)?[ \t-]?(?:in|on)|login|sign(?:ing|ed)?[ \t-]?(?:in|on)|signin|unlock|get(?:ting)?[ \t]+in"
    r"(?:to)?|wi-?fi|wlan|router|account|e-?mail|laptop|portal|admin|vpn|nas)\b"
)
_LEAD_VALUE = re.compile(
    r"(?i)(?:(?<![\w-])(?:type|typed|enter|entered|use|using|with|and|it'?s|is|was)|[:/])[ \t]{1,3}"
    r"(?P<value>[^\s\"'`“‘]{6,64})"
)
_LOGIN_WINDOW = 60
_USER_NAME_SHAPE = re.compile(r"[a-z0-9._-]+")
_BEFORE_SLASH = re.compile(r"[ \t]{0,3}/")
_KEY_COMBO = re.compile(r"(?i)(?:ctrl|cmd|alt|shift|option|win|super|fn)\+")
_VERSIONED_NAME = re.compile(r"[A-Za-z]+[-_]?\d+(?:\.\d+)+[A-Za-z]?")


def _login_context_values(text: str) -> Iterator[_Finding]:
    """Strong values after a lead word, with a word about logging in nearby on the same line."""
    for lead in _LEAD_VALUE.finditer(text):
        value = _trim_prose_value(lead.group("value"))
        start = lead.start("value")
        end = start + len(value)
        # Letters, a digit, and a symbol or mixed case; not a user name ("benoit_1975 / ...").
        if (not _looks_like_strong_password(value) or _not_a_secret_shape(value) or _USER_NAME_SHAPE.fullmatch(value)
                or _BEFORE_SLASH.match(text, end)):
            continue
        if _KEY_COMBO.search(value) or _VERSIONED_NAME.fullmatch(value) or _names_a_secret(value):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = _LOGIN_CONTEXT.search(text, max(line_start, start - _LOGIN_WINDOW), lead.start())
        after = before or _LOGIN_CONTEXT.search(text, end, min(line_end, end + _LOGIN_WINDOW))
        if before or after:
            yield _Finding(PASSWORD, start, end, SCORE_PROSE_PASSWORD, "value_near_login_words",
                           pattern=_LEAD_VALUE.pattern, context_based=True)


def _all_letter_password(value: str) -> bool:
    """One lower-case word, six letters or more, not an everyday word: "sunflowergranite", "letmein"."""
    return (6 <= len(value) <= 64 and value.isalpha() and value.islower() and value not in _NOT_PASSWORDS
            and not value.endswith(("ing", "ed", "ly", "tion", "able", "ible", "ment", "ness")))


def _strong(value: str) -> bool:
    """A value with no verb before it: six characters or more, three of lower, upper, digit, symbol."""
    classes = (any(c.islower() for c in value) + any(c.isupper() for c in value) + any(c.isdigit() for c in value)
               + any(not c.isalnum() for c in value))
    return len(value) >= 6 and classes >= 3 and any(c.isalpha() for c in value)


def _not_a_secret_shape(value: str) -> bool:
    lowered = value.lower()
    return ("://" in value or lowered.startswith(("www.", "http")) or "@" in value and "." in value.split("@")[-1]
            or _NON_SECRET_SHAPE.fullmatch(value) is not None or _is_placeholder(value))


def find_prose_passwords(text: str, lowered: str) -> Iterator[_Finding]:
    """PASSWORD findings of the four families in the module docstring."""
    password_word = any(word in lowered for word in _PASSWORD_ANCHORS)
    if password_word or any(word in lowered for word in _OTHER_ANCHORS):
        yield from _statements(text, lowered, password_word)
    if " as " in lowered and password_word:
        for statement in _AS_PASSWORD.finditer(text):
            value = _trim_prose_value(statement.group("value"))
            if (_looks_like_password(value) or _all_letter_password(value)) and not _not_a_secret_shape(value):
                start = statement.start("value")
                yield _Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "value_as_password",
                               pattern=_AS_PASSWORD.pattern, context_based=True)
    if any(hint in lowered for hint in _LOGIN_CONTEXT_HINTS):
        yield from _login_context_values(text)
    if "login" in lowered or "log in" in lowered or "log-in" in lowered or "cred" in lowered:
        for pair in _LOGIN_PAIR.finditer(text):
            value = _trim_prose_value(pair.group("value"))
            if _strong(value) and not _not_a_secret_shape(value) and not value.isdigit():
                start = pair.start("value")
                yield _Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "login_pair",
                               pattern=_LOGIN_PAIR.pattern, context_based=True)


def _statements(text: str, lowered: str, password_word: bool) -> Iterator[_Finding]:
    """Statements and bare keyword + value, tried only where a keyword starts."""
    # Lower case keeps offsets except for a few letters ("İ"): then search the text itself.
    anchors = _ANCHOR.finditer(lowered) if len(lowered) == len(text) else _ANCHOR_ANY_CASE.finditer(text)
    for anchor in anchors:
        position = anchor.start()
        statement = _STATEMENT.match(text, position)
        if statement is not None:
            finding = _statement_finding(text, statement)
            if finding is not None:
                yield finding
                continue
        if password_word:
            bare = _BARE.match(text, position)
            if bare is not None:
                finding = _bare_finding(text, bare)
                if finding is not None:
                    yield finding


def _statement_finding(text: str, statement: re.Match[str]) -> _Finding | None:
    value, offset, quoted = _unquote(statement.group("value"))
    if not quoted:
        value = _trim_prose_value(value)
    if len(value) < 3 or _not_a_secret_shape(value):
        return None
    keyword = statement.group("keyword").lower()
    separator = (statement.group("sep") or "").lower().lstrip("? \t")
    english = " ".join(separator.split()[:1]) in _ENGLISH_SEPARATORS or separator.startswith("it") or (
        separator == "to" and _SET_VERB.search(text, max(0, statement.start() - 40), statement.start()) is not None)
    if keyword == "pass" and not english:
        return None  # "pass to", "pass on": the verb
    if (not quoted and separator in ("=", ":", ":=", "=>") and _CODE_NAME.fullmatch(value)
            and not any(c.isdigit() for c in value)):
        return None  # code: "password = auth_info", "password: HiddenText"
    if _names_a_secret(value):
        return None
    digits = value.replace("-", "").replace(" ", "")
    if keyword.startswith(("combination", "combo")):
        accepted = digits.isdigit() and 3 <= len(digits) <= 10  # "the combination is 12-34-56", not prose
    elif statement.group("sep") == "?":
        accepted = _strong(value)  # "the wifi password? Xy!9...", not "password? Thanks"
    elif quoted:
        accepted = len(value) >= 4
    elif "code" in keyword and value.isdigit():
        accepted = 3 <= len(value) <= 10
    elif _looks_like_password(value):
        accepted = True
    else:
        end = statement.start("value") + offset + len(value)
        accepted = english and _all_letter_password(value) and _CLAUSE_END.match(text, end) is not None
    if not accepted:
        return None
    start = statement.start("value") + offset
    return _Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_in_prose_statement",
                    pattern=_STATEMENT.pattern, context_based=True)


def _bare_finding(text: str, bare: re.Match[str]) -> _Finding | None:
    value = _trim_prose_value(bare.group("value"))
    if not _strong(value) or _not_a_secret_shape(value):
        return None
    if bare.group("keyword").lower() == "pass" and not _USER_NEAR.search(text, max(0, bare.start() - 80), bare.start()):
        return None  # "pass" alone is a verb far more often than a password
    start = bare.start("value")
    return _Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_after_keyword",
                    pattern=_BARE.pattern, context_based=True)
