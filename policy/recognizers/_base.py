"""The base of our own EntityRecognizers (entity types as a class attribute, nothing to load),
and work they share per analysed text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from presidio_analyzer import EntityRecognizer

T = TypeVar("T")


def once_per_analysis(text: str, nlp_artifacts, name: str, compute: Callable[[str], T]) -> T:
    """compute(text), shared by every recognizer analysing this text: kept on its NlpArtifacts,
    which live as long as the analysis, so nothing outlives it. Without artifacts, computed."""
    if nlp_artifacts is None:
        return compute(text)
    attribute = f"_residency_{name}"
    kept = getattr(nlp_artifacts, attribute, None)
    if kept is None or kept[0] is not text:
        kept = (text, compute(text))
        setattr(nlp_artifacts, attribute, kept)
    return kept[1]


class OwnRecognizer(EntityRecognizer):
    """Subclasses set ENTITIES and analyze(); their tables and patterns are built at import."""

    ENTITIES: tuple[str, ...] = ()

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_entities=list(self.ENTITIES), name=name or type(self).__name__,
                         supported_language=supported_language, version="1.0.0")

    def load(self) -> None:
        """Nothing to load."""
