"""What a reviewer presses or types, read the same way on both review screens."""

from __future__ import annotations

from textual.binding import Binding

from ..registry.countries import country_of_segment, is_country_code


def digit_bindings(action: str, description: str, count: int) -> list[Binding]:
    """Keys 1..count calling ``action(n)``, shown once in the key bar as "1-count"."""
    return [
        Binding(str(n), f"{action}({n})", description, show=n == 1, key_display=f"1-{count}" if n == 1 else None)
        for n in range(1, count + 1)
    ]


def read_typed(text: str) -> tuple[str, str, str]:
    """'Institution; CC' (or '...; Country name') -> (name, place as typed, ISO code or '')."""
    name, _, place = text.partition(";")
    name, place = name.strip(), place.strip()
    code = place.upper()
    country = code if is_country_code(code) else country_of_segment(place) if place else ""
    return name, place, country
