"""GDPR Art. 9 special categories (and Art. 10 criminal records) in words, said of a person.

Entity types, all of category SPECIAL:
    RELIGION            "I'm Muslim", "I converted to Buddhism", "my wife is Jewish"
    ETHNIC_ORIGIN       "I'm Black", "as a Roma woman", "I'm of Turkish descent"
    SEXUAL_ORIENTATION  orientation, gender identity and sex life: "I'm gay", "I'm transgender",
                        "we are in an open relationship"
    POLITICAL_OPINION   "I voted for the AfD", "I'm a member of the Labour Party", "I'm a socialist"
    TRADE_UNION         "I joined the GMB union", "I'm a union rep"
    GENETIC_DATA        "my BRCA1 test came back positive", "my 23andMe results"
    CRIMINAL_RECORD     "I served 18 months in prison", "I have a criminal record" (Art. 10)

Each needs a person anchor (see `_lexicon`); words with an everyday sense ("Black",
"gay", "bi", "union", "party") need it right before them or a trigger word near them
("voted", "joined", "member"), so "How does the AfD's polling compare with the CDU's?",
"What is the BRCA1 gene?" and "Ask Unite to ..." stay clean. spaCy's NRP entity
("Muslim", "German") stays QUASI: nationalities are not special data, and religion and
politics are this recognizer's job.

`data/special_terms.txt` adds parties and unions of every EU member state (and the UK,
Switzerland, Norway, the US), denominations and religious practice, ethnic groups and
origins, and orientations and identities; acronyms count only as written ("PiS", "SIPTU").
`data/foreign_terms.txt` adds religion, orientation, union and criminal-record words in
German, French, Spanish, Italian, Dutch, Polish, Swedish and Finnish ("je suis musulmane",
"ich bin schwul"), with political and union triggers of those languages ("gewählt", "voté").

Known gaps: beliefs stated without a listed term, parties and unions not listed, and prose
in other languages beyond those words.
"""

from __future__ import annotations

import bisect
import re

from presidio_analyzer import RecognizerResult

from policy.categories import SPECIAL_CATEGORY_ENTITY_TYPES
from policy.recognizers._lexicon import (
    ANY,
    COPULA,
    TIGHT,
    TRIGGER,
    Anchoring,
    Lexicon,
    LexiconRecognizer,
    term_table,
    vocabulary,
)

# The names live in policy.categories, so that the table loads without Presidio or spaCy.
(RELIGION, ETHNIC_ORIGIN, SEXUAL_ORIENTATION, POLITICAL_OPINION, TRADE_UNION, GENETIC_DATA,
 CRIMINAL_RECORD) = SPECIAL_CATEGORY_ENTITY_TYPES

