"""E-mail addresses as printed in author blocks, including grouped forms."""

from __future__ import annotations

import re

# {alice, bob}@x.edu  |  (alice|bob)@x.edu  |  alice@x.edu
_GROUPED = re.compile(r"[{(\[]\s*([\w.+-]+(?:\s*[,|;]\s*[\w.+-]+)*)\s*[})\]]\s*@\s*([\w-]+(?:\.[\w-]+)+)")
_SINGLE = re.compile(r"([\w.+-]+)\s*@\s*([\w-]+(?:\s?\.\s?[\w-]+)+)")
# What stripping removes: any grouped form ({a,b}@x, (a|b)@x, [a; b]@x) or single address.
_ANY_ADDRESS = re.compile(r"[{(\[][^})\]]*[})\]]\s*@\s*[\w-]+(?:\.[\w-]+)+|[\w.+-]+\s*@\s*[\w-]+(?:\.[\w-]+)+")
_SPACES = re.compile(r"\s+")


def find_emails(text: str) -> list[str]:
    """All addresses in ``text``, grouped forms expanded, lower-cased, in order."""
    found: list[str] = []
    for match in _GROUPED.finditer(text):
        for local in re.split(r"\s*[,|;]\s*", match.group(1)):
            found.append(f"{local}@{match.group(2)}".lower())
    rest = _GROUPED.sub(" ", text)
    for match in _SINGLE.finditer(rest):
        domain = re.sub(r"\s", "", match.group(2))
        found.append(f"{match.group(1)}@{domain}".lower())
    return list(dict.fromkeys(found))


def email_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip(".").lower()


def strip_emails(text: str) -> str:
    """``text`` without its e-mail addresses, spaces collapsed."""
    if "@" in text:  # every address has one; the pattern is slow to fail on a long string
        text = _ANY_ADDRESS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def domain_and_parents(domain: str) -> list[str]:
    """``cs.ox.ac.uk`` -> ``cs.ox.ac.uk``, ``ox.ac.uk``, ``ac.uk``: the domain and the parents a
    lookup may try, most specific first (never the bare top-level domain)."""
    labels = domain.lower().strip(".").split(".")
    return [".".join(labels[start:]) for start in range(len(labels) - 1)]
