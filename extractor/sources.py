"""Names the command line needs before it imports anything heavy: the fetch sources and the folder
fetched PDFs go to. ``extractor.fetch`` re-exports them; keep this module free of imports."""

SOURCES = ("neurips", "icml", "aistats", "uai", "colt", "pmlr", "iclr", "openreview", "urls")
PDF_DIR = "pdfs"