RELIGION_TIGHT = """
muslim; moslem; jewish; jew; christian; catholic; roman catholic; protestant; hindu; sikh; buddhist; atheist
agnostic; mormon; jehovah's witness; jehovah's witnesses; orthodox jew; orthodox christian; greek orthodox
russian orthodox; evangelical; evangelical christian; born-again christian; quaker; pagan; wiccan; baptist
methodist; anglican; lutheran; presbyterian; pentecostal; shia; sunni; shiite; alevi; druze; bahai; bahá'í
zoroastrian; rastafarian; scientologist; practising muslim; practising catholic
"""
RELIGION_ANY = """
converted to islam; converted to christianity; converted to judaism; converted to buddhism; converted to hinduism
converted to catholicism; convert to islam; convert to judaism; left the church; left islam; my faith; our faith
fasting for ramadan; observe ramadan; observing ramadan; keep kosher; keeping kosher; eat halal; only eat halal
wear a hijab; wear the hijab; wearing a hijab; wear a headscarf; wear a turban; wear a kippah; my church
my mosque; my synagogue; my temple; my gurdwara; go to church; go to mosque; go to synagogue; attend church
attend mosque; attend synagogue; bar mitzvah; bat mitzvah; baptised; baptized; my religion; my beliefs
go to the mosque; go to the church; go to the synagogue; go to the temple; go to the gurdwara; attend the mosque
attend the synagogue; pray at the mosque; pray five times a day; friday prayers; sunday mass; go to mass
keep shabbat; keeping shabbat; observe shabbat; observing shabbat; keep the sabbath; keep sabbath; observe the sabbath
shomer shabbat; hajj; umrah; for religious reasons; on religious grounds; my religious beliefs; religious beliefs
fast during ramadan; fasting during ramadan; fast for ramadan; break my fast; celebrate eid; celebrating eid
celebrate diwali; celebrate hanukkah; celebrate passover; muslim convert; a convert to; my imam; my rabbi; my priest
my pastor; my vicar; my parish; our parish
conversion to islam; conversion to christianity; conversion to judaism; conversion to catholicism
conversion to buddhism; conversion to hinduism; conversion to sikhism; converted to sikhism; converted to orthodoxy
convert to christianity; convert to catholicism; convert to buddhism; convert to hinduism; believe in god
don't believe in god; do not believe in god; believe in allah; found god; found jesus; accepted jesus
born again; lost my faith; lost her faith; lost his faith; my atheism; my agnosticism; keep halal; keeps kosher
keeps halal; wears a hijab; wears the hijab; wears a headscarf; wears a turban; wears a kippah; goes to church
goes to mosque; goes to the mosque; goes to synagogue; goes to mass; her church; his church; her mosque; his mosque
"""
ETHNIC_COPULA = """
Black; Asian; Roma; Romani; Gypsy; Sinti; Latino; Latina; Latinx; Hispanic; Arab; Kurdish; Kurd; Berber
Indigenous; Aboriginal; Inuit; Maori; Māori; biracial; mixed race; mixed-race
black british; british asian; south asian; east asian; african american; afro-caribbean; native american
first nations; person of colour; person of color; woman of colour; woman of color; man of colour; man of color
irish traveller
"""
ETHNIC_ANY = """
ethnic origin; ethnicity; ethnic background; ethnic minority; my heritage; my ancestry; of turkish descent
of african descent; of asian descent; of arab descent; of jewish descent; of roma descent; of indian descent
of pakistani descent; of moroccan descent; of caribbean descent; of mixed descent; racial background
ashkenazi; ashkenazic; sephardi; sephardic; mizrahi; mizrahi jewish; irish travellers; traveller community
my skin colour; my skin color; her skin colour; his skin colour; because of my race; because of my ethnicity
because of her race; because of his race; racially abused; racial abuse
"""
_ORIGINS = """
african; asian; arab; turkish; kurdish; indian; pakistani; bangladeshi; sri lankan; chinese; japanese; korean
vietnamese; filipino; thai; indonesian; malaysian; moroccan; algerian; tunisian; egyptian; lebanese; syrian
iraqi; iranian; persian; afghan; somali; ethiopian; eritrean; nigerian; ghanaian; kenyan; congolese; senegalese
caribbean; jamaican; haitian; latin american; mexican; brazilian; colombian; roma; romani; sinti; jewish
ashkenazi; sephardic; armenian; albanian; bosnian; chechen; berber; amazigh; native american; indigenous
aboriginal; maori; pacific islander; west african; east african; north african; south asian; east asian
middle eastern; mixed; mixed race; black; white
"""
# "of Pakistani heritage", "of Moroccan descent": an origin, said of a person.
ORIGIN_PHRASES = [
    f"of {origin} {kind}"
    for origin in (o.strip() for o in re.split(r"[;\n]", _ORIGINS) if o.strip())
    for kind in ("descent", "heritage", "origin", "background", "ancestry", "roots", "parentage")
]
# "my Black boyfriend", "my gay son", "my trans daughter": a trait of a relation.
_RELATIONS_OF = ("son daughter child kid kids teen teenager brother sister friend best friend partner wife husband "
                 "girlfriend boyfriend uncle aunt cousin colleague coworker dad mum mom father mother nephew niece "
                 "boss flatmate roommate employee neighbour neighbor fiance fiancee stepson stepdaughter").split()
