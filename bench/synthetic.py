"""A synthetic conference year: first pages in three layouts (superscript markers, per-author blocks,
one shared block), fictional authors and real institution names.

Used by bench/full_year.py and the scale tests; `python bench/synthetic.py N OUT_DIR` writes N PDFs.
"""

from __future__ import annotations

import hashlib
import random
import sys
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fake_proceedings import Paper

INSTITUTIONS = [
    ("Massachusetts Institute of Technology", "Cambridge, MA, USA"),
    ("Stanford University", "Stanford, CA, USA"),
    ("Carnegie Mellon University", "Pittsburgh, PA, USA"),
    ("University of California, Berkeley", "Berkeley, CA, USA"),
    ("Tsinghua University", "Beijing, China"),
    ("Peking University", "Beijing, China"),
    ("Shanghai Jiao Tong University", "Shanghai, China"),
    ("Zhejiang University", "Hangzhou, China"),
    ("Google Research", "Mountain View, CA, USA"),
    ("Microsoft Research Asia", "Beijing, China"),
    ("Google DeepMind", "London, UK"),
    ("Meta AI", "Menlo Park, CA, USA"),
    ("Alibaba Group", "Hangzhou, China"),
    ("Tencent AI Lab", "Shenzhen, China"),
    ("ETH Zurich", "Zurich, Switzerland"),
    ("EPFL", "Lausanne, Switzerland"),
    ("University of Oxford", "Oxford, UK"),
    ("University of Cambridge", "Cambridge, UK"),
    ("University of Toronto", "Toronto, Canada"),
    ("Mila, Université de Montréal", "Montréal, Canada"),
    ("KAIST", "Daejeon, South Korea"),
    ("The University of Tokyo", "Tokyo, Japan"),
    ("National University of Singapore", "Singapore"),
    ("Max Planck Institute for Intelligent Systems", "Tübingen, Germany"),
    ("Inria", "Paris, France"),
    ("University of Washington", "Seattle, WA, USA"),
    ("Princeton University", "Princeton, NJ, USA"),
    ("New York University", "New York, NY, USA"),
    ("Columbia University", "New York, NY, USA"),
    ("NVIDIA", "Santa Clara, CA, USA"),
    ("IBM Research", "Yorktown Heights, NY, USA"),
    ("Huawei Noah's Ark Lab", "Shenzhen, China"),
    ("Fudan University", "Shanghai, China"),
    ("The Chinese University of Hong Kong", "Hong Kong"),
    ("University College London", "London, UK"),
    ("University of Edinburgh", "Edinburgh, UK"),
    ("Seoul National University", "Seoul, South Korea"),
    ("Technion", "Haifa, Israel"),
    ("University of Illinois Urbana-Champaign", "Urbana, IL, USA"),
    ("Cornell University", "Ithaca, NY, USA"),
]
FIRST = [
    "Wei",
    "Emily",
    "Jun",
    "Maria",
    "Tom",
    "Sara",
    "Kenji",
    "Anna",
    "Omar",
    "Lucia",
    "Yuki",
    "Ravi",
    "Mei",
    "Jonas",
    "Amara",
    "Ines",
    "Nadia",
    "Hao",
    "Lin",
    "Priya",
]
LAST = [
    "Zhang",
    "Chen",
    "Wang",
    "Liu",
    "Smith",
    "Garcia",
    "Muller",
    "Rossi",
    "Sato",
    "Kim",
    "Park",
    "Novak",
    "Dubois",
    "Silva",
    "Cohen",
    "Ivanov",
    "Nguyen",
    "Khan",
]
TOPICS = [
    "Sparse",
    "Robust",
    "Causal",
    "Federated",
    "Diffusion",
    "Contrastive",
    "Bayesian",
    "Efficient",
    "Scalable",
    "Implicit",
    "Neural",
]
OBJECTS = [
    "Transformers",
    "Bandits",
    "Policies",
    "Graphs",
    "Kernels",
    "Priors",
    "Embeddings",
    "Optimizers",
    "Agents",
    "Flows",
]


def make_year(n: int, seed: int = 2025) -> list[Paper]:
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        key = hashlib.md5(f"{seed}-{i}".encode()).hexdigest()
        title = f"{rng.choice(TOPICS)} {rng.choice(OBJECTS)} for {rng.choice(TOPICS)} {rng.choice(OBJECTS)} {i}"
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 6))]
        papers.append(Paper(key, title, list(dict.fromkeys(authors))))
    return papers


def first_page(paper: Paper) -> bytes:
    """One page in a layout and with institutions chosen from the paper's key (deterministic)."""
    rng = random.Random(paper.key)
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    y = 90.0
    page.insert_text((72, y), paper.title[:70], fontname="tibo", fontsize=16)
    y += 40
    affiliations = rng.sample(INSTITUTIONS, k=min(len(paper.authors), rng.randint(1, 3)))
    layout = int(paper.key[0], 16) % 3
    if layout == 0:  # superscript markers, affiliations listed under the names
        x = 72.0
        for n, name in enumerate(paper.authors):
            marker = str(n % len(affiliations) + 1)
            page.insert_text((x, y), name, fontname="tibo", fontsize=10)
            x += pymupdf.get_text_length(name, fontname="tibo", fontsize=10)
            page.insert_text((x, y - 4), marker, fontname="tiro", fontsize=6)
            x += 14
            if x > 480:
                x, y = 72.0, y + 14
        for n, (name, place) in enumerate(affiliations, start=1):
            y += 14
            page.insert_text((72, y), str(n), fontname="tiro", fontsize=6)
            page.insert_text((77, y + 3), f"{name}, {place}", fontname="tiro", fontsize=9)
    elif layout == 1:  # per-author blocks: name, then its affiliation
        for n, name in enumerate(paper.authors):
            inst, place = affiliations[n % len(affiliations)]
            page.insert_text((72, y), name, fontname="tibo", fontsize=10)
            page.insert_text((72, y + 12), f"{inst}, {place}", fontname="tiro", fontsize=9)
            y += 28
    else:  # one shared block under a line of names
        page.insert_text((72, y), ", ".join(paper.authors), fontname="tibo", fontsize=10)
        inst, place = affiliations[0]
        page.insert_text((72, y + 13), inst, fontname="tiro", fontsize=9)
        page.insert_text((72, y + 25), place, fontname="tiro", fontsize=9)
        y += 25
    page.insert_text((280, y + 40), "Abstract", fontname="tibo", fontsize=12)
    for line in range(12):
        page.insert_text((72, y + 60 + 12 * line), "We study a problem and propose a method that works well. " * 2,
                         fontname="tiro", fontsize=9)  # fmt: skip
    return doc.tobytes(garbage=3, deflate=True)


if __name__ == "__main__":
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for paper in make_year(count):
        (out / f"{paper.key}.pdf").write_bytes(first_page(paper))
    print(f"wrote {count} PDFs to {out}")
