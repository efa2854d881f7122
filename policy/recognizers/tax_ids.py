"""TAX_ID_NUMBER (GOV_ID): a tax identifier of any country written right after its label.

"TIN 11-4391209", "federal tax ID number 91-3456789", "PAN ABPCJ4567R", "VAT number
GB987654321". Country recognizers check their own formats (DE_TAX_ID, IT_FISCAL_CODE,
ES_NIF); this one knows the label. The value needs a digit; the label is a lookbehind.
A company's tax number is not personal data, but a prompt rarely says whose it is.
"""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from policy.recognizers._patterns import CASE_SENSITIVE_FLAGS, LABEL_GAP

_LABEL = (r"(?i:\b(?:tax\s*(?:payer\s*)?(?:id(?:entification)?|identifier|reference|file)|tin|ein|itin|pan|"
          r"vat(?:\s+reg(?:istration)?)?|utr|steuer-?id|steuernummer|steuer-?idnr|nif|nie|cif|codice\s+fiscale|"
          r"partita\s+iva|numéro\s+fiscal|fiscal\s+(?:code|number)|tfn|sin))")
_VALUE = r"(?=[A-Z0-9 -]*\d)[A-Z]{0,5}\d[A-Z0-9]*(?:[- ][A-Z0-9]+){0,3}(?![\w-])"


class TaxIdNumberRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("tax ID after its label", rf"(?<={_LABEL}{LABEL_GAP}){_VALUE}", 0.6)]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entity="TAX_ID_NUMBER", patterns=self.PATTERNS, context=[],
                         supported_language=supported_language, name=name,
                         global_regex_flags=CASE_SENSITIVE_FLAGS)