ETHNIC_RELATIONS = [f"{trait} {relation}" for trait in ("Black", "Asian", "Roma", "Arab", "Latino", "Latina",
                                                        "mixed-race", "biracial")
                    for relation in _RELATIONS_OF]
SEXUALITY_RELATIONS = [f"{trait} {relation}" for trait in ("gay", "lesbian", "bi", "bisexual", "trans",
                                                           "transgender", "non-binary", "nonbinary", "queer",
                                                           "pansexual", "asexual", "intersex")
                       for relation in _RELATIONS_OF]
SEXUALITY_COPULA = """
gay; lesbian; bisexual; bi; queer; homosexual; pansexual; asexual; aromantic; transgender; trans; non-binary
nonbinary; genderqueer; genderfluid; gender fluid; intersex; trans woman; trans man; two-spirit; closeted
in the closet; polyamorous; lgbt; lgbtq; lgbtq+; lgbtqia; heterosexual; gay man; gay men; gay woman
"""
SEXUALITY_ANY = """
came out as; coming out as; come out as; came out to my; come out to my; coming out to my; open relationship
same-sex partner; same sex partner; same-sex relationship; my boyfriend and i are both; my husband and i are both
gender transition; transitioning genders; medical transition; gender reassignment; gender-affirming
gender affirming; sex change; my sex life; our sex life; my sexuality; my sexual orientation; my gender identity
my pronouns; dead name; deadname; sex worker; attracted to men; attracted to women; attracted to both
attracted to guys; attracted to girls; attracted to the same sex; attracted to both men and women; not out at work
not out to my; not out to anyone; closeted at work; my coming out
his boyfriend; his husband; her girlfriend; her wife; came out to her; came out to his; came out to their
came out to our; came out to the family; came out to family; came out to friends; came out to everyone
came out to them; came out to mum; came out to mom; came out to dad; since i came out; after i came out
when i came out; before i came out; when she came out; when he came out; since she came out; since he came out
started transitioning; began transitioning; socially transitioned; medically transitioned; transitioned to female
transitioned to male; pride march
"""
POLITICS_TRIGGERED = """
afd; cdu; csu; spd; fdp; die linke; linke; bsw; die grünen; grünen; greens; green party; labour; labour party
conservatives; conservative party; tories; tory party; lib dems; liberal democrats; reform uk; snp; plaid cymru
sinn fein; sinn féin; fianna fail; fianna fáil; fine gael; dup; rassemblement national; front national
la france insoumise; lfi; les républicains; reconquête; lega; fratelli d'italia; partito democratico; m5s
movimento 5 stelle; five star movement; forza italia; pvv; vvd; d66; groenlinks; pvda; bbb; pis; law and justice
civic platform; konfederacja; vox; psoe; podemos; sumar; partido popular; fidesz; fpö; övp; vlaams belang; n-va
democrats; republicans; democratic party; republican party; the party; party; trump; biden; le pen
macron; Green
"""
POLITICS_TIGHT = """
communist; socialist; social democrat; marxist; leftist; left-wing; right-wing; far-right; far-left; centrist
nationalist; libertarian; anarchist; conservative voter; labour voter; labour supporter; tory voter; green voter
afd voter; trump supporter; maga; brexiteer; remainer; leave voter; remain voter; party member; zionist
anti-zionist; pro-life; pro-choice; activist; political activist; Tory; Republican; Democrat; Conservative
Lib Dem; Liberal Democrat; Labour; Greens; Social Democrat; Christian Democrat
"""
POLITICS_ANY = """
voted for; vote for; voting for; voted leave; voted remain; member of the party; party membership; my politics; my political views
my political beliefs; political opinion; canvassing for; canvassed for; campaigning for; donated to the
volunteer for the; volunteered for the; volunteering for the; extinction rebellion; just stop oil; climate protest(s)
climate march; pro-palestine; pro-palestinian; pro-israel; black lives matter; anti-war protest; women's march
"""
_PARTIES_VOTED = """
labour; conservative; conservatives; tory; tories; green; greens; lib dem; lib dems; libdem; snp; ukip; reform
reform uk; plaid; democrat; democrats; republican; republicans; afd; cdu; csu; spd; fdp; linke; bsw; trump; biden
harris; le pen; macron; leave; remain; sinn fein; dup; pvv; vox; podemos; fidesz
"""
# "I voted Conservative", "my dad votes Reform" (not "voting reform", a topic).
VOTED_PARTY = [
    f"{verb} {party}"
    for verb in ("vote", "votes", "voted", "voting", "vote for", "votes for")
    for party in (p.strip() for p in re.split(r"[;\n]", _PARTIES_VOTED) if p.strip())
    if f"{verb} {party}" not in ("voting reform", "vote reform", "voting leave", "vote leave")
]
UNION_TRIGGERED = """
union; trade union; labour union; gmb; unite; unison; usdaw; rmt; aslef; cwu; nasuwt; rcn; bma; ucu
ver.di; verdi; ig metall; gew; dgb; cgt; cfdt; force ouvrière; unsa; cgil; cisl; uil; fnv; cnv; ccoo; ugt
solidarność; solidarnosc; teamsters; uaw; afl-cio; seiu; afscme
"""
UNION_ANY = """
union member; union membership; union rep; union representative; shop steward; union dues; union subs
joined the union; join the union; joining the union; unionised; unionized; unionise; unionize; going on strike
on strike; in the union; in a union; in a trade union; my union; our union; picket line; on the picket line
on the picket; strike ballot; union meeting; union branch; union card; the union rep; industrial action
"""
GENETIC_ANY = """
brca; brca1; brca2; brca1 positive; brca2 positive; genetic test; genetic tests; genetic testing
genetic test results; dna test; dna results; 23andme; ancestrydna; carrier of; gene mutation; genetic mutation
mutation carrier; huntington's gene; genome sequencing; whole genome; genetic disorder; genetic condition
hereditary condition; apoe4; lynch syndrome; mthfr; genotype; sickle cell trait; genetic variant
"""
CRIMINAL_ANY = """
criminal record; criminal records; criminal conviction(s); convicted; convicted of; in prison; in jail; out of prison
prison sentence; jail time; served time; did time; suspended sentence; community service; on probation
on parole; probation officer; parole officer; arrested; got arrested; was arrested; charged with; pleaded guilty
found guilty; drink driving; drunk driving; dui; dwi; sex offender; ex-offender; ex-con; released from prison
police caution; criminal charges; restraining order; electronic tag; sentenced; jailed; imprisoned; incarcerated
sex offenders register; sex offender register; sex offenders' register; on the register of sex offenders
barred list; on bail; out on bail; my conviction; my convictions; my court date
parole; paroled; police custody; remanded; on remand; behind bars; young offender; young offenders; youth detention
juvenile detention; juvie; prison record; criminal past; ex-prisoner; served a sentence; caught shoplifting
shoplifting; caution for; charged with assault; assault charge; possession charge; prison release
"""
# "did two years for burglary", "served 18 months in prison": time done, as words.
CRIMINAL_TIME = [
    f"{verb} {count} {unit} {tail}"
    for verb in ("did", "served", "serving", "doing")
    for count in ("a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
                  "eighteen", *map(str, range(1, 31)))
    for unit in ("year", "years", "month", "months", "week", "weeks")
    for tail in ("for", "in prison", "in jail", "inside")
]
GENETIC_TRIGGERED = """
carrier for; carriers for; a carrier; carry the gene; carry a gene; carry the mutation; variant
"""
CRIMINAL_TIGHT = """
conviction; convictions; spent conviction; offence; offense; caution; locked up; banged up; in custody; on licence
"""

