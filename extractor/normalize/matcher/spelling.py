"""Reading the printed names apart and spelling them out: names joined by 'and' or a hyphen,
abbreviated universities, bracketed acronyms, a town printed without a comma."""

from __future__ import annotations

from ...registry.aliases import Alias
from ...registry.text import normalize_name
from ...registry.vocab import BROAD_NAME_WORDS, INSTITUTION_WORDS, SUBUNIT_WORDS
from .base import MatcherBase
from .text import (
    _ACRONYM_LEAD,
    _BRACKETED,
    _JOINING_WORDS,
    _NAME_JOINER,
    _SPELLED_OUT,
    _TRAILING_IN,
    _is_place,
    is_generic,
)


class SpellingRules(MatcherBase):
    """Rules that rewrite the printed segments before any lookup."""

    def _split_joined(self, segments: list[str]) -> list[str]:
        """ "Uber and University of Cambridge", "CNRS and ENS", "LAAS-CNRS": names joined by 'and'
        or a hyphen are read apart when the whole is no name and every part is one on its own
        ("Washington and Lee University", "Paris-Saclay" stay whole)."""
        split: list[str] = []
        for segment in segments:
            if " and " not in segment and "-" not in segment:  # most segments: nothing to read apart
                split.append(segment)
                continue
            parts = [p.strip(" .") for p in _NAME_JOINER.split(segment)]
            # "Rutgers University. and Department of Mathematics": a unit of the next name may
            # stand beside a name, as long as one part is a name.
            named = [self._names_one(p) for p in parts]
            units = [bool(SUBUNIT_WORDS.match(p)) for p in parts]
            readable = len(parts) > 1 and any(named) and all(n or u for n, u in zip(named, units, strict=True))
            if readable and not self._names_one(segment):
                split += parts
            else:
                split.append(segment)
        return split

    def _spelled_out(self, segment: str) -> str:
        """ "U of Toronto", "U. Michigan", "Duke U": the abbreviated university spelled out, and
        "Swiss Federal Institute of Technology Zurich (ETHZ": the name or its bracketed acronym,
        whichever is a name; only when the result names an organization."""
        for pattern, spelled in _SPELLED_OUT:
            if pattern.search(segment):
                expanded = pattern.sub(spelled, segment, count=1)
                if self._names_one(expanded):
                    return expanded
        bracketed = _BRACKETED.match(segment)
        if bracketed and not self._names_one(segment):
            for part in bracketed.groups():
                # A bare acronym must be one ML papers or the curated list know: "CSL" is also a
                # company's whole registry name.
                acronym = part.isupper() and " " not in part
                if self._curated_name(normalize_name(part)) if acronym else self._names_one(part):
                    return part
        return segment

    def _town_apart(self, segment: str) -> list[str]:
        """ "Hebrew University Jerusalem Israel", "Computer Vision Center Barcelona", "CTU in
        Prague": a name with its town (and country) printed without a comma is read as the name
        and the address, when the name alone is one and the rest is a place."""
        words = segment.split()
        if len(words) < 2 or INSTITUTION_WORDS.fullmatch(words[-1]):  # "... University": no town after it
            return [segment]
        sizes = [n for n in range(1, min(3, len(words) - 1) + 1) if self._is_town_or_place(" ".join(words[-n:]))]
        if not sizes or self._names_one(segment):  # most segments end in no town
            return [segment]
        for size in sizes:
            head, tail = " ".join(words[:-size]), " ".join(words[-size:])
            head = _TRAILING_IN.sub("", head)
            key = normalize_name(head)
            if not key or BROAD_NAME_WORDS.issuperset(key.split()) or key.split()[-1] in _JOINING_WORDS:
                continue  # "University of | Texas", "National University | Singapore"
            records = self.registry.by_key(key)
            if (
                records
                and all(o.city for o in records)
                and normalize_name(tail).split()[0] not in {w for o in records for w in normalize_name(o.city).split()}
            ):
                continue  # "Universitas Muhammadiyah | Surakarta": another town's record, so the town is in the name
            if records or self._curated_name(key) or _ACRONYM_LEAD.match(head):
                return [head, tail]
        return [segment]

    def _is_town_or_place(self, text: str) -> bool:
        return _is_place(text) or self.registry.is_city(normalize_name(text))

    def _names_one(self, text: str) -> bool:
        """Whether ``text`` alone is an organization's name, alias, curated name or a short name
        ML papers use (a bare registry acronym is not enough: "INESC-ID" is one name)."""
        key = normalize_name(text)
        if not key or is_generic(key):
            return False
        return bool(self.registry.by_key(key) or self._curated_name(key))

    def _curated_name(self, key: str) -> bool:
        """A curated organization's name or alias, or a short name ML papers use."""
        return bool(
            self.ml_orgs.by_key(key)
            or self.prior.short_name(key)
            or any(alias.pattern.fullmatch(key) for alias in self._aliases_for(key))
        )

    def _aliases_for(self, key: str) -> list[Alias]:
        """The aliases a normalized key may name, in file order (the first listed wins)."""
        by_word = self._alias_by_word
        tried = {*self._alias_always, *(i for w in key.split() for i in by_word.get(w, ()))}
        return [self.aliases[i] for i in sorted(tried)] if tried else []
