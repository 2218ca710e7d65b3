"""Meta refresh redirects without decoding every page.

Scrapy's MetaRefreshMiddleware decodes the whole response (~160 KB for a news page) to read its first
4,096 characters. A page whose first bytes do not hold the word "refresh" has no refresh tag there, so it
goes on untouched; every other page (and any page whose charset does not write "refresh" as those ASCII
bytes: UTF-16/32, EBCDIC) goes through Scrapy's own middleware, which decides as before. (w3lib 2.5 and
later, pinned in pyproject.toml, match the word itself, not an entity-encoded form of it.)
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import Request, Response

from spiders.extraction.charset import codec_of, header_charset

# 4,096 characters of UTF-8 (or of any charset that writes ASCII as ASCII) fit in 4 x 4,096 bytes.
_HEAD_BYTES = 4 * 4096


class MetaRefresh(MetaRefreshMiddleware):
    """Scrapy's meta refresh redirects, for the pages that can have one."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        head = response.body[:_HEAD_BYTES]
        if _ascii_text(head, response) and b"refresh" not in head.lower():
            return response
        return super().process_response(request, response)


def _ascii_text(head: bytes, response: Response) -> bool:
    """Whether the page writes ASCII letters as ASCII bytes: no NUL byte (UTF-16/32 write one beside every
    ASCII letter) and a declared charset, if any, that encodes "refresh" as itself (not UTF-16 by any of its
    names, not EBCDIC). Anything else goes to Scrapy's middleware."""
    if b"\x00" in head:
        return False
    charset = header_charset(response.headers.get(b"Content-Type"))
    if charset is None:
        return True
    codec = codec_of(charset)  # None for a label Python does not know: Scrapy's middleware decides
    return codec is not None and "refresh".encode(codec, errors="replace") == b"refresh"