_POLITICAL_TRIGGERS = frozenset(
    "vote votes voted voting voter voters support supporter supporters supported member members membership joined "
    "canvass canvassing canvassed campaign campaigning campaigned donate donated donating activist "
    "ballot elect volunteer volunteered volunteering councillor councilor candidate leaflet leafleting leafleted "
    "rally marched canvasser supports volunteers campaigns canvasses donates joins joining "
    # other languages: "ich habe AfD gewählt", "j'ai voté", "iscritto al", "lid van", "członek"
    "gewählt wähle wählen mitglied voté vote votado voto votato gestemd stem głosowałem głosowałam röstade "
    "röstar äänestin membre miembro afiliado iscritto iscritta lid członek członkiem medlem jäsen".split()
)
_UNION_TRIGGERS = frozenset(
    "joined member members membership rep representative steward dues subs organiser organizer "
    "organising organizing strike striking reps ballot balloted picket picketing branch convenor "
    "mitglied membre miembro afiliado afiliada iscritto iscritta lid członek członkiem medlem jäsen".split()
)

_GENETIC_TRIGGERS = frozenset(
    "gene genes genetic genetically sickle cystic fibrosis thalassaemia thalassemia tay sachs mutation mutations "
    "trait hereditary inherited recessive dna haemophilia hemophilia huntington brca brca1 brca2 apoe4 "
    "genome".split()
)

