"""Article pages: bytes in, metadata and main text out.

Everything here serves one job, reading an article or statement page, so it is
one package with a module per part (see `parse` for how they fit together).
Callers import from the package, never from the parts.
"""

from scrapers.article.charset import decode_html
from scrapers.article.cleaning import BIDI_CONTROLS, without_controls
from scrapers.article.dates import normalise_date
from scrapers.article.maintext import main_text
from scrapers.article.parse import parse_article, parse_tree
from scrapers.records import Article, ParseError

__all__ = [
    "Article",
    "ParseError",
    "decode_html",
    "main_text",
    "normalise_date",
    "parse_article",
    "parse_tree",
    "BIDI_CONTROLS",
    "without_controls",
]
