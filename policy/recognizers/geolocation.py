"""GEO_COORDINATES (category SPECIAL): a person's precise location as latitude and longitude.

"I'm at 52.52003, 13.40495", "her last location was 48°51'29.6"N 2°17'40.2"E".
A coordinate pair by itself names a place ("what is at 48.8584, 2.2945?"); tied to a
person it is precise geolocation, which the CPRA lists as sensitive personal information
and the EDPB treats as highly revealing. Residency reports it only with a person anchor
in the sentence (`_lexicon`) or a location word ("my location", "live", "home") and maps
it to SPECIAL, so the shipped policy keeps it local. Precision: decimal degrees need
at least three decimals (about 100 m).
"""

from __future__ import annotations

from typing import ClassVar

import regex
from presidio_analyzer import RecognizerResult

from policy.recognizers._base import OwnRecognizer
from policy.recognizers._lexicon import FIRST_PERSON, RELATIONS, THIRD_PERSON, lexicon_result, normalise

GEO_COORDINATES = "GEO_COORDINATES"


class GeoCoordinatesRecognizer(OwnRecognizer):
    """GEO_COORDINATES: a latitude/longitude pair said of a person (see the module docstring)."""

    ENTITIES = (GEO_COORDINATES,)
    PATTERNS: ClassVar[tuple[regex.Pattern[str], ...]] = (
        # 52.52003, 13.40495 / -33.8688 151.2093 / 52.52°N, 13.40°E
        regex.compile(
            r"(?<![\d.])(?P<lat>[-+]?\d{1,2}\.\d{3,})(?:\s*°)?(?:\s*[NS])?\s*[,;/ ]\s*"
            r"(?P<lon>[-+]?\d{1,3}\.\d{3,})(?:\s*°)?(?:\s*[EW]\b)?(?![\d.])"
        ),
        # 48°51'29.6"N 2°17'40.2"E
        regex.compile(
            r"\b\d{1,2}°\s*\d{1,2}['′]\s*\d{1,2}(?:\.\d+)?[\"″]?\s*[NS][,\s]+\d{1,3}°\s*\d{1,2}['′]\s*"
            r"\d{1,2}(?:\.\d+)?[\"″]?\s*[EW]\b"
        ),
    )
    PERSON_WORDS = FIRST_PERSON | THIRD_PERSON | RELATIONS | frozenset(
        "location located live lives living home address staying stay currently position gps tracker tracking "
        "whereabouts pin dropped".split()
    )
    WINDOW = 120  # characters either side searched for a person word
    SCORE = 0.65

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        if (entities and GEO_COORDINATES not in entities) or ("." not in text and "°" not in text):
            return []
        results = []
        for pattern in self.PATTERNS:
            for match in pattern.finditer(text):
                if "lat" in pattern.groupindex and not (
                        abs(float(match.group("lat"))) <= 90 and abs(float(match.group("lon"))) <= 180):
                    continue
                window = normalise(text[max(0, match.start() - self.WINDOW):match.end() + self.WINDOW])
                if not any(word in self.PERSON_WORDS for word in regex.findall(r"[\w']+", window)):
                    continue
                results.append(lexicon_result(self, GEO_COORDINATES, match.start(), match.end(), self.SCORE,
                                              "coordinates near a person"))
        return results