_CODE_WORDS = frozenset(
    "sql query queries select table tables column columns type types typescript struct enum set sets rust python "
    "postgres mysql dataframe pandas api sdk library package third".split()
)


# Breadth beyond the lists above (parties and unions of every EU member state, denominations and
# religious practice, ethnic groups, identities), built by bench/data/build_special_lexicon.py into
# data/special_terms.txt. Matched exactly (no typo match); the lists above win where both hold a term.
_VOCABULARY = vocabulary("special_terms.txt")
_SECTIONS = (("religion-tight", RELIGION, TIGHT), ("religion-any", RELIGION, ANY),
             ("ethnic-copula", ETHNIC_ORIGIN, COPULA), ("ethnic-any", ETHNIC_ORIGIN, ANY),
             ("sexuality-copula", SEXUAL_ORIENTATION, COPULA), ("sexuality-any", SEXUAL_ORIENTATION, ANY),
             ("politics-triggered", POLITICAL_OPINION, TRIGGER), ("union-triggered", TRADE_UNION, TRIGGER))
_ELSEWHERE = vocabulary("foreign_terms.txt")  # other languages: "je suis musulmane", "ich bin schwul"
_SECTIONS_ELSEWHERE = (("religion", RELIGION), ("sexuality", SEXUAL_ORIENTATION), ("union", TRADE_UNION),
                       ("criminal", CRIMINAL_RECORD))
VOCABULARY_TERMS = [(entity_type, mode, term) for section, entity_type, mode in _SECTIONS
                    for term in _VOCABULARY.get(section, ())] + [
    (entity_type, ANY, term) for section, entity_type in _SECTIONS_ELSEWHERE for term in _ELSEWHERE.get(section, ())]


