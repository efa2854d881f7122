"""Gold types: every source label mapped to one of our entity types and categories.

    source label (per set) ─▶ gold type ─▶ category (PII … SPECIAL, QUASI) and the
                                           predicted entity types that count as a match

A gold type is one of Residency's entity types (policy/categories.py) wherever one
exists, so the per-type table lines gold and predictions up by name. Where Residency has
no type (a French NIR, a diagnosis written in words) the gold type has a name of its own
and accepts no predicted type: its type-level recall is 0 by construction, and the
category table shows whether anything of the right category was found there. A generic
source label (a passport of unknown country) accepts every predicted type of its kind.

A source label mapped to None is not scored: organisations, products, job titles,
vehicles. Quasi-identifiers (dates, places, addresses, nationalities, URLs, ages) are
scored at span level but count as not regulated at prompt level, as the shipped policy
treats QUASI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from policy.categories import CATEGORY_BY_ENTITY, Category

QUASI = str(Category.QUASI)
REGULATED_CATEGORIES: tuple[str, ...] = tuple(str(c) for c in Category if c is not Category.QUASI)
ALL_CATEGORIES: tuple[str, ...] = (*REGULATED_CATEGORIES, QUASI)


@dataclass(frozen=True)
class GoldType:
    name: str
    category: str
    accepts: frozenset[str]  # predicted entity types that match this gold type

    @property
    def regulated(self) -> bool:
        return self.category != QUASI


def _types_of(category: Category) -> frozenset[str]:
    return frozenset(t for t, c in CATEGORY_BY_ENTITY.items() if c is category)


_EXTRA: dict[str, tuple[Category, frozenset[str]]] = {
    # Generic labels of the shared sets: any predicted type of the kind matches.
    "PASSPORT": (Category.GOV_ID,
                 frozenset(t for t in CATEGORY_BY_ENTITY if t.endswith("_PASSPORT")) | {"PASSPORT_NUMBER"}),
    "DRIVER_LICENSE": (Category.GOV_ID, frozenset({"US_DRIVER_LICENSE", "UK_DRIVING_LICENCE", "IT_DRIVER_LICENSE",
                                                   "DRIVER_LICENSE_NUMBER"})),
    "NATIONAL_ID": (Category.GOV_ID, _types_of(Category.GOV_ID)),
    "TAX_ID": (Category.GOV_ID, _types_of(Category.GOV_ID)),
    "BANK_ACCOUNT": (Category.FINANCIAL, frozenset({"US_BANK_NUMBER", "IBAN_CODE", "UK_BANK_ACCOUNT",
                                                   "BANK_ACCOUNT_NUMBER"})),
    "MEDICAL_ID": (Category.PHI, frozenset({"UK_NHS", "US_MBI", "DE_HEALTH_INSURANCE", "MEDICAL_RECORD_NUMBER"})),
    # Labels of our own cases, with the types that recognise them.
    "FR_NIR": (Category.GOV_ID, frozenset({"FR_NIR"})),
    "FR_PASSPORT": (Category.GOV_ID, frozenset({"PASSPORT_NUMBER"})),
    "NL_BSN": (Category.GOV_ID, frozenset({"NL_BSN"})),
    "BE_NATIONAL_NUMBER": (Category.GOV_ID, frozenset({"BE_NATIONAL_NUMBER"})),
    "CARD_SECURITY_CODE": (Category.PCI, frozenset({"CARD_SECURITY_CODE"})),  # CVV, PIN
    "FINANCIAL_SITUATION": (Category.FINANCIAL, frozenset({"FINANCIAL_SITUATION"})),  # debt, arrears, in words
    "ACCOUNT_ID": (Category.PII, frozenset({"ACCOUNT_ID"})),  # usernames, customer, employee and member numbers
    "HEALTH": (Category.PHI, frozenset({"HEALTH_DATA"})),  # conditions, treatments, medicines, in words
    "SPECIAL": (Category.SPECIAL, _types_of(Category.SPECIAL)),  # GDPR Art. 9: religion, orientation, …
    "CRIMINAL": (Category.SPECIAL, frozenset({"CRIMINAL_RECORD"})),  # GDPR Art. 10, scored with Art. 9
    "BIOMETRIC_ID": (Category.SPECIAL, frozenset({"BIOMETRIC_DATA"})),
    # Quasi-identifiers Presidio can emit but Residency does not ask for.
    "AGE": (Category.QUASI, frozenset({"AGE"})),
}

GOLD_TYPES: Mapping[str, GoldType] = MappingProxyType({
    **{t: GoldType(t, str(c), frozenset({t})) for t, c in CATEGORY_BY_ENTITY.items()},
    **{name: GoldType(name, str(c), accepts) for name, (c, accepts) in _EXTRA.items()},
})


def category_of_prediction(entity_type: str) -> str | None:
    """The category of a predicted type; None for a type outside our table (ORGANIZATION, UUID, ...)."""
    category = CATEGORY_BY_ENTITY.get(entity_type)
    return str(category) if category is not None else None


_PRESIDIO_SYNTH = {
    "PERSON": "PERSON", "EMAIL_ADDRESS": "EMAIL_ADDRESS", "PHONE_NUMBER": "PHONE_NUMBER",
    "IP_ADDRESS": "IP_ADDRESS", "CREDIT_CARD": "CREDIT_CARD", "IBAN_CODE": "IBAN_CODE", "US_SSN": "US_SSN",
    "US_DRIVER_LICENSE": "US_DRIVER_LICENSE", "DATE_TIME": "DATE_TIME", "NRP": "NRP", "AGE": "AGE",
    "LOCATION": "LOCATION", "GPE": "LOCATION", "ADDRESS": "LOCATION", "STREET_ADDRESS": "LOCATION",
    "ZIP_CODE": "LOCATION", "DOMAIN_NAME": "URL",
    "ORGANIZATION": None, "TITLE": None, "PREFIX": None,
}

# set name -> source label -> gold type name (None: not scored)
LABEL_MAPS: Mapping[str, Mapping[str, str | None]] = MappingProxyType({
    # Our own cases label every regulated value and no quasi-identifier.
    "residency_cases": {name: name for name, gold in GOLD_TYPES.items() if gold.regulated},
    # Blind held-out cases (bench/data/build_blind_cases.py): the same convention.
    "residency_blind": {name: name for name, gold in GOLD_TYPES.items() if gold.regulated},
    "presidio_synth_dataset_v2": _PRESIDIO_SYNTH,
    "presidio_generated_large": _PRESIDIO_SYNTH,
    "wnut17_test": {
        "person": "PERSON", "location": "LOCATION",
        "corporation": None, "group": None, "product": None, "creative-work": None,
    },
    "nannigalaxy_pii_syn_nano_en": {
        "PERSON": "PERSON", "EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER", "PASSWORD": "PASSWORD",
        "SSN": "US_SSN", "CREDIT_CARD": "CREDIT_CARD", "IBAN": "IBAN_CODE",
        "PASSPORT": "PASSPORT", "PASSPORT_NUM": "PASSPORT",
        "DRIVER_LICENSE": "DRIVER_LICENSE", "DRIVER_LICENSE_NUM": "DRIVER_LICENSE", "LICENSE": "DRIVER_LICENSE",
        "TAX_ID": "TAX_ID", "TAXID": "TAX_ID", "PAN": "TAX_ID", "AADHAR": "NATIONAL_ID", "VOTER_ID": "NATIONAL_ID",
        "ACCOUNT_NUMBER": "BANK_ACCOUNT", "BANK_ACCOUNT": "BANK_ACCOUNT", "BANK_ACCOUNT_NUM": "BANK_ACCOUNT",
        "ACCOUNT": "ACCOUNT_ID", "EMPLOYEE_ID": "ACCOUNT_ID", "USER_ID": "ACCOUNT_ID", "USERID": "ACCOUNT_ID",
        "USERNAME": "ACCOUNT_ID", "POLICE_ID_NUM": "ACCOUNT_ID", "INSURANCE_POLICY_NUM": "ACCOUNT_ID",
        "PATIENT_ID": "MEDICAL_ID", "PID": "MEDICAL_ID", "MEDICAL_RECORD": "MEDICAL_ID", "INSURANCE_ID": "MEDICAL_ID",
        # a bank's routing number and name identify the bank, not a person
        "ROUTING_NUMBER": None, "BANK": None,
        "ORGANIZATION": None, "ORG": None, "SYSTEM": None, "TITLE": None, "EVENT": None,
    },
    "deidgate_safeharbor_seed": {
        "NAME": "PERSON", "EMAIL": "EMAIL_ADDRESS", "PHONE": "PHONE_NUMBER", "FAX": "PHONE_NUMBER",
        "SSN": "US_SSN", "IP": "IP_ADDRESS", "MRN": "MEDICAL_ID", "HEALTH_PLAN": "MEDICAL_ID",
        "LICENSE": "MEDICAL_LICENSE", "ACCOUNT": "ACCOUNT_ID", "BIOMETRIC": "BIOMETRIC_ID",
        "DATE": "DATE_TIME", "GEO": "LOCATION", "URL": "URL",
        "VEHICLE": None, "DEVICE": None, "PHOTO": None, "OTHER": None,
    },
})


def scored_prediction_types(set_name: str, *, annotates_all_regulated: bool) -> frozenset[str]:
    """Predicted types a set's gold labelling covers: a prediction of any other type is not scored.

    A set that labels only names and places cannot tell whether a predicted phone number
    is right, so that prediction counts for neither precision nor recall.
    """
    gold_names = {name for name in LABEL_MAPS[set_name].values() if name is not None}
    types = {t for name in gold_names for t in GOLD_TYPES[name].accepts}
    if annotates_all_regulated:
        types |= {t for t, c in CATEGORY_BY_ENTITY.items() if c is not Category.QUASI}
    return frozenset(types)
