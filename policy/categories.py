"""The one table from entity type to category, which policies see as `findings[].category`.

A detector never emits a type that is missing here (`Detector` asks Presidio only for
these types), and a test checks every registered recognizer against this table.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from policy.recognizers.secrets import SECRET_ENTITY_TYPES


class Category(StrEnum):
    PII = "PII"  # identifies a person directly: name, email, phone, IP address
    PHI = "PHI"  # health data and health identifiers
    PCI = "PCI"  # payment card data
    FINANCIAL = "FINANCIAL"  # bank accounts, IBANs, crypto wallets
    GOV_ID = "GOV_ID"  # government-issued identifiers
    SECRET = "SECRET"  # credentials, keys, tokens
    SPECIAL = "SPECIAL"  # GDPR Art. 9 special categories (reserved for recognizers to come)
    QUASI = "QUASI"  # identifying only in combination: dates, places, URLs, nationalities


_TABLE: dict[str, Category] = {
    # Generic
    "PERSON": Category.PII,
    "EMAIL_ADDRESS": Category.PII,
    "PHONE_NUMBER": Category.PII,
    "IP_ADDRESS": Category.PII,
    "CREDIT_CARD": Category.PCI,
    "IBAN_CODE": Category.FINANCIAL,
    "CRYPTO": Category.FINANCIAL,
    "DATE_TIME": Category.QUASI,
    "LOCATION": Category.QUASI,
    "NRP": Category.QUASI,
    "URL": Category.QUASI,
    # United States
    "US_SSN": Category.GOV_ID,
    "US_ITIN": Category.GOV_ID,
    "US_PASSPORT": Category.GOV_ID,
    "US_DRIVER_LICENSE": Category.GOV_ID,
    "US_BANK_NUMBER": Category.FINANCIAL,
    "MEDICAL_LICENSE": Category.PHI,
    "US_NPI": Category.PHI,
    "US_MBI": Category.PHI,
    # United Kingdom
    "UK_NHS": Category.PHI,
    "UK_NINO": Category.GOV_ID,
    "UK_PASSPORT": Category.GOV_ID,
    "UK_DRIVING_LICENCE": Category.GOV_ID,
    # European Union
    "DE_ID_CARD": Category.GOV_ID,
    "DE_PASSPORT": Category.GOV_ID,
    "DE_TAX_ID": Category.GOV_ID,
    "DE_SOCIAL_SECURITY": Category.GOV_ID,
    "DE_HEALTH_INSURANCE": Category.PHI,
    "ES_NIF": Category.GOV_ID,
    "ES_NIE": Category.GOV_ID,
    "ES_PASSPORT": Category.GOV_ID,
    "IT_FISCAL_CODE": Category.GOV_ID,
    "IT_IDENTITY_CARD": Category.GOV_ID,
    "IT_PASSPORT": Category.GOV_ID,
    "IT_DRIVER_LICENSE": Category.GOV_ID,
    "PL_PESEL": Category.GOV_ID,
    "FI_PERSONAL_IDENTITY_CODE": Category.GOV_ID,
    "SE_PERSONNUMMER": Category.GOV_ID,
    # Ours (policy/recognizers)
    **{entity_type: Category.SECRET for entity_type in SECRET_ENTITY_TYPES},
}

CATEGORY_BY_ENTITY: MappingProxyType[str, Category] = MappingProxyType(_TABLE)


def category_of(entity_type: str) -> Category:
    """The category of an entity type; KeyError for a type that is not in the table."""
    return CATEGORY_BY_ENTITY[entity_type]


# Types Presidio's spaCy recognizer can emit that are not regulated, so never asked for.
IGNORED_ENTITY_TYPES: MappingProxyType[str, str] = MappingProxyType(
    {"ORGANIZATION": "names organisations, not people"}
)
