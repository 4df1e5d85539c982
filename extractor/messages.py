"""Console messages that carry outside text print it literally.

Paths, titles, affiliations, extra names and error strings come from outside: printed as a rich markup
string, ``[dask]`` in ``pip install 'affil[dask]'`` (or ``[x]`` in a folder name) is read as a style tag
and dropped. Here only the label is styled; the text is a rich ``Text``, never parsed as markup, and
printed with soft wrapping, so a long path is never cut by inserted line breaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def say(console: Console, text: str, style: str = "") -> None:
    """One line, printed as it is (``style`` colours the whole line)."""
    from rich.text import Text

    console.print(Text(text, style=style), soft_wrap=True)


def labelled(console: Console, label: str, text: str, style: str = "red") -> None:
    """``label: text`` with only the label styled (``error``, ``failed``, a paper's status)."""
    from rich.text import Text

    console.print(Text.assemble((label, style), ": ", text), soft_wrap=True)


def error(console: Console, text: str) -> None:
    labelled(console, "error", text, "red")
