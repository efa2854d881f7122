"""A deterministic corpus of synthetic chat requests for the performance benchmark.

    build_corpus(seed, sizes) ─▶ Corpus
        prompts[phase]   unique single-message prompts, short (40–260 chars) and 2 KB
                         (1,900–2,048 bytes) interleaved, one fresh set per phase so the
                         sidecar's per-message cache never sees a message twice
        conversations    20-turn chats; turn k re-sends u1, a1, …, a(k-1), uk

Every prompt is unique (a per-prompt reference phrase and random PII values), and each
carries what was planted in it, so the benchmark can assert the decision of every call:

    kind        planted                          expected decision (EU caller, asks hosted-us)
    clean       nothing                          ALLOW_EXTERNAL (hosted-us)
    personal    name, email, phone, IBAN         ALLOW_EXTERNAL to hosted-eu, never hosted-us
    restricted  card, secret (AWS/GitHub/pwd),   ROUTE_SELF_HOSTED to a self-hosted target
                US SSN

`must_find` lists the entity types that Residency's detector must report for the planted
values (names are planted but not required: spaCy's small model misses some).
No real person's data: names are common first/last names, domains are example.*,
card numbers are Luhn-valid random test numbers, IBANs random with a valid checksum.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

SHORT_MIN_CHARS, SHORT_MAX_CHARS = 40, 260
LONG_TARGET_BYTES = 2048
LONG_MIN_BYTES = 1900
TURNS = 20

CLEAN, PERSONAL, RESTRICTED = "clean", "personal", "restricted"
_SEVERITY = {CLEAN: 0, PERSONAL: 1, RESTRICTED: 2}
# Share of each kind in single-message prompts: most chat traffic is clean.
KIND_WEIGHTS = {CLEAN: 0.45, PERSONAL: 0.35, RESTRICTED: 0.20}


@dataclass(frozen=True)
class Prompt:
    id: str
    length: str  # "short" or "2kb"
    kind: str  # clean, personal, restricted
    text: str
    must_find: frozenset[str]


@dataclass(frozen=True)
class Turn:
    index: int  # 1-based
    messages: tuple[tuple[str, str], ...]  # (role, content), the whole history re-sent
    kind: str  # the most severe kind in the history so far
    must_find: frozenset[str]


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]


@dataclass
class Corpus:
    seed: int
    prompts: dict[str, list[Prompt]] = field(default_factory=dict)
    conversations: list[Conversation] = field(default_factory=list)

    def describe(self) -> str:
        lines = []
        for phase, prompts in self.prompts.items():
            by_len = {n: [p for p in prompts if p.length == n] for n in ("short", "2kb")}
            kinds = {k: sum(p.kind == k for p in prompts) for k in (CLEAN, PERSONAL, RESTRICTED)}
            sizes = ", ".join(
                f"{n} {len(ps)} (mean {sum(len(p.text.encode()) for p in ps) / len(ps):.0f} B)"
                for n, ps in by_len.items()
                if ps
            )
            lines.append(f"  {phase:<10} {len(prompts):>5} prompts: {sizes}; kinds {kinds}")
        if self.conversations:
            last = [c.turns[-1] for c in self.conversations]
            nbytes = sum(sum(len(m[1].encode()) for m in t.messages) for t in last) / len(last)
            lines.append(
                f"  {'convs':<10} {len(self.conversations):>5} conversations x {TURNS} turns "
                f"(turn {TURNS}: {len(last[0].messages)} messages, mean {nbytes:.0f} B)"
            )
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Vocabulary: clean text with no proper nouns and no long digit runs.
# ---------------------------------------------------------------------------

_TOPICS = [
    "the deployment script",
    "our caching layer",
    "the quarterly report",
    "a sourdough recipe",
    "the onboarding checklist",
    "the retry logic",
    "this regular expression",
    "the database migration",
    "the marketing plan",
    "a unit test",
    "the error handling",
    "the release notes",
    "the garden layout",
    "a budget spreadsheet",
    "the search feature",
    "the login page",
    "the queue consumer",
    "the training schedule",
    "a cover letter",
    "the data pipeline",
    "the logging setup",
    "the meeting agenda",
    "the shipping policy",
    "a short story",
    "the pricing table",
]
_VERBS = [
    "rewrite",
    "summarise",
    "review",
    "explain",
    "simplify",
    "translate into plain language",
    "shorten",
    "improve",
    "check",
    "outline",
    "refactor",
    "document",
    "compare",
    "test",
]
_ADJECTIVES = [
    "clear",
    "concise",
    "friendly",
    "formal",
    "robust",
    "readable",
    "careful",
    "detailed",
    "practical",
    "simple",
    "thorough",
    "polite",
    "efficient",
    "structured",
]
_CLEAN_SENTENCES = [
    "Can you {verb} {topic} so that it reads {adj}?",
    "Please {verb} {topic} and keep the tone {adj}.",
    "I am working on {topic} and would like a {adj} version of it.",
    "Could you {verb} {topic}? The current draft feels too long.",
    "Help me {verb} {topic}; I need something {adj} for the team.",
    "What is a {adj} way to {verb} {topic}?",
    "The first part of {topic} is fine, but the second part needs work.",
    "We tried a few approaches for {topic} and none of them felt {adj} enough.",
    "Keep the structure of {topic} but make every paragraph more {adj}.",
    "List the main risks in {topic} and suggest a {adj} fix for each.",
    "Our manager asked for a {adj} overview of {topic} by the end of the week.",
    "Give me three options to {verb} {topic}, from the most {adj} to the least.",
    "The tests for {topic} pass locally but fail in the build, and the log says nothing useful.",
    "Explain the trade-offs of {topic} as if the reader were new to the project.",
    "Add comments to {topic} where the intent is not obvious.",
    "Write a {adj} summary of {topic} in five bullet points.",
    "Is there a more {adj} way to handle timeouts in {topic}?",
    "I would like feedback on {topic} before it goes out.",
    "Turn {topic} into a checklist that a new colleague could follow.",
    "Point out anything in {topic} that could confuse a first-time reader.",
]
_ASSISTANT_SENTENCES = [
    "Here is a {adj} version of {topic}, with the main steps kept in order.",
    "I have tried to {verb} {topic} without changing its meaning.",
    "The key change is that each step now has one clear purpose.",
    "You may want to check the second section again, because it repeats the first.",
    "A {adj} approach is to split {topic} into smaller parts and handle each one separately.",
    "If the team prefers a shorter text, the last paragraph can be dropped.",
    "Let me know whether you would like a more {adj} tone or a shorter draft.",
    "This keeps the original structure but removes the duplicated explanations.",
    "The trade-off is a little more code in exchange for much simpler error handling.",
    "I would also add a short example, since readers tend to skip abstract descriptions.",
]

_NONCE_NOUNS = [
    "apple",
    "bridge",
    "candle",
    "desk",
    "engine",
    "feather",
    "garden",
    "hammer",
    "island",
    "jacket",
    "kettle",
    "ladder",
    "mirror",
    "needle",
    "orange",
    "pencil",
    "quilt",
    "ribbon",
    "saddle",
    "tablet",
    "umbrella",
    "valley",
    "wagon",
    "yogurt",
    "zipper",
    "basket",
]

# ---------------------------------------------------------------------------
# Planted values
# ---------------------------------------------------------------------------

_FIRST = [
    "James",
    "Maria",
    "Robert",
    "Linda",
    "Michael",
    "Sarah",
    "David",
    "Emma",
    "Thomas",
    "Laura",
    "Daniel",
    "Anna",
    "Peter",
    "Julia",
    "Richard",
    "Sophie",
    "Mark",
    "Claire",
    "Paul",
    "Helen",
]
_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "Anderson",
    "Thompson",
    "Garcia",
    "Martinez",
    "Robinson",
    "Clark",
    "Walker",
    "Young",
    "Hall",
    "Allen",
]
_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com"]


def _luhn_complete(digits: list[int]) -> list[int]:
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return digits + [(10 - total % 10) % 10]


def _card(rng: random.Random) -> str:
    prefix = [4] if rng.random() < 0.6 else [5, rng.randint(1, 5)]
    digits = _luhn_complete(prefix + [rng.randint(0, 9) for _ in range(15 - len(prefix))])
    text = "".join(map(str, digits))
    sep = rng.choice([" ", "-", ""])
    return sep.join(text[i : i + 4] for i in range(0, 16, 4))


def _iban(rng: random.Random) -> str:
    # Dutch layout: 4-letter bank code + 10-digit account. German all-digit IBANs also match
    # PL_PESEL, MEDICAL_LICENSE or a card number by chance, which would blur the expected decision.
    bank = rng.choice(["ABNA", "INGB", "RABO", "TRIO", "KNAB", "BUNQ", "SNSB", "ASNB"])
    account = "".join(str(rng.randint(0, 9)) for _ in range(10))
    # ISO 13616 check digits: letters as numbers (A=10 … Z=35), country code and "00" moved to the end.
    rearranged = "".join(str(int(ch, 36)) for ch in bank + account + "NL00")
    check = 98 - int(rearranged) % 97
    iban = f"NL{check:02d}{bank}{account}"
    # Printed in groups of four: run together, "AB1234567" inside it also matches MEDICAL_LICENSE.
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _ssn(rng: random.Random) -> str:
    area = rng.randint(101, 665)
    return f"{area:03d}-{rng.randint(10, 99):02d}-{rng.randint(1000, 9999):04d}"


def _phone(rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"+44 20 7946 {rng.randint(0, 999):04d}"
    if style == 1:
        return f"(212) {rng.randint(201, 989)}-{rng.randint(1000, 9999)}"
    return f"+49 30 {rng.randint(1000000, 9999999)}"


def _alnum(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _secret(rng: random.Random) -> tuple[str, str]:
    """(sentence, entity type) for one planted credential."""
    style = rng.randrange(3)
    if style == 0:
        key = "AKIA" + _alnum(rng, 16, string.ascii_uppercase + "234567")
        return rng.choice(["our access key is {v}", "the build uses key {v} for uploads"]).format(
            v=key
        ), "AWS_ACCESS_KEY"
    if style == 1:
        token = "ghp_" + _alnum(rng, 36)
        return rng.choice(["the CI token is {v}", "I set GITHUB_TOKEN={v} in the runner"]).format(
            v=token
        ), "GITHUB_TOKEN"
    password = _alnum(rng, 6, string.ascii_lowercase) + str(rng.randint(10, 99)) + rng.choice("!#%&*") + _alnum(rng, 4)
    return rng.choice(['db_password = "{v}"', "my password is {v}"]).format(v=password), "PASSWORD"


def _pii_sentence(rng: random.Random, kind: str) -> tuple[str, set[str]]:
    """One sentence with one planted value of `kind` (personal or restricted)."""
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    if kind == PERSONAL:
        what = rng.randrange(3)
        if what == 0:
            first, last = name.lower().split()
            email = f"{first}.{last}{rng.randint(1, 999)}@{rng.choice(_DOMAINS)}"
            return f"You can reach {name} at {email} for questions.", {"EMAIL_ADDRESS"}
        if what == 1:
            return f"Call me on {_phone(rng)} if anything is unclear.", {"PHONE_NUMBER"}
        return f"The refund goes to IBAN {_iban(rng)}, account holder {name}.", {"IBAN_CODE"}
    what = rng.randrange(3)
    if what == 0:
        return f"My credit card number is {_card(rng)}, expiry next year.", {"CREDIT_CARD"}
    if what == 1:
        sentence, entity = _secret(rng)
        return f"For context, {sentence}.", {entity}
    return f"My social security number is {_ssn(rng)} for the form.", {"US_SSN"}


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counter = 0

    def clean_sentence(self, templates: list[str] = _CLEAN_SENTENCES) -> str:
        rng = self.rng
        return rng.choice(templates).format(
            verb=rng.choice(_VERBS), topic=rng.choice(_TOPICS), adj=rng.choice(_ADJECTIVES)
        )

    def reference(self) -> str:
        """A phrase that makes each prompt unique without adding anything detectable."""
        self.counter += 1
        # Three nouns from a list of 26: 17,576 distinct phrases. Made-up codes, numbers and
        # file names are taken for names or phone numbers by the small spaCy model.
        n = self.counter
        assert n < len(_NONCE_NOUNS) ** 3, "corpus too large for the reference phrases"
        a, b, c = n % 26, n // 26 % 26, n // 676
        return f"(this is about the {_NONCE_NOUNS[a]}, the {_NONCE_NOUNS[b]} and the {_NONCE_NOUNS[c]})"

    def kind(self) -> str:
        return self.rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]

    def short(self, pid: str) -> Prompt:
        rng, kind = self.rng, self.kind()
        must: set[str] = set()
        parts = [self.clean_sentence()]
        if kind != CLEAN:
            sentence, must = _pii_sentence(rng, kind)
            parts.insert(rng.randrange(2), sentence)
        parts.append(self.reference())
        text = " ".join(parts)
        while len(text) < SHORT_MIN_CHARS:
            text = self.clean_sentence() + " " + text
        if len(text) > SHORT_MAX_CHARS and kind == CLEAN:
            text = text[-SHORT_MAX_CHARS:].split(" ", 1)[-1]
        return Prompt(pid, "short", kind, text, frozenset(must))

    def long(self, pid: str) -> Prompt:
        rng, kind = self.rng, self.kind()
        must: set[str] = set()
        planted: list[str] = []
        if kind != CLEAN:
            for i in range(rng.randint(1, 3)):
                # a restricted prompt holds at least one restricted value, maybe personal ones too
                sub = kind if i == 0 else rng.choice([PERSONAL, kind])
                sentence, found = _pii_sentence(rng, sub)
                planted.append(sentence)
                must |= found
        sentences = [self.reference()]
        size = len(sentences[0]) + sum(len(s.encode()) + 1 for s in planted)
        while True:
            sentence = self.clean_sentence()
            if size + len(sentence) + 1 > LONG_TARGET_BYTES:
                break
            sentences.append(sentence)
            size += len(sentence) + 1
        for sentence in planted:
            sentences.insert(rng.randrange(1, len(sentences) + 1), sentence)
        # paragraphs of about five sentences
        paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
        text = "\n\n".join(paragraphs)
        while len(text.encode()) > LONG_TARGET_BYTES:
            text = text.rsplit(" ", 1)[0]
        assert LONG_MIN_BYTES <= len(text.encode()) <= LONG_TARGET_BYTES, len(text.encode())
        return Prompt(pid, "2kb", kind, text, frozenset(must))

    def prompts(self, phase: str, count: int, long_share: float) -> list[Prompt]:
        # Interleave deterministically: every k-th prompt is a 2 KB one.
        out = []
        n_long = round(count * long_share)
        for i in range(count):
            is_long = n_long and (i * n_long) // count != ((i + 1) * n_long) // count
            out.append(self.long(f"{phase}-{i}") if is_long else self.short(f"{phase}-{i}"))
        return out

    def conversation(self, cid: str) -> Conversation:
        rng = self.rng
        history: list[tuple[str, str]] = []
        turns = []
        kind, must = CLEAN, set()
        # One in three conversations starts with personal data, one in ten gets a card or secret later.
        pii_turn = {1: PERSONAL} if rng.random() < 1 / 3 else {}
        if rng.random() < 0.1:
            pii_turn[rng.randint(2, TURNS)] = RESTRICTED
        for k in range(1, TURNS + 1):
            if k > 1:
                n = rng.randint(2, 5)
                reply = [self.clean_sentence(_ASSISTANT_SENTENCES) for _ in range(n)] + [self.reference()]
                history.append(("assistant", " ".join(reply)))
            parts = [self.clean_sentence() for _ in range(rng.randint(1, 2))]
            if k in pii_turn:
                sentence, found = _pii_sentence(rng, pii_turn[k])
                parts.insert(rng.randrange(len(parts) + 1), sentence)
                must |= found
                kind = max(kind, pii_turn[k], key=_SEVERITY.__getitem__)
            parts.append(self.reference())
            history.append(("user", " ".join(parts)))
            turns.append(Turn(k, tuple(history), kind, frozenset(must)))
        return Conversation(cid, tuple(turns))


def build_corpus(seed: int, phases: dict[str, int], conversations: int, long_share: float = 1 / 3) -> Corpus:
    """Unique prompts for each named phase (count each) and `conversations` 20-turn chats."""
    builder = _Builder(seed)
    corpus = Corpus(seed)
    for phase, count in phases.items():
        corpus.prompts[phase] = builder.prompts(phase, count, long_share)
    corpus.conversations = [builder.conversation(f"conv-{i}") for i in range(conversations)]
    texts = [p.text for ps in corpus.prompts.values() for p in ps]
    texts += [m[1] for c in corpus.conversations for m in c.turns[-1].messages]
    assert len(set(texts)) == len(texts), "corpus messages must be unique"
    return corpus


def expected(kind: str):
    """What the decision must be for a request of this kind, from an EU caller asking for hosted-us:
    (allowed actions, allowed target names or None for any self-hosted target)."""
    if kind == CLEAN:
        return {"ALLOW_EXTERNAL"}, {"hosted-us"}
    if kind == PERSONAL:
        return {"ALLOW_EXTERNAL"}, {"hosted-eu"}
    return {"ROUTE_SELF_HOSTED"}, None
