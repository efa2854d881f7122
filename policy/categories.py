"""The one table from entity type to category, which policies see as `findings[].category`.

A detector never emits a type that is missing here (`Detector` asks Presidio only for
these types), and a test checks every registered recognizer against this table.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

# The types our own recognizers emit (policy/recognizers). Named here, not imported from
# there, so that this table loads without Presidio or spaCy (the server process of a
# sidecar with detection workers never loads them).
SECRET_ENTITY_TYPES: tuple[str, ...] = (
    "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "AZURE_KEY", "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY",
    "OPENAI_API_KEY", "GOOGLE_API_KEY", "API_KEY", "JWT", "PRIVATE_KEY", "PASSWORD",
)
SPECIAL_CATEGORY_ENTITY_TYPES: tuple[str, ...] = (
    "RELIGION", "ETHNIC_ORIGIN", "SEXUAL_ORIENTATION", "POLITICAL_OPINION", "TRADE_UNION", "GENETIC_DATA",
    "CRIMINAL_RECORD",
)


class Category(StrEnum):
    PII = "PII"  # identifies a person directly: name, email, phone, IP address
    PHI = "PHI"  # health data and health identifiers
    PCI = "PCI"  # payment card data
    FINANCIAL = "FINANCIAL"  # bank accounts, IBANs, crypto wallets
    GOV_ID = "GOV_ID"  # government-issued identifiers
    SECRET = "SECRET"  # credentials, keys, tokens
    SPECIAL = "SPECIAL"  # GDPR Art. 9 special categories, Art. 10 criminal records, children, precise location
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
    # Health and special categories in words, said of a person.
    "HEALTH_DATA": Category.PHI,
    "MEDICAL_RECORD_NUMBER": Category.PHI,
    **{entity_type: Category.SPECIAL for entity_type in SPECIAL_CATEGORY_ENTITY_TYPES},
    "BIOMETRIC_DATA": Category.SPECIAL,
    # Children's data is not an Art. 9 category, but GDPR gives it specific protection
    # (Recital 38, Art. 8): a named or aged child stays local like special-category data.
    "CHILD_DATA": Category.SPECIAL,
    # Precise geolocation of a person (CPRA "sensitive personal information"): kept local.
    "GEO_COORDINATES": Category.SPECIAL,
    # Debts, arrears, income in words: personal, not Art. 9, so routed like an IBAN.
    "FINANCIAL_SITUATION": Category.FINANCIAL,
    "UK_BANK_ACCOUNT": Category.FINANCIAL,
    "BANK_ACCOUNT_NUMBER": Category.FINANCIAL,  # domestic account numbers after their label, any country
    # Identifiers Presidio lacks.
    "FR_NIR": Category.GOV_ID,
    "NL_BSN": Category.GOV_ID,
    "BE_NATIONAL_NUMBER": Category.GOV_ID,
    "PASSPORT_NUMBER": Category.GOV_ID,
    "TAX_ID_NUMBER": Category.GOV_ID,
    "DRIVER_LICENSE_NUMBER": Category.GOV_ID,
    "NATIONAL_ID_NUMBER": Category.GOV_ID,
    "CARD_SECURITY_CODE": Category.PCI,
    "ACCOUNT_ID": Category.PII,  # customer, employee, member numbers; user names
}

CATEGORY_BY_ENTITY: MappingProxyType[str, Category] = MappingProxyType(_TABLE)


def category_of(entity_type: str) -> Category:
    """The category of an entity type; KeyError for a type that is not in the table."""
    return CATEGORY_BY_ENTITY[entity_type]


# Types Presidio's spaCy recognizer can emit that are not regulated, so never asked for.
IGNORED_ENTITY_TYPES: MappingProxyType[str, str] = MappingProxyType(
    {"ORGANIZATION": "names organisations, not people"}
)
