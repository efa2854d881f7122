"""Passwords and keys stated in prose: a part of `SecretsRecognizer`.

Code and config lines are `config.py`'s. The first section here finds the common English
phrasings: "my password is X", "set the password to X", "log in with password X", "the
datadog key is 841dd2..." (`find_prose_secrets`) and, with no verb, "her password
!PurpleSky77", "user bob pass X", "log in as admin / X" (`find_credentials_without_verb`).
The second, `find_prose_passwords`, adds what chat prompts say beyond those, in one pass
per family, each behind a cheap substring pre-check:

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

There a value counts when it looks like a password (a digit, a symbol or inner capitals),
is quoted, is all digits after a code word ("alarm code", "passcode"), or — after an
English "is"/":"/"=" only — is one lower-case word of six letters or more that is not an
everyday word ("my password is sunflowergranite", not "my password is incorrect").
Its regexes are bounded (qualifiers of at most three words, values of at most 128
characters). Nothing in this module is logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policy.recognizers.secrets._values import (
    API_KEY,
    MIN_SECRET_LEN,
    NON_SECRET_SHAPE,
    PASSWORD,
    SCORE_PROSE_KEY,
    SCORE_PROSE_PASSWORD,
    Finding,
    is_placeholder,
    looks_like_password,
    looks_like_strong_password,
    looks_like_token,
    names_a_secret,
    trim_prose_value,
    unquote,
)

# --------------------------------------------------------------------------------------
# Secrets stated in prose.
# --------------------------------------------------------------------------------------

# Password keywords, misspelt too: pasword, passwrd, paswd, pssword, passowrd, passwort.
_PASSWORD_KEYWORD = r"p(?:a?s{1,2}|s{1,2}a)(?:w(?:o?r|ro)?d|owrd)|passwort|pass(?:phrase|code)|pass[ \t]word|pwd|pw"
_PROSE_KEYWORD = (
    rf"{_PASSWORD_KEYWORD}"
    r"|(?:api|access|secret|auth|private|bot|bearer|client)[ \t_-]?(?:key|token|secret)|token|secret"
)
# A quoted phrase (“smart” quotes too) or one unquoted word.
_PROSE_VALUE = (
    r"(?P<value>\"[^\"\r\n]{1,128}\"|'[^'\r\n]{1,128}'|“[^”\r\n]{1,128}”|‘[^’\r\n]{1,128}’"
    r"|`[^`\r\n]{1,128}`|\S{1,256})"
)
_PROSE_STATEMENT = re.compile(
    rf"(?i)\b(?P<keyword>{_PROSE_KEYWORD})"
    r"(?:[ \t]+(?:for|of|on|to|at)(?:[ \t]+[^\s.,;:!?]+){1,3}?)?"  # "for the admin account"
    # Longer verbs first: the first alternative that leads to a value wins.
    r"[ \t]+(?:(?:is|was|has[ \t]+been|got)[ \t]+(?:now[ \t]+|still[ \t]+)?(?:changed|set|reset|updated)[ \t]+to"
    r"|(?:changed|set|reset|updated)[ \t]+to|is[ \t]+now|is[ \t]+still|will[ \t]+be|should[ \t]+be|would[ \t]+be"
    r"|is|was|equals)"
    r"[ \t]*:?[ \t]+" + _PROSE_VALUE
)
_PROSE_VERB_LED = re.compile(
    r"(?i)\b(?:use|using|with|enter|entered|type|typed|try|tried)[ \t]+(?:the[ \t]+|my[ \t]+|our[ \t]+|this[ \t]+)?"
    rf"(?P<keyword>{_PASSWORD_KEYWORD})[ \t]*:?[ \t]+" + _PROSE_VALUE
)
# "set the root password to X", "changed my password to X".
_PROSE_SET_TO = re.compile(
    r"(?i)\b(?:set|sets|setting|change|changed|changing|reset|update|updated)[ \t]+"
    r"(?:(?:the|my|our|your|his|her|their|its|a|new)[ \t]+)?(?:[\w-]+[ \t]+)?"
    rf"(?P<keyword>{_PASSWORD_KEYWORD})[ \t]+to[ \t]+" + _PROSE_VALUE
)
# "her password !PurpleSky77", "login password Start@2025": no verb, so a strong-looking value.
_PROSE_KEYWORD_VALUE = re.compile(
    # Bounded gaps: "[ \t]*[:=]?[ \t]+" is quadratic over a long run of spaces after the keyword.
    rf"(?i)\b(?P<keyword>{_PASSWORD_KEYWORD})(?:[ \t]{{0,3}}[:=])?[ \t]{{1,3}}"
    r"(?P<value>\"[^\"\s]{4,64}\"|'[^'\s]{4,64}'|“[^”\s]{4,64}”|‘[^’\s]{4,64}’|[^\s\"'`“‘]{6,64})"
)
# "user daan-bakker pass Granite?29", "username: bob password: x".
_USER_PASS = re.compile(
    rf"(?i)\buser(?:[ \t_-]?name)?[ \t]*[:=]?[ \t]+[^\s/]{{2,64}}[ \t,;]+(?:and[ \t]+)?(?:pass|{_PASSWORD_KEYWORD})"
    r"[ \t]*[:=]?[ \t]+(?P<value>[^\s\"'`]{2,64})"
)
# "log in as admin / Glacier!1266", "Login: kwojcik@onet.pl / Meadow$1313".
_CREDENTIAL_PAIR = re.compile(
    r"(?i)(?:(?P<email>[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,5})"
    r"|\b(?:as|user(?:name)?|login|account)[ \t]*:?[ \t]+[\w.@+-]{2,64})"
    r"[ \t]*/[ \t]*(?P<value>[^\s/]{4,64})"
)
_LOGIN_WORDS = re.compile(r"(?i)log[ -]?in|sign[ -]?in|password|credential|account|portal|user|access|leak|expos")
# A 32+ character hex or mixed key right after a key word: "the datadog key is 841dd2...".
_KEYWORD_TOKEN = re.compile(
    r"(?i)\b(?:api[ _-]?key|key|token|auth[ _-]?token|access[ _-]?token|secret)(?:[ \t]+(?:is|was)|[ \t]*[:=])?"
    r"[ \t]+(?P<value>[A-Za-z0-9]{32,128})(?![\w-])"
)


def find_prose_secrets(text: str, lowered: str) -> Iterator[Finding]:
    if not any(word in lowered for word in ("pas", "pss", "pwd", "pw", "secret", "token", "key")):
        return
    for regex in (_PROSE_STATEMENT, _PROSE_VERB_LED, _PROSE_SET_TO):
        for statement in regex.finditer(text):
            keyword = statement.group("keyword").lower()
            kind = PASSWORD if keyword.startswith(("pa", "ps", "pw")) else API_KEY
            value, offset, quoted = unquote(statement.group("value"))
            if not quoted:
                value = trim_prose_value(value)
            start = statement.start("value") + offset
            if len(value) < MIN_SECRET_LEN or is_placeholder(value):
                continue
            if kind == PASSWORD and (quoted or looks_like_password(value)):
                yield Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_in_prose",
                              pattern=regex.pattern, context_based=True)
            elif kind == API_KEY and looks_like_token(value):
                yield Finding(API_KEY, start, start + len(value), SCORE_PROSE_KEY, "secret_in_prose",
                              pattern=regex.pattern, context_based=True)


def find_credentials_without_verb(text: str, lowered: str) -> Iterator[Finding]:
    """Passwords and keys stated without "is": keyword + value, user/pass pairs, "user / password"."""
    if any(word in lowered for word in ("pas", "pss", "pwd", "pw")):
        for regex, strict in ((_PROSE_KEYWORD_VALUE, True), (_USER_PASS, False)):
            for statement in regex.finditer(text):
                value, offset, quoted = unquote(statement.group("value"))
                if not quoted:
                    value = trim_prose_value(value)
                start = statement.start("value") + offset
                # Quoted after the keyword ("password 'B@np0rt#24'"): a password-like value suffices.
                if strict and not (looks_like_password(value) if quoted else looks_like_strong_password(value)):
                    continue
                if not strict and (not looks_like_password(value) or NON_SECRET_SHAPE.fullmatch(value)):
                    continue
                yield Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_without_verb",
                              pattern=regex.pattern, context_based=True)
    if "/" in text:
        for pair in _CREDENTIAL_PAIR.finditer(text):
            value = trim_prose_value(pair.group("value"))
            if not looks_like_strong_password(value) or NON_SECRET_SHAPE.fullmatch(value):
                continue
            # An e-mail before "/" is a login only where the text speaks of logins.
            if pair.group("email") and not _LOGIN_WORDS.search(text, max(0, pair.start() - 120), pair.start()):
                continue
            start = pair.start("value")
            yield Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "user_slash_password",
                          pattern=_CREDENTIAL_PAIR.pattern, context_based=True)
    if "key" in lowered or "token" in lowered or "secret" in lowered:
        for statement in _KEYWORD_TOKEN.finditer(text):
            value = statement.group("value")
            is_hex = all(char in "0123456789abcdefABCDEF" for char in value)
            mixed = (any(c.isupper() for c in value) and any(c.islower() for c in value)
                     and any(c.isdigit() for c in value))
            if not ((is_hex and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)) or mixed):
                continue
            yield Finding(API_KEY, statement.start("value"), statement.end("value"), SCORE_PROSE_KEY,
                          "key_after_keyword", pattern=_KEYWORD_TOKEN.pattern, context_based=True)


# --------------------------------------------------------------------------------------
# More phrasings of passwords and codes, in several languages: `find_prose_passwords`.
# --------------------------------------------------------------------------------------

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


def _login_context_values(text: str) -> Iterator[Finding]:
    """Strong values after a lead word, with a word about logging in nearby on the same line."""
    for lead in _LEAD_VALUE.finditer(text):
        value = trim_prose_value(lead.group("value"))
        start = lead.start("value")
        end = start + len(value)
        # Letters, a digit, and a symbol or mixed case; not a user name ("benoit_1975 / ...").
        if (not looks_like_strong_password(value) or _not_a_secret_shape(value) or _USER_NAME_SHAPE.fullmatch(value)
                or _BEFORE_SLASH.match(text, end)):
            continue
        if _KEY_COMBO.search(value) or _VERSIONED_NAME.fullmatch(value) or names_a_secret(value):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = _LOGIN_CONTEXT.search(text, max(line_start, start - _LOGIN_WINDOW), lead.start())
        after = before or _LOGIN_CONTEXT.search(text, end, min(line_end, end + _LOGIN_WINDOW))
        if before or after:
            yield Finding(PASSWORD, start, end, SCORE_PROSE_PASSWORD, "value_near_login_words",
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
            or NON_SECRET_SHAPE.fullmatch(value) is not None or is_placeholder(value))


def find_prose_passwords(text: str, lowered: str) -> Iterator[Finding]:
    """PASSWORD findings of the four families in the module docstring."""
    password_word = any(word in lowered for word in _PASSWORD_ANCHORS)
    if password_word or any(word in lowered for word in _OTHER_ANCHORS):
        yield from _statements(text, lowered, password_word)
    if " as " in lowered and password_word:
        for statement in _AS_PASSWORD.finditer(text):
            value = trim_prose_value(statement.group("value"))
            if (looks_like_password(value) or _all_letter_password(value)) and not _not_a_secret_shape(value):
                start = statement.start("value")
                yield Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "value_as_password",
                              pattern=_AS_PASSWORD.pattern, context_based=True)
    if any(hint in lowered for hint in _LOGIN_CONTEXT_HINTS):
        yield from _login_context_values(text)
    if "login" in lowered or "log in" in lowered or "log-in" in lowered or "cred" in lowered:
        for pair in _LOGIN_PAIR.finditer(text):
            value = trim_prose_value(pair.group("value"))
            if _strong(value) and not _not_a_secret_shape(value) and not value.isdigit():
                start = pair.start("value")
                yield Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "login_pair",
                              pattern=_LOGIN_PAIR.pattern, context_based=True)


def _statements(text: str, lowered: str, password_word: bool) -> Iterator[Finding]:
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


def _statement_finding(text: str, statement: re.Match[str]) -> Finding | None:
    value, offset, quoted = unquote(statement.group("value"))
    if not quoted:
        value = trim_prose_value(value)
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
    if names_a_secret(value):
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
    elif looks_like_password(value):
        accepted = True
    else:
        end = statement.start("value") + offset + len(value)
        accepted = english and _all_letter_password(value) and _CLAUSE_END.match(text, end) is not None
    if not accepted:
        return None
    start = statement.start("value") + offset
    return Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_in_prose_statement",
                   pattern=_STATEMENT.pattern, context_based=True)


def _bare_finding(text: str, bare: re.Match[str]) -> Finding | None:
    value = trim_prose_value(bare.group("value"))
    if not _strong(value) or _not_a_secret_shape(value):
        return None
    if bare.group("keyword").lower() == "pass" and not _USER_NEAR.search(text, max(0, bare.start() - 80), bare.start()):
        return None  # "pass" alone is a verb far more often than a password
    start = bare.start("value")
    return Finding(PASSWORD, start, start + len(value), SCORE_PROSE_PASSWORD, "password_after_keyword",
                   pattern=_BARE.pattern, context_based=True)
