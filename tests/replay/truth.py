"""Ground truth, generated from the same description as the pages: what a correct crawler extracts.

`body` and `summary` are normalised with storage.diff.normalise_text/normalise_line (NBSP and runs of
spaces folded), so compare them with a crawler's output normalised the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from storage.diff import normalise_line, normalise_text
from tests.replay import rss
from tests.replay.corpus import Article, Host
from tests.replay.faults import FAULTS, MALFORMED_TEXT, Fault
from tests.replay.model import Block, inline_text, section_name


def block_texts(blocks: Iterable[Block]) -> list[str]:
    """One paragraph per lead, p, h2-h4, blockquote and li; never captions."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "ul":
            out += [inline_text(item) for item in block.items]
        elif block.kind != "img":
            out.append(inline_text(block.text))
    return out


def body_of(paragraphs: list[str]) -> str:
    return normalise_text("\n\n".join(paragraphs))


def images_of(blocks: Iterable[Block], base: str) -> list[dict[str, str]]:
    return [{"url": base + b.image.full, "caption": b.image.caption} for b in blocks if b.image]


def article_row(article: Article, base: str, in_rss: bool) -> dict:
    """The ground-truth row of one article of the current state."""
    spec = article.spec
    return {
        "url": base + spec.path, "path": spec.path, "source": f"spbpu-{spec.lang}", "lang": spec.lang,
        "section": spec.section, "section_name": section_name(spec.lang, spec.section), "title": spec.title,
        "published": spec.when.date().isoformat(),
        "published_at": spec.when.isoformat() if in_rss else None,
        "body": body_of(block_texts(article.blocks)), "images": images_of(article.blocks, base),
        "cooperation": spec.coop, "added_in_state": spec.state, "edited_in_state_2": article.edited,
        "summary": normalise_line(rss.summary(article)) if in_rss else None, "fault": None,
    }


def host_rows(host: Host, base: str) -> list[dict]:
    in_rss = {a.path for a in host.rss()}
    return [article_row(a, base, a.path in in_rss) for a in host.articles]


def fault_row(fault: Fault, base: str) -> dict:
    """A fault item's row: `expect` says what a correct crawler does with it."""
    from tests.replay.fault_pages import fault_article, truncation
    from tests.replay.render import content_html

    article = fault_article(fault)
    row = article_row(article, base, False)
    row.update(fault=fault.code, expect=fault.expect, cooperation=False, title=fault.title,
               published=fault.card_when.date().isoformat() if fault.card_when else None)
    blocks = list(article.blocks)
    if fault.code == "truncated-html":
        paragraphs = [b for b in blocks if b.kind in ("lead", "p")]
        before = blocks[:blocks.index(paragraphs[2])]
        _, partial = truncation(content_html(article), article)
        row["body"], row["images"] = body_of(block_texts(before) + partial), images_of(before, base)
    elif fault.code == "malformed":
        row["body"], row["images"] = body_of(MALFORMED_TEXT), []
    elif fault.code == "wrong-charset":
        row["alt_title"], row["alt_body"] = row["title"], row["body"]
        row["title"] = fault.title.encode("utf-8").decode("cp1252")
        row["body"] = body_of([p.encode("utf-8").decode("cp1252") for p in block_texts(blocks)])
        row["images"] = [{"url": i["url"], "caption": i["caption"].encode("utf-8").decode("cp1252")}
                         for i in row["images"]]
    if fault.expect in ("error", "skipped"):
        row["body"], row["images"] = None, []
    return row


def ground_truth(hosts: dict[str, Host], ru_url: str, en_url: str, faults: bool = False) -> list[dict]:
    """Rows for every article both hosts serve in this state (plus the fault items in fault mode)."""
    rows = host_rows(hosts["ru"], ru_url) + host_rows(hosts["en"], en_url)
    if faults:
        rows += [fault_row(f, ru_url) for f in FAULTS]
    return rows
