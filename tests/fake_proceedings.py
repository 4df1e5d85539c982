"""A local copy of the proceedings sites on 127.0.0.1, built from ../shared/proceedings/ metadata:
NeurIPS year indexes in each era's markup, abstract pages with citation_pdf_url, PMLR volumes in
both PDF-URL eras, the OpenReview notes API, and generated PDFs. Faults can be injected per path:
429 with Retry-After, 503, connection resets, truncated bodies, slow answers, HTML instead of a
PDF, redirect loops. Every request is counted."""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import re
import tarfile
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pymupdf
import yaml

SHARED = Path(__file__).resolve().parents[2] / "shared" / "proceedings"


@dataclass
class Paper:
    key: str
    title: str
    authors: list[str]
    track: str = "main"  # main or datasets_and_benchmarks


@dataclass
class Site:
    neurips: dict[int, list[Paper]] = field(default_factory=dict)
    pmlr: dict[int, list[Paper]] = field(default_factory=dict)
    openreview: dict[str, list[Paper]] = field(default_factory=dict)
    moved_pdfs: set[str] = field(default_factory=set)  # keys whose PDF is only at citation_pdf_url
    pdf_factory: Callable[[Paper], bytes] | None = None  # e.g. the synthetic year of bench/synthetic.py


def neurips_papers(year: int, count: int) -> list[Paper]:
    """Real titles, authors and hashes of a NeurIPS year (1987-2021) from the shared metadata."""
    with tarfile.open(SHARED / "neurips_1987_2021_metadata.tar.gz") as tar:
        member = tar.extractfile(f"neurips/neurips_{year}.json")
        assert member is not None
        items = json.load(member)[:count]
    return [
        Paper(i["hash"], i["title"], [f"{a['given_name']} {a['family_name']}".strip() for a in i["authors"]])
        for i in items
    ]


def pmlr_papers(volume: int) -> list[Paper]:
    """The volume's real `_posts` front matter, plus real NeurIPS titles to make the volume longer."""
    papers = []
    for post in sorted((SHARED / "pmlr_jekyll_source_examples").glob(f"v{volume}__*.md")):
        meta = yaml.safe_load(post.read_text().split("---")[1])
        names = [f"{a.get('given', '')} {a.get('family', '')}".strip() for a in meta.get("author", [])]
        papers.append(Paper(meta["id"], meta["title"], names))
    extra = neurips_papers(2015, 4)
    return papers + [Paper(f"extra{volume}{i}", p.title, p.authors) for i, p in enumerate(extra)]


def default_site(n_neurips: int = 6) -> Site:
    base = neurips_papers(2019, n_neurips)
    later = neurips_papers(2018, n_neurips)
    site = Site(
        neurips={
            2019: base,
            2023: later,
            2025: [*neurips_papers(2017, n_neurips - 1), Paper("f" * 32, "A Benchmark of Benchmarks", ["Ada Lovelace"],
                                                                "datasets_and_benchmarks")],
        },
        pmlr={37: pmlr_papers(37), 115: pmlr_papers(115)},
        openreview={"ICLR.cc/2024/Conference": [Paper(f"or{i}", p.title, p.authors) for i, p in enumerate(base[:3])]},
    )  # fmt: skip
    site.moved_pdfs.add(base[1].key)
    return site


def pdf_bytes(title: str, authors: list[str], pages: int = 2) -> bytes:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=612, height=792)
        if number == 0:
            page.insert_text((72, 90), title[:80], fontname="tibo", fontsize=14)
            page.insert_text((72, 120), ", ".join(authors)[:90], fontname="tibo", fontsize=10)
            page.insert_text((72, 136), "Massachusetts Institute of Technology, Cambridge, MA, USA", fontsize=10)
            page.insert_text((72, 180), "Abstract", fontname="tibo", fontsize=12)
        else:
            page.insert_text((72, 90), f"Page {number + 1}", fontsize=10)
    return doc.tobytes(garbage=3, deflate=True)


