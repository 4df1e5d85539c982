"""The NeurIPS proceedings metadata in ``../shared/proceedings/``: one row per author of a paper.

Read by ``scripts/build_prior.py`` (the prior) and ``bench/neurips_strings.py`` (the no-match figure).
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from extractor.registry.text import normalize_name


def author_rows(archive_path: Path, first: int = 2013, last: int = 2020) -> list[tuple[int, str, str]]:
    """(year, normalized author name, institution string) of every author with an institution
    string, NeurIPS ``first``..``last``; the name is '' where the metadata has none."""
    rows = []
    with tarfile.open(archive_path) as archive:
        for member in archive.getmembers():
            stem = Path(member.name).stem
            if not member.isfile() or not stem.startswith("neurips_"):
                continue
            year = int(stem.split("_")[1])
            if not first <= year <= last:
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            for paper in json.load(handle):
                for author in paper.get("authors", []):
                    text = (author.get("institution") or "").strip()
                    name = normalize_name(f"{author.get('given_name', '')} {author.get('family_name', '')}")
                    if text:
                        rows.append((year, name, text))
    return rows
