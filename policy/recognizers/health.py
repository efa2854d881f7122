"""HEALTH_DATA (category PHI): conditions, symptoms, treatments and medicines, said of a person.

"I was diagnosed with type 2 diabetes", "my daughter's insulin doses", "she has multiple
sclerosis", "Diagnosis: acute pancreatitis" — but not "What are the symptoms of type 2
diabetes?" or "explain how insulin works". The terms are curated lists (below); the
person test is `_lexicon.is_about_a_person`. GDPR Art. 9(1) "data concerning health".

Beyond the curated lists, `data/health_terms.txt` adds ~31,500 disease names (MeSH, with
their lay entry terms: "restless legs syndrome", "frozen shoulder") and ~8,000 medicine
names (generic and brand: "doxycycline", "Zyrtec"), matched exactly and anchored the same
way; symptoms with an everyday sense ("rash", "cough") only right after the anchor.
`data/foreign_terms.txt` adds the common ones in German, French, Spanish, Italian, Dutch,
Polish, Swedish and Finnish ("ich bin schwanger", "ma mère a un cancer").

Known gaps: descriptions without a term ("I can't stop crying at work"), prose in other
languages beyond those words, and health data of a person stated only as a question about the topic ("can I
drink on lamotrigine?" has no anchor but "I").
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from policy.recognizers._lexicon import (
    ANY,
    COPULA,
    TIGHT,
    Anchoring,
    Lexicon,
    LexiconRecognizer,
    term_table,
    vocabulary,
)

HEALTH_DATA = "HEALTH_DATA"

# Specific enough that a person anchor in the sentence suffices.
CONDITIONS = """
diabetes; diabetic; type 1 diabetes; type 2 diabetes; prediabetes; gestational diabetes; hypoglycaemia; hypoglycemia
cancer; tumour; tumor; leukaemia; leukemia; lymphoma; melanoma; carcinoma; sarcoma; myeloma; metastatic; metastases
breast cancer; prostate cancer; lung cancer; bowel cancer; colon cancer; ovarian cancer; cervical cancer
skin cancer; brain tumour; brain tumor; terminal cancer; terminally ill; in remission
asthma; asthmatic; copd; emphysema; bronchitis; pneumonia; tuberculosis; cystic fibrosis; sleep apnoea; sleep apnea
epilepsy; epileptic; seizure(s); migraine(s); multiple sclerosis; parkinson; parkinson's disease; alzheimer
alzheimer's disease; dementia; huntington; huntington's disease; motor neurone disease; cerebral palsy
aphasia; neuropathy; fibromyalgia; chronic fatigue syndrome; long covid; me/cfs; tinnitus; vertigo; narcolepsy
hypertension; high blood pressure; low blood pressure; heart failure; heart attack; heart disease; arrhythmia
atrial fibrillation; angina; cardiomyopathy; blood clot; deep vein thrombosis; pulmonary embolism
anaemia; anemia; sickle cell; haemophilia; hemophilia; thalassaemia; high cholesterol
hiv; hiv positive; hiv-positive; aids; hepatitis; hepatitis b; hepatitis c; chlamydia; gonorrhoea; gonorrhea
syphilis; herpes; genital warts; hpv; sti
mumps; tonsillitis; strep throat; sinusitis; uti; urinary tract infection; kidney infection; sepsis
lyme disease; malaria; mrsa; meningitis; glandular fever; mononucleosis
crohn; crohn's disease; colitis; ulcerative colitis; ibs; irritable bowel syndrome; coeliac; celiac
coeliac disease; celiac disease; gastritis; acid reflux; gerd; ulcer; stomach ulcer; pancreatitis; gallstones
appendicitis; hernia; haemorrhoids; hemorrhoids; diverticulitis; cirrhosis; fatty liver; kidney disease
kidney failure; kidney stones; renal failure; dialysis
arthritis; rheumatoid arthritis; osteoarthritis; osteoporosis; lupus; psoriasis; eczema; gout; scoliosis
endometriosis; pcos; polycystic ovary syndrome; infertility; infertile; miscarriage; stillbirth; ectopic pregnancy
pregnant; pregnancy; weeks pregnant; morning sickness; menopause; perimenopause; erectile dysfunction
hypothyroidism; hyperthyroidism; thyroid; hashimoto; graves disease; addison; cushing
depression; depressed; clinical depression; postnatal depression; postpartum depression; anxiety; anxiety disorder
generalised anxiety disorder; panic attack(s); panic disorder; ptsd; post-traumatic stress; ocd; bipolar
bipolar disorder; schizophrenia; schizophrenic; psychosis; psychotic; personality disorder; bpd; adhd
autism; autistic; asperger; asperger's; dyslexia; dyslexic; dyspraxia; dyscalculia; tourette; tourettes
eating disorder; anorexia; anorexic; bulimia; bulimic; binge eating; self-harm; self-harming; self harm
suicidal; suicide attempt; suicidal thoughts; burnout; insomnia; nervous breakdown
alcoholism; alcoholic; alcohol dependence; alcohol addiction; drug addiction; opioid addiction
heroin addiction; relapse; relapsed; recovering addict; in recovery; sober; sobriety; withdrawal symptoms
hard of hearing; hearing loss; hearing aid(s); partially sighted; visually impaired; glaucoma
cataract(s); macular degeneration; colour blind; color blind; wheelchair; wheelchair user; paralysed; paralyzed
paraplegic; quadriplegic; amputee; amputation; disability; learning disability; chronic pain
allergic; allergy; allergies; anaphylaxis; anaphylactic; nut allergy; peanut allergy; lactose intolerant
concussion; broken leg; broken arm; fracture; fractured; torn acl; slipped disc; herniated disc; whiplash
obese; obesity; morbidly obese
mini stroke; brain injury; traumatic brain injury; aneurysm; chest pain; shortness of breath
sickle cell disease; down syndrome; down's syndrome; spina bifida; muscular dystrophy; rare disease
miscarried; miscarry; miscarriages; overdose; overdosed; self-harms; self harms; tried to kill himself
tried to kill herself; tried to kill myself; took his own life; took her own life; took their own life
gambling addiction; gambling problem; problem gambler; drinking problem; drink problem; alcohol problem
cocaine addiction; porn addiction; addicted to
hearing impairment; visual impairment; sight loss; deafness; blindness; going blind; going deaf; losing my sight
losing her sight; losing his sight; losing my hearing; losing her hearing; losing his hearing
losing his memory; losing her memory; losing my memory; memory loss; memory problems
tic disorder; tourette's syndrome; tourette syndrome; hay fever; heart murmur; iron deficiency; low iron
iron is low; vitamin d deficiency; b12 deficiency; heavy periods; irregular periods; painful periods
period pain(s); missed period; my period is late; abnormal smear; smear results; came back abnormal
came back positive; tested positive; chronic illness; chronic condition; long-term condition; terminal illness
serious illness; mental breakdown; found a lump; a lump in my; a lump in her; a lump in his; in a coma
hospitalised; hospitalized; admitted to hospital; expecting twins; expecting a baby; expecting our first
expecting our second; expecting our third; expecting a boy; expecting a girl; off work with stress
signed off with stress; off with stress; stress leave; work-related stress; signed me off; signed her off
signed him off; gallbladder; triple bypass; gastric bypass; gastric band; bypass; blood results; blood work
bloodwork; scan results; mri results; x-ray; xray; appendix out; appendix removed; had two strokes
had several strokes; had multiple strokes
"""

# "broke my wrist", "her knee surgery", "a sprained ankle": injuries and operations on a body part.
_BODY_PARTS = ("wrist arm leg ankle hip collarbone foot toe finger nose back knee shoulder elbow rib ribs neck jaw "
               "pelvis hand thumb spine acl meniscus achilles hamstring ligament cartilage").split()
INJURIES = [
    f"{verb} {owner}{part}"
    for verb in ("broke", "broken", "fractured", "sprained", "dislocated", "tore", "torn", "injured", "hurt")
    for owner in ("", "my ", "her ", "his ", "their ", "a ")
    for part in _BODY_PARTS
] + [
    f"{part} {kind}"
    for part in _BODY_PARTS + ["eye", "cataract", "heart", "brain", "bariatric", "weight loss", "gallbladder",
                               "hernia", "wisdom tooth", "wisdom teeth", "cardiac", "open heart", "breast",
                               "sinus", "ear", "bowel", "stomach", "laser eye", "acl", "tonsil", "tonsils", "spinal"]
    for kind in ("surgery", "operation", "op", "replacement")
]

TREATMENTS = """
chemo; chemotherapy; radiotherapy; radiation therapy; immunotherapy; mastectomy; lumpectomy; hysterectomy
vasectomy; c-section; caesarean; cesarean; ivf; fertility treatment; egg freezing; iui; abortion
transplant; kidney transplant; liver transplant; bypass surgery; heart surgery; knee replacement; hip replacement
biopsy; colonoscopy; endoscopy; mri scan; ct scan; pet scan; mammogram; smear test
blood test; blood tests; blood test results; biopsy results; hba1c; blood sugar; glucose level(s)
cholesterol level(s); viral load; cd4 count; psa level; blood pressure reading
therapy; therapist; psychotherapy; psychotherapist; counselling; counseling; counsellor; counselor; cbt
psychiatrist; psychologist; psychiatric; psychiatric ward; sectioned; rehab; rehabilitation
physiotherapy; physio; occupational therapy; speech therapy; hospice; palliative care; end of life care
cpap; cpap machine; inhaler; insulin pump; glucose monitor; epipen; stoma; colostomy; catheter; hearing implant
cochlear implant; prosthetic; prosthesis; crutches; sick note; fit note; signed off sick; sick leave
medication; medications; meds; prescription; prescribed; antidepressant(s); antibiotics; antipsychotic(s)
painkiller(s); sleeping pills; birth control; contraceptive pill; the pill; morning after pill; hrt
hormone therapy; hormone replacement therapy; testosterone; oestrogen; estrogen; puberty blockers
antiretroviral(s); methadone; buprenorphine; subutex; suboxone; naloxone; insulin; metformin; ozempic; wegovy
semaglutide; mounjaro; tirzepatide; sertraline; zoloft; fluoxetine; prozac; citalopram; escitalopram; lexapro
paroxetine; venlafaxine; effexor; duloxetine; cymbalta; mirtazapine; bupropion; wellbutrin; trazodone
amitriptyline; lamotrigine; lamictal; quetiapine; seroquel; olanzapine; risperidone; aripiprazole
abilify; clozapine; haloperidol; valproate; sodium valproate; depakote; carbamazepine; levetiracetam; keppra
topiramate; gabapentin; pregabalin; lyrica; diazepam; valium; lorazepam; ativan; alprazolam; xanax
clonazepam; zolpidem; zopiclone; melatonin; methylphenidate; ritalin; concerta; adderall; vyvanse
lisdexamfetamine; atomoxetine; levothyroxine; thyroxine; prednisone; prednisolone; hydrocortisone
methotrexate; humira; adalimumab; infliximab; biologics; tamoxifen; herceptin; letrozole; warfarin
apixaban; eliquis; rivaroxaban; xarelto; clopidogrel; statins; atorvastatin; simvastatin; lisinopril
ramipril; amlodipine; losartan; bisoprolol; metoprolol; propranolol; beta blockers; furosemide
omeprazole; lansoprazole; salbutamol; ventolin; tramadol; codeine; oxycodone; morphine; fentanyl
co-codamol; naproxen; isotretinoin; accutane; finasteride; sildenafil; viagra; truvada; descovy
"""

# Words with an everyday sense: only right after "I'm", "my", "she is", ...
AMBIGUOUS = """
ill; unwell; diagnosed; infected; mental health; mental illness; heart condition; illness; disease; cold
fever; headache(s); surgery; operation; stroke; registered blind; legally blind
lithium; pacemaker; shingles; measles; chickenpox; covid; covid-19; coronavirus; flu; influenza; prep
addiction; addicted; off sick
in hospital; in the hospital; in a&e; in intensive care; in icu; in the icu; had a breakdown; stammer; stutter
stammers; stutters; tics; tia; had a fall; MS; strokes
"""
# Adjectives with an everyday sense ("I disabled the firewall"): only after a copula or "as a".
COPULA_ADJECTIVES = """
disabled; deaf; blind; diabetic; epileptic; autistic; pregnant; infertile
"""


# Breadth beyond the curated lists: ~31,000 disease names (MeSH) and ~8,000 medicine names, built by
# bench/data/build_health_lexicon.py into data/health_terms.txt. Matched exactly (no typo match),
# and only where the curated lists say nothing of the same words.
def _vocabulary_terms() -> list[tuple[str, str, str]]:
    vocabulary_sections = vocabulary("health_terms.txt")
    return (
        [(HEALTH_DATA, ANY, term) for term in vocabulary_sections.get("condition", ())]
        + [(HEALTH_DATA, TIGHT, term) for term in vocabulary_sections.get("condition-tight", ())]
        + [(HEALTH_DATA, ANY, term) for term in vocabulary_sections.get("medicine", ())]
        # ... and in other languages: "ich bin schwanger", "ma mère a un cancer" (bench/data/build_foreign_terms.py).
        + [(HEALTH_DATA, ANY, term) for term in vocabulary("foreign_terms.txt").get("health", ())]
    )


class HealthDataRecognizer(LexiconRecognizer):
    """HEALTH_DATA: conditions, treatments and medicines of a person (see the module docstring)."""

    ENTITIES = (HEALTH_DATA,)
    LEXICON = Lexicon(
        term_table(HEALTH_DATA, ANY, CONDITIONS)
        + term_table(HEALTH_DATA, ANY, TREATMENTS)
        + term_table(HEALTH_DATA, TIGHT, AMBIGUOUS)
        + term_table(HEALTH_DATA, COPULA, COPULA_ADJECTIVES)
        + [(HEALTH_DATA, ANY, term) for term in INJURIES],
        exact_terms=_vocabulary_terms(),
    )
    ANCHORING = Anchoring(modifiers=((HEALTH_DATA, frozenset(
        # "my cancer research grant", "our diabetes awareness campaign", "MS Office"
        "research researcher researchers charity charities awareness fundraiser fundraising industry market "
        "startup conference campaign patients office word excel teams access sql windows dos edge paint project "
        "outlook azure exchange staring looking dataset datasets data statistics stats guidelines "
        # "the Krebs cycle", "the cancer registry API", "the diabetes dashboard", "the HIV clinic scheduling system"
        "cycle registry api app apps database dashboard association foundation society prevalence".split())),))
    SCORE = 0.65

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        # "I'm a physio", "she's a psychiatrist": a profession, not a patient's carer.
        return [r for r in super().analyze(text, entities, nlp_artifacts)
                if not (text[r.start:r.end].lower() in _PROVIDERS
                        and _PROFESSION.search(text, max(0, r.start - 48), r.start))]


_PROVIDERS = frozenset(
    "therapist psychotherapist psychiatrist psychologist physio physiotherapist counsellor counselor "
    "counsellors".split()
)
_PROFESSION = re.compile(
    r"(?i)\b(?:i'?m|i[ \t]+am|is|was|are|she's|he's|as|work(?:s|ed)?[ \t]+as|training[ \t]+to[ \t]+be|trained[ \t]+as)"
    r"[ \t]+(?:a|an)[ \t]+(?:[a-z-]{1,20}[ \t]+){0,2}$"
)
