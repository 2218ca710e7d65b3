"""Page bytes -> text: BOM, then the HTTP header charset, then `<meta>`, then a guess that knows Russian.

Russian university sites still serve windows-1251 and KOI8-R, often without a header or with a wrong
`<meta>`. Generic detectors are slow on 150 KB pages and confuse the two; Cyrillic letter frequencies
tell them apart in microseconds: Russian text is mostly lowercase, and the two code pages swap cases.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
_SNIFF = 8192  # a <meta charset> must appear in the first bytes (WHATWG says 1024; real pages are sloppier)
# The WHATWG label table's relevant part: browsers decode these labels as the right-hand code page.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "win-1251": "cp1251", "windows1251": "cp1251", "x-cp1251": "cp1251",
            "cp-1251": "cp1251", "koi8": "koi8-r", "koi": "koi8-r", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8"}
# The most frequent lowercase Russian letters (о е а и н т с р в л к м д п у): ~75% of Russian letters.
_FREQUENT = frozenset("оеаинтсрвлкмдпу")
_CANDIDATES = ("cp1251", "koi8-r")


def codec_of(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown or empty."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: bytes | str | None) -> str | None:
    """The charset label a Content-Type header value names, as written; None when it names none."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    if not content_type or "charset=" not in content_type.lower():
        return None
    at = content_type.lower().index("charset=") + len("charset=")
    return content_type[at:].split(";")[0].strip().strip("\"'") or None


def _bom(body: bytes) -> str | None:
    for mark, codec in _BOMS:
        if body.startswith(mark):
            return codec
    return None


def declared_charset(body: bytes) -> str | None:
    """The codec a `<meta charset>`, `http-equiv` Content-Type or XML declaration names, if any."""
    match = _META.search(body[:_SNIFF])
    if not match:
        return None
    codec = codec_of((match[1] or match[2]).decode("ascii", "ignore"))
    # A page that names utf-16 in an ASCII-readable <meta> is not utf-16 (WHATWG rule).
    return "utf-8" if codec and codec.startswith("utf-16") else codec


def cyrillic_score(text: str) -> int:
    """How Russian a decoding looks: frequent lowercase letters minus uppercase Cyrillic letters."""
    good = bad = 0
    for char in text:
        if char in _FREQUENT:
            good += 1
        elif "А" <= char <= "Я":
            bad += 1
    return good - bad


def guess(body: bytes) -> str:
    """utf-8 when the bytes are valid UTF-8, else the Cyrillic code page whose text looks Russian, else cp1252."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    high = bytes(b for b in body if b >= 0x80)[:20000]
    scores = {codec: cyrillic_score(high.decode(codec, "replace")) for codec in _CANDIDATES}
    best = max(scores, key=scores.get)
    if scores[best] > len(high) // 4:
        return best
    return "cp1252"


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """The text of an HTML page: BOM, then the HTTP header's charset, then `<meta>`, then `guess`.

    A declared UTF-8 that is not valid UTF-8 is a lie (common after a CMS migration): the next source
    decides. Undecodable bytes become U+FFFD, never an exception.
    """
    if isinstance(body, str):
        return body
    body = bytes(body or b"")
    codec = _bom(body)
    if codec:
        return body.decode(codec, "replace")
    for declared in (codec_of(header_charset), declared_charset(body)):
        if not declared:
            continue
        if not declared.startswith("utf"):
            return body.decode(declared, "replace")
        try:
            return body.decode(declared)
        except UnicodeDecodeError:
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode(guess(body), "replace")
