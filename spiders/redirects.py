"""Meta refresh redirects without decoding every page.

Scrapy's MetaRefreshMiddleware decodes the whole response (~160 KB for a news page) to read its first
4,096 characters. A page whose first bytes do not hold the word "refresh" has no refresh tag there, so it
goes on untouched; every other page (and any page in a UTF-16/32 encoding, where "refresh" is not an ASCII
byte string) goes through Scrapy's own middleware, which decides as before.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import Request, Response

# 4,096 characters of UTF-8 (or of any charset that writes ASCII as ASCII) fit in 4 x 4,096 bytes.
_HEAD_BYTES = 4 * 4096
_WIDE = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


class MetaRefresh(MetaRefreshMiddleware):
    """Scrapy's meta refresh redirects, for the pages that can have one."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        head = response.body[:_HEAD_BYTES]
        wide = head.startswith(_WIDE) or b"utf-16" in response.headers.get(b"Content-Type", b"").lower() \
            or b"utf-32" in response.headers.get(b"Content-Type", b"").lower()
        if not wide and b"refresh" not in head.lower():
            return response
        return super().process_response(request, response)
