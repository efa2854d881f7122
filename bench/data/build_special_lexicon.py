"""Build policy/recognizers/data/special_terms.txt, the vocabulary `special_categories.py` adds to its lists.

Run by hand when the lists below change (the output is committed; nothing here runs at
detection time):

    python bench/data/build_special_lexicon.py

Every list here was written for this project (Apache-2.0, like the rest of the repository):
political parties of the EU member states, the UK, Switzerland, Norway and the US, with
their common abbreviations; trade unions and union confederations of the same countries and
the word "union" in their languages; religions, denominations and religious practice;
ethnic groups and origins; sexual orientations and gender identities. Names of parties and
unions are facts, not copied text. A word-vector model was tried for suggestions at build
time and gave nothing usable (bench/data/README.md), so none is used.

Sections and how `special_categories.py` anchors them (see `_lexicon`):

    [religion-tight]      "I'm Coptic", "my wife is Ismaili"            (anchor right before)
    [religion-any]        "we wear the niqab", "I go to confession"      (anchor near)
    [ethnic-copula]       "I'm Uyghur", "as a Tamil woman"               (copula or "as a" right before)
    [ethnic-any]          "of Polish descent", "my Yoruba heritage"      (anchor near)
    [sexuality-copula]    "I'm demisexual", "she is agender"
    [sexuality-any]       "since my top surgery", "my transition"
    [politics-triggered]  "I voted for Chega", "member of the PiS"       (anchor and a political trigger near)
    [union-triggered]     "I joined Unionen", "a SIPTU rep"              (anchor and a union trigger near)

Terms are lower case except acronyms and names that must be written with a capital in the
prompt to count ("PiS", "Unionen"): a term whose first letter is a capital only
matches a capitalised word (`_lexicon.Term.cased`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "policy" / "recognizers" / "data" / "special_terms.txt"

PARTIES = """
# Austria
NEOS; KPÖ; Liste Pilz; Team Stronach
# Belgium
PTB; PVDA; CD&V; Open VLD; Vooruit; Groen; Ecolo; Les Engagés; DéFI; N-VA; Vlaams Belang
# Bulgaria
GERB; Vazrazhdane; Revival party; PP-DB; We Continue the Change
# Croatia
HDZ; Možemo; Mozemo; Domovinski pokret; Homeland Movement
# Cyprus
DISY; AKEL; ELAM; DIKO
# Czechia
ODS; Piráti; Pirati; Pirate Party; TOP 09; KDU-ČSL; KDU-CSL; SPOLU
# Denmark
Socialdemokratiet; Socialdemokraterne; Venstre; Moderaterne; Enhedslisten; Dansk Folkeparti; Danish People's Party
Liberal Alliance; Radikale Venstre; Danmarksdemokraterne; Konservative
# Estonia
Reformierakond; Reform Party; EKRE; Isamaa; Keskerakond; Centre Party; Eesti 200
# Finland
Kokoomus; National Coalition Party; Perussuomalaiset; Finns Party; Keskusta; Vihreät; Vihreat
Vasemmistoliitto; Left Alliance; RKP; Swedish People's Party
# France
La République en Marche; LREM; En Marche; MoDem; Parti socialiste; Socialist Party
EELV; Les Verts; Les Écologistes; PCF; Parti communiste; Rassemblement national; Front national; NPA
Nouveau Front populaire; NUPES; Reconquête; Lutte ouvrière
# Germany
Freie Wähler; Freie Waehler; NPD; Die Partei; Volt; Bündnis 90; Buendnis 90; Die Grünen; Die Gruenen; Grüne; Gruene
Die Linke; Linkspartei; BSW; CDU/CSU; ÖDP; Tierschutzpartei; Piratenpartei
# Greece
Nea Dimokratia; New Democracy; SYRIZA; PASOK; KKE; Elliniki Lysi; Greek Solution; Golden Dawn; MeRA25
# Hungary
Fidesz; Tisza; Jobbik; Mi Hazánk; Our Homeland; Demokratikus Koalíció; Momentum; MSZP
# Ireland
Fianna Fáil; Fine Gael; Sinn Féin; Social Democrats; People Before Profit; Aontú; Aontu; Green Party; Labour
# Italy
Fratelli d'Italia; Brothers of Italy; FdI; Lega; Lega Nord; Northern League; Forza Italia; Partito Democratico
Movimento 5 Stelle; Five Star Movement; M5S; Azione; Italia Viva; Sinistra Italiana; Più Europa
# Latvia
Jaunā Vienotība; New Unity; National Alliance; Nacionālā apvienība; Latvia First
# Lithuania
TS-LKD; Homeland Union; LSDP; Social Democratic Party of Lithuania; Farmers and Greens Union
# Luxembourg
LSAP; déi gréng; déi Lénk
# Malta
Partit Laburista; Partit Nazzjonalista; Nationalist Party; Labour Party
# Netherlands
PVV; VVD; D66; GroenLinks; PvdA; BBB; Nieuw Sociaal Contract; CDA; ChristenUnie; Partij voor de Dieren
Party for the Animals; JA21; Forum voor Democratie; FvD; DENK; Volt Nederland
# Poland
PiS; Law and Justice; Prawo i Sprawiedliwość; Civic Platform; Platforma Obywatelska; Koalicja Obywatelska
Lewica; New Left; Nowa Lewica; Polska 2050; PSL; Trzecia Droga; Third Way; Konfederacja; Razem
# Portugal
Chega; Iniciativa Liberal; Bloco de Esquerda; Left Bloc; CDS-PP; Partido Socialista
# Romania
UDMR; Partidul Social Democrat
# Slovakia
Smer; Hlas; Progresívne Slovensko; Progressive Slovakia; KDH; OĽaNO; Republika
# Slovenia
Gibanje Svoboda; Freedom Movement; Levica; NSi; Slovenian Democratic Party
# Spain
Partido Popular; PSOE; Vox; Sumar; Podemos; Junts; EH Bildu; Bildu; PNV; Ciudadanos; Ciutadans; BNG
Más Madrid; Mas Madrid; Compromís
# Sweden
Socialdemokraterna; Sverigedemokraterna; Sweden Democrats; Moderaterna; Vänsterpartiet; Vansterpartiet
Centerpartiet; Liberalerna; Kristdemokraterna; Miljöpartiet; Miljopartiet
# Switzerland, Norway
UDC; Die Mitte; Arbeiderpartiet; Høyre; Hoyre; Fremskrittspartiet; FrP; Senterpartiet; Rødt; Rodt
# United Kingdom
Alliance Party; Scottish Greens; Alba Party; Workers Party; SDLP; UUP; TUV; Britain First; Brexit Party
Scottish National Party; Co-operative Party; Women's Equality Party; Monster Raving Loony Party
# United States
GOP; Libertarian Party; Green Party; Democratic Socialists of America; Working Families Party
# European Parliament groups
EPP; Renew Europe; Patriots for Europe; Identity and Democracy; Greens/EFA; Volt Europa
"""

UNIONS = """
# generic words for a trade union in the languages of the EU
syndicat; gewerkschaft; sindacato; sindicato; vakbond; vakbonden; związek zawodowy; zwiazek zawodowy; fagforening
fagforbund; ammattiliitto; fackförbund; fackforbund; fackförening; fackforening; odborový svaz; szakszervezet
# Germany, Austria, Switzerland
IG BCE; IG BAU; EVG; GdL; GDL; GdP; Marburger Bund; komba; dbb; NGG; ÖGB; OGB; younion; PRO-GE; Unia; syndicom
# France, Belgium, Luxembourg
CFE-CGC; SUD; Solidaires; UNSA; ABVV; FGTB; ACV; ACLVB; CGSLB; OGBL; LCGB
# Italy, Spain, Portugal
UGL; FIOM; FIOM-CGIL; CSIF; CGTP; UGT-P
# Netherlands
VCP; FNV Metaal; AbvaKabo
# Nordic countries
SACO; Kommunal; IF Metall; Unionen; Ledarna; Lärarförbundet; Vårdförbundet; 3F; Dansk Metal
SAK; STTK; Akava; JHL; Teollisuusliitto; Fellesforbundet; Fagforbundet; Tehy; OAJ
# Poland, Central and Eastern Europe
OPZZ; ZNP; Forum Związków Zawodowych; NSZZ
# Ireland, United Kingdom
SIPTU; Fórsa; Forsa; ASTI; ICTU; FBU; RCM; BECTU; NUJ; TSSA; BFAWU; UVW
IWGB; HCSA; Napo; Community union; Equity union; TUC; Scottish TUC; ASLEF; NASUWT; RMT
# United States, international
UFCW; IBEW; CWA; USW; UAW; UNITE HERE; SAG-AFTRA; WGA; ILWU; UFW; TWU; National Nurses United; IWW
Wobblies; Amazon Labor Union; Starbucks Workers United; Workers United; ITUC; ETUC
"""

RELIGION_TIGHT = """
shia muslim; sunni muslim; shi'a; ismaili; ahmadi; ahmadiyya; sufi; salafi; hasidic; hassidic; chassidic; haredi
chabad; lubavitch; reform jew; conservative jew; messianic jew; observant jew; modern orthodox; ultra-orthodox
coptic; copt; coptic christian; maronite; syriac orthodox; armenian apostolic; eastern orthodox; serbian orthodox
romanian orthodox; ethiopian orthodox; old catholic; episcopalian; calvinist; adventist; seventh-day adventist
amish; mennonite; hutterite; unitarian; unitarian universalist; christian scientist; latter-day saint; nazarene
moravian; waldensian; jain; jainist; shinto; shintoist; taoist; daoist; confucian; yazidi; yezidi; mandaean
hare krishna; vaishnava; vaishnavite; shaivite; khalsa; amritdhari; rastafari; santero; vodouisant; heathen; druid
satanist; humanist; secular humanist; freethinker; deist; pantheist; theist; neopagan; spiritualist
ex-muslim; ex-mormon; ex-jw; ex-jehovah's witness; apostate; non-believer; nonbeliever; churchgoer; born again
religious jew; religious muslim; devout christian; practising christian; practicing christian; practicing muslim
practising jew; practicing jew; practising hindu; practicing hindu; practising sikh; practicing sikh; catholic convert
charismatic christian; free church; church of england; church of scotland; anglo-catholic; greek catholic
"""
_DRESS = ("hijab headscarf niqab burqa burka abaya jilbab turban patka kippah kippa yarmulke sheitel tichel "
          "tzitzit dastar").split()
RELIGION_ANY = "\n".join(
    [f"{verb} {det}{item}" for verb in ("wear", "wears", "wearing", "wore", "started wearing", "stopped wearing")
     for det in ("a ", "the ", "my ", "her ", "his ") for item in _DRESS]
    + [f"{verb} {feast}" for verb in ("observe", "observes", "observing", "keep", "keeps", "keeping", "celebrate",
                                      "celebrates", "celebrating", "fast for", "fasting for", "fast during")
       for feast in ("ramadan", "eid", "diwali", "hanukkah", "chanukah", "passover", "pesach", "yom kippur",
                     "rosh hashanah", "sukkot", "shavuot", "navratri", "vaisakhi", "lent", "the sabbath",
                     "shabbat", "the fast")]
) + """
go to confession; went to confession; take communion; took communion; receive communion; my first communion
her first communion; his first communion; my confirmation; pray the rosary; my rosary; say the rosary
my masjid; our masjid; the masjid; jummah; jumu'ah; jumma prayers; friday prayer; pray salah; my salah; pray namaz
my namaz; perform wudu; my iftar; our iftar; suhoor; sehri; eid prayers; eid prayer; my sangha
our sangha; my temple; our temple; our mosque; our church; our synagogue; our gurdwara; my congregation
our congregation; my parish priest; my pastor; our pastor; the kingdom hall; kingdom hall
my kingdom hall; langar at the gurdwara; took amrit; take amrit; my bible study; bible study group
my prayer group; our prayer group; my faith community; our faith community; my religious community; bar mitzvah
bat mitzvah; my baptism; her baptism; his baptism; my christening; was confirmed in; my ordination
became a nun; became a monk; became a priest
my church community
for my faith; because of my faith
as a believer; as a person of faith; person of faith; people of faith in my family; religious upbringing
raised catholic; raised muslim; raised jewish; raised hindu; raised sikh; raised buddhist; raised mormon
raised christian; raised as a jehovah's witness; raised orthodox; raised evangelical; raised protestant
brought up catholic; brought up muslim; brought up jewish; brought up hindu; brought up christian; brought up sikh
left the faith; leaving the faith; left the mormon church; left the jehovah's witnesses; disfellowshipped
shunned by the congregation; excommunicated; renounced islam; renounced my faith; became an atheist
became a christian; became a muslim; became a buddhist; became catholic; became jewish; converted to sikhism
converted to hinduism; converted to catholicism; converted to orthodoxy; converted to buddhism; reverted to islam
my reversion; took shahada; take shahada; took the shahada; my shahada
"""

_ORIGINS = """
polish; romanian; bulgarian; greek; italian; portuguese; spanish; irish; scottish; welsh; german; french; dutch
ukrainian; russian; serbian; croatian; hungarian; czech; slovak; lithuanian; latvian; estonian; finnish; swedish
norwegian; danish; sami; basque; catalan; galician; corsican; breton; flemish; walloon; yoruba; igbo; hausa; akan
zulu; xhosa; amhara; oromo; tigrayan; tigrinya; tamil; punjabi; gujarati; bengali; sindhi; pashtun; hazara; baloch
uyghur; uighur; tibetan; hmong; karen; rohingya; han chinese; cantonese; hakka; palestinian; israeli; yemeni; saudi
jordanian; sudanese; libyan; cuban; dominican; puerto rican; peruvian; chilean; argentinian; venezuelan; ecuadorian
salvadoran; guatemalan; honduran; bolivian; samoan; tongan; fijian; hawaiian; native hawaiian; cape verdean
angolan; mozambican; cameroonian; ivorian; malian; gambian; sierra leonean; ugandan; rwandan; tanzanian; zimbabwean
south african; surinamese; antillean; moluccan; indo; creole; kurdish; assyrian; chaldean; circassian; tatar
crimean tatar; kazakh; uzbek; tajik; turkmen; kyrgyz; azerbaijani; azeri; georgian; chechen; ingush; dagestani
bosniak; kosovar; macedonian; montenegrin; slovenian; maltese; cypriot; turkish cypriot; greek cypriot; nepali
sinhalese; bhutanese; burmese; cambodian; khmer; lao; laotian; mongolian; taiwanese; singaporean; aboriginal
torres strait islander; first nations; metis; métis; inuit; yupik; mestizo; afro-caribbean; afro-latino
afro-brazilian; afro-colombian; afro-german; afro-french; black african; black caribbean; black british
white british; white irish; romanichal; yenish; manouche; kale; bedouin; tuareg; amazigh; kabyle; fulani; wolof
somali; eritrean; ethiopian; nigerian; ghanaian; kenyan; congolese; senegalese; moroccan; algerian; tunisian
"""
ETHNIC_COPULA = """
Uyghur; Uighur; Tamil; Sami; Sámi; Yazidi; Rohingya; Hmong; Pashtun; Hazara; Baloch; Amazigh; Kabyle; Tuareg
Bedouin; Circassian; Assyrian; Chaldean; Yoruba; Igbo; Hausa; Fulani; Akan; Zulu; Xhosa; Oromo; Tigrayan; Amhara
Punjabi; Gujarati; Sindhi; Tibetan; Inuk; Métis; Metis; Mestizo; Afro-Caribbean; Afro-Latino; Afro-Latina
Afro-Brazilian; Afro-German; Black African; Black Caribbean; White British; White Irish; Romanichal; Yenish
Manouche; Pacific Islander; Torres Strait Islander; Native Hawaiian; Crimean Tatar; Moluccan; Creole
half Black; half Asian; half Indian; half Chinese; half Japanese; half Korean; half Arab; half Turkish
half Moroccan; half Nigerian; half Jamaican; half Pakistani; half Mexican; half Filipino; half Vietnamese
mixed heritage; dual heritage; multiracial; multi-racial
"""
ETHNIC_ANY = "\n".join(
    f"of {origin} {kind}" for origin in (o.strip() for o in re.split(r"[;\n]", _ORIGINS) if o.strip())
    # Not "origin" or "background": "this cheese is of French origin" is about a thing.
    for kind in ("descent", "heritage", "ancestry", "roots", "parentage")
) + """
my ethnicity; her ethnicity; his ethnicity; my ethnic background; my ethnic origin
my racial background
because of my skin
"""

SEXUALITY_COPULA = """
demisexual; graysexual; greysexual; omnisexual; polysexual; sapphic; agender; bigender; demigirl; demiboy
transmasculine; transfeminine; transsexual; ftm; mtf; trans masc; trans femme; transmasc; transfem; butch lesbian
a lesbian; a gay man; a trans man; a trans woman; bi-curious; bicurious; questioning my sexuality; aroace
two spirit; gender non-conforming; gender nonconforming; gender-nonconforming; in a throuple; in a polycule
celibate by choice; homoromantic; biromantic; panromantic; heteroromantic; lgbtqia+; queer woman; queer man
"""
SEXUALITY_ANY = """
top surgery; bottom surgery; facial feminisation surgery; facial feminization surgery
gender dysphoria; my dysphoria
my chosen name; my legal gender; gender recognition certificate; changed my gender marker; my gender marker
she/her pronouns; he/him pronouns; they/them pronouns; my pronouns are; on grindr; my wife and i are both
my girlfriend and i are both; my same-sex spouse; same-sex spouse; my same-sex marriage; our same-sex wedding
my husband's boyfriend; my wife's girlfriend; we're polyamorous; we are polyamorous; my metamour; our throuple
my sexual preferences; my sex drive; our sex drive; erectile problems; my libido; her libido; his libido
came out as trans; came out as bi; came out as lesbian; came out as nonbinary; came out as non-binary
"""


def table(text: str) -> list[str]:
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        rows.extend(t.strip() for t in line.split(";") if t.strip())
    return rows


def _normalised(term: str) -> str:
    # Lower case, except acronyms and names whose capital is part of the match (see the docstring).
    return term if term[:1].isupper() else term.lower()


def build() -> dict[str, list[str]]:
    parties = [_normalised(t) for t in table(PARTIES)]
    unions = [_normalised(t) for t in table(UNIONS)]
    sections = {
        "religion-tight": table(RELIGION_TIGHT),
        "religion-any": table(RELIGION_ANY),
        "ethnic-copula": table(ETHNIC_COPULA),
        "ethnic-any": table(ETHNIC_ANY),
        "sexuality-copula": table(SEXUALITY_COPULA),
        "sexuality-any": table(SEXUALITY_ANY),
        "politics-triggered": parties,
        "union-triggered": unions,
    }
    return {name: sorted(set(terms), key=lambda t: (t.lower(), t)) for name, terms in sections.items()}


HEADER = """\
# Special-category vocabulary of policy/recognizers/special_categories.py: one term a line.
# Built by bench/data/build_special_lexicon.py from lists written for this project (Apache-2.0);
# do not edit by hand. A term written with a capital must be capitalised in the prompt.
"""




def main() -> int:
    sys.path.insert(0, str(ROOT))
    from policy.recognizers._lexicon import write_vocabulary

    sections = build()
    print(write_vocabulary(OUTPUT, HEADER, sections))
    return 0


if __name__ == "__main__":
    sys.exit(main())
