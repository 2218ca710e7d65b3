"""Article bodies generated from a spec and the sentence templates: deterministic per slug."""

from __future__ import annotations

import html
import random
import zlib

from tests.replay import phrases_en, phrases_ru
from tests.replay.model import Block, Image, Spec, inline_html, section_name

_CLOSING = {
    "ru": "Больше новостей — в разделе [«{name}»](/media/news/{code}/).",
    "en": "More news is available in the [{name}](/media/news/{code}/) section.",
}
_LIST_INTRO = {"ru": "Главное:", "en": "Highlights:"}


def _phrases(lang: str):
    return phrases_ru if lang == "ru" else phrases_en


class _Params(dict):
    """Template parameters whose missing keys fall back to the language defaults."""

    def __init__(self, spec: Spec) -> None:
        mod = _phrases(spec.lang)
        super().__init__(mod.DEFAULTS)
        self.update(mod.PARTNERS.get(spec.params.get("partner", ""), {}))
        self.update(spec.params)


def seed_of(spec: Spec) -> int:
    """A stable random seed per article."""
    return zlib.crc32(f"{spec.lang}:{spec.slug}".encode())


def image_path(spec: Spec, n: int) -> str:
    """A full-size image path in Bitrix's `/upload/iblock/<3 hex>/<n>.jpg` shape."""
    if n == 1 and spec.enclosure:
        return spec.enclosure[0]
    return f"/upload/iblock/{zlib.crc32(f'{spec.slug}/{n}'.encode()) % 4096:03x}/{n}.jpg"


def parse_blocks(lines: tuple[str, ...] | list[str], spec: Spec, captions: list[str]) -> list[Block]:
    """Explicit mini-markup lines to blocks: `## h2`, `### h3`, `- li`, `> quote`, `!img caption`, else p."""
    blocks: list[Block] = []
    images = 0
    for line in lines:
        if line.startswith("- "):
            if blocks and blocks[-1].kind == "ul":
                blocks[-1] = Block("ul", items=blocks[-1].items + (line[2:],))
            else:
                blocks.append(Block("ul", items=(line[2:],)))
        elif line.startswith("!img"):
            images += 1
            caption = line[4:].strip() or (captions[(images - 1) % len(captions)] if captions else "")
            blocks.append(Block("img", image=Image(image_path(spec, images), caption)))
        elif line.startswith("> "):
            blocks.append(Block("quote", line[2:]))
        elif line.startswith("#"):
            level, _, text = line.partition(" ")
            blocks.append(Block(f"h{len(level)}", text))
        else:
            blocks.append(Block("p", line))
    return blocks


def lead_block(spec: Spec, kind: dict[str, list[str]], params: _Params, rng: random.Random) -> Block:
    """The lead: the stored Bitrix HTML when the spec carries the RSS prefix, else a template."""
    if spec.rss_prefix is not None:
        rest = inline_html(spec.lead or "", spec.lang, spec.entities)
        stored = spec.rss_prefix + (" " + rest if rest else "")
        return Block("lead", html.unescape(stored), html=stored)
    text = spec.lead or rng.choice(kind["lead"]).format_map(params)
    return Block("lead", text)


def build_blocks(spec: Spec) -> tuple[Block, ...]:
    """The article's body blocks in document order (lead first); built once per spec (lazily)."""
    cached = spec.__dict__.get("_blocks")
    if cached is None:
        cached = spec.__dict__["_blocks"] = tuple(_build(spec))
    return cached


def _build(spec: Spec) -> list[Block]:
    mod = _phrases(spec.lang)
    kind = mod.KINDS[spec.kind]
    params = _Params(spec)
    rng = random.Random(seed_of(spec))
    captions = [c.format_map(params) for c in kind["caption"]]
    blocks = [lead_block(spec, kind, params, rng)]
    if spec.body is not None:
        return blocks + parse_blocks(spec.body, spec, captions)
    blocks.append(Block("img", image=Image(image_path(spec, 1), captions[0])))
    paras = [t.format_map(params) for t in rng.sample(kind["p"], k=min(len(kind["p"]), rng.randint(3, 5)))]
    blocks.append(Block("p", paras.pop(0)))
    blocks += parse_blocks(spec.extra, spec, captions)
    if rng.random() < 0.5:
        blocks += [Block("h3", rng.choice(kind["h"]).format_map(params)), Block("p", paras.pop(0))]
    if rng.random() < 0.5:
        items = tuple(i.format_map(params) for i in rng.sample(kind["items"], k=min(3, len(kind["items"]))))
        blocks += [Block("p", _LIST_INTRO[spec.lang]), Block("ul", items=items)]
    if rng.random() < 0.5:
        blocks.append(Block("quote", rng.choice(kind["quote"]).format_map(params)))
    blocks += [Block("p", p) for p in paras]
    if rng.random() < 0.6:
        blocks.append(Block("img", image=Image(image_path(spec, 2), captions[1 % len(captions)])))
    closing = _CLOSING[spec.lang].format(name=section_name(spec.lang, spec.section), code=spec.section)
    blocks.append(Block("p", closing))
    return blocks