class FakeProceedings:
    def __init__(self, site: Site | None = None, latency: float = 0.0) -> None:
        self.site = site or default_site()
        self.latency = latency
        self.faults: dict[str, deque[tuple]] = defaultdict(deque)
        self.hits: Counter[str] = Counter()
        self.require_login = False
        self.token = "tok-" + hashlib.sha1(b"affil").hexdigest()[:8]
        self.index_override: dict[str, str] = {}  # path -> HTML (a "changed structure" page)
        self._pdfs: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeProceedings:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def pdf_hits(self) -> int:
        return sum(n for path, n in self.hits.items() if path.endswith(".pdf") or path.startswith("/pdf"))

    # -- pages ------------------------------------------------------------------------

    def route(self, path: str, query: dict) -> tuple[int, str, bytes]:
        """(status, content type, body) for a GET."""
        if path in self.index_override:
            return 200, "text/html", self.index_override[path].encode()
        if found := re.fullmatch(r"/paper_files/paper/(\d{4})/?", path):
            year = int(found.group(1))
            return (
                (200, "text/html", neurips_index(year, self.site.neurips[year]).encode())
                if year in self.site.neurips
                else _404()
            )
        if found := re.fullmatch(r"/paper_files/paper/(\d{4})/hash/([0-9a-f]{32})-Abstract([-\w]*)\.html", path):
            paper = self._neurips(int(found.group(1)), found.group(2))
            return (200, "text/html", self._abstract(int(found.group(1)), paper).encode()) if paper else _404()
        if found := re.fullmatch(r"/paper_files/paper/(\d{4})/file/([0-9a-f]{32})-Paper([-\w]*)\.pdf", path):
            paper = self._neurips(int(found.group(1)), found.group(2))
            if paper is None or paper.key in self.site.moved_pdfs:
                return _404()
            return 200, "application/pdf", self._pdf(path, paper)
        if found := re.fullmatch(r"/moved/([0-9a-f]{32})\.pdf", path):
            paper = next((p for ps in self.site.neurips.values() for p in ps if p.key == found.group(1)), None)
            return (200, "application/pdf", self._pdf(path, paper)) if paper else _404()
        if found := re.fullmatch(r"/v(\d+)/?", path):
            volume = int(found.group(1))
            return (
                (200, "text/html", pmlr_volume(volume, self.site.pmlr[volume]).encode())
                if volume in self.site.pmlr
                else _404()
            )
        if found := re.fullmatch(r"/v(\d+)/(?:([\w-]+)/)?([\w-]+)\.pdf", path):
            paper = next((p for p in self.site.pmlr.get(int(found.group(1)), []) if p.key == found.group(3)), None)
            return (200, "application/pdf", self._pdf(path, paper)) if paper else _404()
        if path == "/notes":
            return self._notes(query)
        if path == "/pdf":
            paper = next(
                (p for ps in self.site.openreview.values() for p in ps if p.key == query.get("id", [""])[0]), None
            )
            return (200, "application/pdf", self._pdf(f"/pdf/{paper.key}", paper)) if paper else _404()
        return _404()

    def _neurips(self, year: int, key: str) -> Paper | None:
        return next((p for p in self.site.neurips.get(year, []) if p.key == key), None)

    def _abstract(self, year: int, paper: Paper) -> str:
        pdf = f"/moved/{paper.key}.pdf" if paper.key in self.site.moved_pdfs else neurips_pdf_path(year, paper)
        return (f'<html><head><meta name="citation_title" content="{html.escape(paper.title)}">'
                f'<meta name="citation_pdf_url" content="{self.base_url}{pdf}"></head>'
                f"<body><h4>{html.escape(paper.title)}</h4></body></html>")  # fmt: skip

    def _pdf(self, path: str, paper: Paper) -> bytes:
        with self._lock:
            if path not in self._pdfs:
                make = self.site.pdf_factory
                self._pdfs[path] = make(paper) if make else pdf_bytes(paper.title, paper.authors)
            return self._pdfs[path]

    def _notes(self, query: dict) -> tuple[int, str, bytes]:
        if self.require_login and query.get("_auth") != [self.token]:
            return 403, "application/json", b'{"name": "ChallengeRequiredError", "message": "Forbidden"}'
        venue = query.get("content.venueid", [""])[0]
        offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["1000"])[0])
        papers = self.site.openreview.get(venue, [])[offset : offset + limit]
        notes = [{"id": p.key, "content": {"title": {"value": p.title}, "authors": {"value": p.authors},
                                           "venue": {"value": "ICLR 2024 poster"}}} for p in papers]  # fmt: skip
        return 200, "application/json", json.dumps({"notes": notes, "count": len(notes)}).encode()

    # -- HTTP -------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # as real servers do; else headers + body wait on delayed ACKs

            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if urlparse(self.path).path == "/login" and body.get("password") == "secret":
                    self._send(200, "application/json", json.dumps({"token": fake.token}).encode())
                else:
                    self._send(401, "application/json", b'{"message": "bad credentials"}')

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                path, query = parsed.path, parse_qs(parsed.query)
                if self.headers.get("Authorization") == f"Bearer {fake.token}":
                    query["_auth"] = [fake.token]
                with fake._lock:
                    fake.hits[path] += 1
                    fault = fake.faults[path].popleft() if fake.faults.get(path) else None
                if fake.latency:
                    time.sleep(fake.latency)
                status, kind, body = fake.route(path, query)
                if fault is None:
                    self._send(status, kind, body)
                    return
                self._fault(fault, status, kind, body)

            def _fault(self, fault: tuple, status: int, kind: str, body: bytes) -> None:
                name = fault[0]
                if name == "status":
                    self._send(fault[1], "text/plain", b"busy", fault[2] if len(fault) > 2 else {})
                elif name == "reset":
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(2)
                elif name == "truncate":
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                elif name == "slow":
                    time.sleep(fault[1])
                    self._send(status, kind, body)
                elif name == "html":
                    self._send(200, "text/html", b"<html><body>Please log in</body></html>")
                elif name == "redirect_loop":
                    self.send_response(302)
                    self.send_header("Location", self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def _send(self, status: int, kind: str, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        return Handler


def _404() -> tuple[int, str, bytes]:
    return 404, "text/html", b"<html><body>Not Found</body></html>"


def _suffix(year: int, paper: Paper) -> str:
    if year <= 2021:
        return ""
    return "-Datasets_and_Benchmarks_Track" if paper.track == "datasets_and_benchmarks" else "-Conference"


def neurips_abstract_path(year: int, paper: Paper) -> str:
    return f"/paper_files/paper/{year}/hash/{paper.key}-Abstract{_suffix(year, paper)}.html"


def neurips_pdf_path(year: int, paper: Paper) -> str:
    return f"/paper_files/paper/{year}/file/{paper.key}-Paper{_suffix(year, paper)}.pdf"


def neurips_index(year: int, papers: list[Paper]) -> str:
    """The year index in its era's markup (<=2021, 2022-2024, 2025)."""
    items = []
    for p in papers:
        href, title, names = neurips_abstract_path(year, p), html.escape(p.title), html.escape(", ".join(p.authors))
        if year <= 2021:
            items.append(f'<li><a href="{href}">{title}</a> <i>{names}</i></li>')
        elif year <= 2024:
            items.append(f'<li class="conference"><a title="{title}" href="{href}">{title}</a> <i>{names}</i></li>')
        else:
            kind = "datasets_and_benchmarks_track" if p.track != "main" else "conference"
            items.append(f'<li class="{kind}" data-track="{kind}"><div class="paper-content"><a title="{title}" '
                         f'href="{href}">{title}</a><span class="paper-authors">{names}</span>'
                         f'<span class="paper-track-badge">Main Conference Track</span></div></li>')  # fmt: skip
    listing = "".join(items)
    wrapper = f'<ul class="paper-list">{listing}</ul>' if year >= 2025 else f"<ul>{listing}</ul>"
    return f"<html><body><div class='container-fluid'><h4>Advances in NeurIPS {year}</h4>{wrapper}</div></body></html>"


def pmlr_volume(volume: int, papers: list[Paper]) -> str:
    """A PMLR volume page: div.paper with p.title, span.authors and the links of its era."""
    blocks = []
    for p in papers:
        pdf = f"{p.key}.pdf" if volume < 50 else f"{p.key}/{p.key}.pdf"
        blocks.append(f'<div class="paper"><p class="title">{html.escape(p.title)}</p><p class="details">'
                      f'<span class="authors">{html.escape(", ".join(p.authors))}</span>; <span class="info">'
                      f'PMLR {volume}</span></p><p class="links">[<a href="{p.key}.html">abs</a>]'
                      f'[<a href="{pdf}" target="_blank">Download PDF</a>]'
                      f'[<a href="{p.key}-supp.pdf">Supplementary PDF</a>]</p></div>')  # fmt: skip
    return f"<html><body><h2>Volume {volume}: Proceedings</h2>{''.join(blocks)}</body></html>"
