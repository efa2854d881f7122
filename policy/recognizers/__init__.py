"""Residency's own Presidio recognizers, for what Presidio does not ship or gets wrong.

`policy.detect.build_analyzer` adds `residency_recognizers()` to the registry built from
policy/recognizers.yaml. Where one of ours replaces a Presidio recognizer, the YAML no
longer lists Presidio's (see the comments there).

    secrets                 SECRET_ENTITY_TYPES (keys, tokens, passwords)
    health                  HEALTH_DATA (PHI): conditions, treatments, medicines said of a person
    special_categories      RELIGION, ETHNIC_ORIGIN, SEXUAL_ORIENTATION, POLITICAL_OPINION, TRADE_UNION,
                            GENETIC_DATA, CRIMINAL_RECORD (SPECIAL)
    biometrics              BIOMETRIC_DATA (SPECIAL)
    children                CHILD_DATA (SPECIAL)
    geolocation             GEO_COORDINATES (SPECIAL)
    financial_situation     FINANCIAL_SITUATION (FINANCIAL)
    fr_nir, nl_bsn, be_national_number, it_identity_card, de_tax_id_spaced, de_documents,
    uk_passport, passport_numbers, tax_ids, driver_licence_numbers, national_id_numbers
                            government identifiers (GOV_ID)
    card_numbers            CREDIT_CARD: Luhn-valid numbers after "card" that Presidio's shapes miss
    medical_record_numbers  MEDICAL_RECORD_NUMBER (PHI)
    card_security_codes     CARD_SECURITY_CODE (PCI)
    account_ids             ACCOUNT_ID (PII)
    uk_bank_accounts        UK_BANK_ACCOUNT (FINANCIAL)
    bank_accounts           BANK_ACCOUNT_NUMBER (FINANCIAL): account numbers after their label, many languages
    ibans                   IBAN_CODE in irregular groups, with dots or dashes, or mistyped after "IBAN"
    names                   PERSON in greetings, sign-offs, headers, titles, relations
    name_lexicon            PERSON from a first-name/surname lexicon: pairs, cued, capitalised names
    obfuscated_emails       EMAIL_ADDRESS written "x at gmail dot com"
    person_filter           spaCy's PERSON minus findings on tools and code (SpacyPersonRecognizer)
    iban_nesting            Presidio's card and PESEL recognizers minus matches inside an IBAN
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from policy.recognizers.account_ids import AccountIdRecognizer
from policy.recognizers.bank_accounts import BankAccountNumberRecognizer
from policy.recognizers.be_national_number import BeNationalNumberRecognizer
from policy.recognizers.biometrics import BiometricDataRecognizer
from policy.recognizers.card_numbers import LabelledCardNumberRecognizer
from policy.recognizers.card_security_codes import CardSecurityCodeRecognizer
from policy.recognizers.children import ChildDataRecognizer
from policy.recognizers.de_documents import DeIdCardIcaoRecognizer, DePassportIcaoRecognizer
from policy.recognizers.de_tax_id_spaced import DeTaxIdSpacedRecognizer
from policy.recognizers.driver_licence_numbers import DriverLicenceNumberRecognizer
from policy.recognizers.financial_situation import FinancialSituationRecognizer
from policy.recognizers.fr_nir import FrNirRecognizer
from policy.recognizers.geolocation import GeoCoordinatesRecognizer
from policy.recognizers.health import HealthDataRecognizer
from policy.recognizers.iban_nesting import CreditCardOutsideIbanRecognizer, PlPeselOutsideIbanRecognizer
from policy.recognizers.ibans import IbanFormsRecognizer
from policy.recognizers.it_identity_card import ItCieRecognizer
from policy.recognizers.medical_record_numbers import MedicalRecordNumberRecognizer
from policy.recognizers.name_lexicon import NameLexiconRecognizer
from policy.recognizers.names import NameRecognizer
from policy.recognizers.national_id_numbers import NationalIdNumberRecognizer
from policy.recognizers.nl_bsn import NlBsnRecognizer
from policy.recognizers.obfuscated_emails import ObfuscatedEmailRecognizer
from policy.recognizers.passport_numbers import PassportNumberRecognizer
from policy.recognizers.person_filter import SpacyPersonRecognizer
from policy.recognizers.secrets import SECRET_ENTITY_TYPES, SecretsRecognizer
from policy.recognizers.special_categories import SPECIAL_CATEGORY_ENTITY_TYPES, SpecialCategoryRecognizer
from policy.recognizers.tax_ids import TaxIdNumberRecognizer
from policy.recognizers.uk_bank_accounts import UkBankAccountRecognizer
from policy.recognizers.uk_passport import UkPassportDigitsRecognizer

__all__ = ["SECRET_ENTITY_TYPES", "SPECIAL_CATEGORY_ENTITY_TYPES", "SecretsRecognizer", "residency_recognizers"]


def residency_recognizers() -> list[EntityRecognizer]:
    """A fresh instance of each of our recognizers (they are stateless and thread-safe)."""
    return [
        SecretsRecognizer(),
        # Replacements of Presidio recognizers that recognizers.yaml leaves out.
        SpacyPersonRecognizer(),
        CreditCardOutsideIbanRecognizer(),
        PlPeselOutsideIbanRecognizer(),
        DeIdCardIcaoRecognizer(),
        DePassportIcaoRecognizer(),
        UkPassportDigitsRecognizer(),
        ItCieRecognizer(),
        # Words about a person.
        HealthDataRecognizer(),
        SpecialCategoryRecognizer(),
        ChildDataRecognizer(),
        FinancialSituationRecognizer(),
        GeoCoordinatesRecognizer(),
        BiometricDataRecognizer(),
        NameRecognizer(),
        NameLexiconRecognizer(),
        ObfuscatedEmailRecognizer(),
        # Identifiers Presidio lacks.
        FrNirRecognizer(),
        NlBsnRecognizer(),
        BeNationalNumberRecognizer(),
        DeTaxIdSpacedRecognizer(),
        PassportNumberRecognizer(),
        TaxIdNumberRecognizer(),
        DriverLicenceNumberRecognizer(),
        NationalIdNumberRecognizer(),
        LabelledCardNumberRecognizer(),
        MedicalRecordNumberRecognizer(),
        CardSecurityCodeRecognizer(),
        AccountIdRecognizer(),
        UkBankAccountRecognizer(),
        BankAccountNumberRecognizer(),
        IbanFormsRecognizer(),
    ]
