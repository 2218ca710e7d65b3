"""Images of an article with their captions, read before captions are removed from the body text.

Captions are never body text, but they belong to their image: `annotate_images` records each image's
full-size URL and caption on the `<img>` element itself, so whatever container is later chosen as the
body, its images still know their captions.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from spiders.extraction import dom
from spiders.items import Image

_URL_ATTR = "data-extracted-url"
_CAPTION_ATTR = "data-extracted-caption"
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)$", re.I)
_CAPTION_WORDS = ("caption", "credit", "podpis", "descr")
_MIN_SIDE = 50  # icons, spacers and share buttons are smaller


def _source(img: etree._Element) -> str | None:
    for attr in ("data-src", "data-lazy-src", "data-original", "src"):
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    return srcset.split(",")[0].split()[0] if srcset else None


def _tiny(img: etree._Element) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _MIN_SIDE:
            return True
    return False


def _caption(img: etree._Element) -> str:
    """The figcaption of the enclosing figure, else a caption-classed element within two levels up."""
    figure = next(iter(img.xpath("ancestor::figure[1]")), None)
    if figure is not None:
        caption = figure.find(".//figcaption")
        if caption is not None:
            return dom.text_of(caption)
    node = img
    for _ in range(3):
        node = node.getparent()
        if node is None:
            break
        for el in node.iter():
            if el is not img and isinstance(el.tag, str) and el.tag != "img":
                words = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
                if any(word in words for word in _CAPTION_WORDS) and not el.xpath(".//img"):
                    return dom.text_of(el)
    return ""


def annotate_images(root: etree._Element, url: str) -> None:
    """Record each content image's full-size URL (the enclosing link to an image file, else the src)
    and caption on its `<img>`; icons and inline data images are left unmarked."""
    for img in root.iter("img"):
        src = _source(img)
        if not src or _tiny(img):
            continue
        link = next(iter(img.xpath("ancestor::a[1]/@href")), "")
        full = link if _IMAGE_FILE.search(link.split("?")[0]) else src
        img.set(_URL_ATTR, urljoin(url, full))
        img.set(_CAPTION_ATTR, _caption(img))


def images_under(root: etree._Element) -> list[Image]:
    """The annotated images under an element, in page order, each once."""
    found: dict[str, Image] = {}
    for img in root.iter("img"):
        full = img.get(_URL_ATTR)
        if full and full.startswith(("http://", "https://")) and full not in found:
            found[full] = Image(full, img.get(_CAPTION_ATTR) or "")
    return list(found.values())