class SpecialCategoryRecognizer(LexiconRecognizer):
    """Art. 9 special categories and Art. 10 criminal records said of a person (see the module docstring)."""

    ENTITIES = SPECIAL_CATEGORY_ENTITY_TYPES
    LEXICON = Lexicon(
        term_table(RELIGION, TIGHT, RELIGION_TIGHT)
        + term_table(RELIGION, ANY, RELIGION_ANY)
        + term_table(ETHNIC_ORIGIN, COPULA, ETHNIC_COPULA)
        + term_table(ETHNIC_ORIGIN, ANY, ETHNIC_ANY)
        + [(ETHNIC_ORIGIN, ANY, term) for term in ORIGIN_PHRASES + ETHNIC_RELATIONS]
        + [(SEXUAL_ORIENTATION, ANY, term) for term in SEXUALITY_RELATIONS]
        + [(POLITICAL_OPINION, ANY, term) for term in VOTED_PARTY]
        + term_table(SEXUAL_ORIENTATION, COPULA, SEXUALITY_COPULA)
        + term_table(SEXUAL_ORIENTATION, ANY, SEXUALITY_ANY)
        + term_table(POLITICAL_OPINION, TRIGGER, POLITICS_TRIGGERED)
        + term_table(POLITICAL_OPINION, TIGHT, POLITICS_TIGHT)
        + term_table(POLITICAL_OPINION, ANY, POLITICS_ANY)
        + term_table(TRADE_UNION, TRIGGER, UNION_TRIGGERED)
        + term_table(TRADE_UNION, ANY, UNION_ANY)
        + term_table(GENETIC_DATA, ANY, GENETIC_ANY)
        + term_table(GENETIC_DATA, TRIGGER, GENETIC_TRIGGERED)
        + term_table(CRIMINAL_RECORD, ANY, CRIMINAL_ANY)
        + [(CRIMINAL_RECORD, ANY, term) for term in CRIMINAL_TIME]
        + term_table(CRIMINAL_RECORD, TIGHT, CRIMINAL_TIGHT),
        exact_terms=VOCABULARY_TERMS,
    )
    ANCHORING = Anchoring(
        triggers=((POLITICAL_OPINION, _POLITICAL_TRIGGERS), (TRADE_UNION, _UNION_TRIGGERS),
                  (GENETIC_DATA, _GENETIC_TRIGGERS)),
        # "union" of SQL, sets and types; "party" of software ("third-party").
        vetoes=((TRADE_UNION, _CODE_WORDS), (POLITICAL_OPINION, _CODE_WORDS)),
        # "as a Black Friday deal", "my conviction that we should ship".
        modifiers=((ETHNIC_ORIGIN, frozenset("friday box hole holes belt mirror market metal sea death forest "
                                             "swan pudding tea cab".split())),
                   (CRIMINAL_RECORD, frozenset({"that"})), (RELIGION, frozenset({"run"}))),
    )
    SCORE = 0.65

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        results = [r for r in super().analyze(text, entities, nlp_artifacts)
                   if not (r.entity_type == CRIMINAL_RECORD and (_FIGURATIVE_ARREST.match(text, r.start)
                                                                 or _BELIEF.match(text, r.end)))
                   and not (r.entity_type == RELIGION and _FAITH_IN_THINGS.match(text, r.end)
                            and text[r.start:r.end].lower() in ("my faith", "our faith"))]
        starts = sorted(r.start for r in results)
        for result in results:
            # "came out as" / "convicted of" / "carrier for": the finding covers what follows too.
            if _OPEN_ENDED.search(text, result.start, result.end):
                following = _NEXT_WORD.match(text, result.end)
                # ... unless what follows is a finding of its own ("voted for" + "the AfD").
                if following is not None and bisect.bisect_left(starts, result.end) == bisect.bisect_left(
                        starts, following.end()):
                    result.end = following.end()
        return results


# "arrested by the view", not "arrested by the police".
_FIGURATIVE_ARREST = re.compile(
    r"(?i)arrested[ \t]+by[ \t]+(?:the[ \t]+|a[ \t]+|an[ \t]+|his[ \t]+|her[ \t]+|its[ \t]+)?"
    r"(?!police|officers?|cops?|detectives?|border|customs|security|guards?|agents?|gardaí|gardai|the[ \t]+police)"
)
# "my conviction is that we should ship": a belief.
_BELIEF = re.compile(r"(?i)[ \t]+(?:is|was)[ \t]+that\b")
# "my faith in this framework", not "my faith in God".
_FAITH_IN_THINGS = re.compile(r"(?i)[ \t]+in[ \t]+(?!god\b|allah\b|jesus\b|christ\b|the[ \t]+lord\b|the[ \t]+church\b)")
_OPEN_ENDED = re.compile(r"(?i)\b(?:as|of|for|to)$")
_NEXT_WORD = re.compile(r"(?i)(?:[ \t]{1,3}(?:the|a|an|my|his|her|their|our))?[ \t]{1,3}[^\W_]+(?:['’-][^\W_]+){0,3}")
