"""`python -m extractor.cli`: the same as the `affil` command."""

from . import entry_point

entry_point()
