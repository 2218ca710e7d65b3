"""Ground truth of the WordPress-like and Drupal-like replays, from the same description as their pages.

`body` is normalised like the SPbPU truth (storage.diff.normalise_text): one paragraph per lead, p, heading,
list item and quote; never captions. `images` are the full-size files, with their captions.
"""

from __future__ import annotations

from storage.diff import normalise_text
from tests.replay.truth import block_texts
from tests.replay.unis import Corpus, UniArticle


def article_row(corpus: Corpus, article: UniArticle, base: str) -> dict:
    spec = article.spec
    return {
        "url": base + article.path, "path": article.path, "source": corpus.desc.label, "lang": corpus.desc.lang,
        "section": spec.category, "section_name": corpus.desc.categories[spec.category], "title": spec.title,
        "published": spec.when.date().isoformat(), "published_at": spec.when.isoformat(),
        "modified_at": article.modified.isoformat(),
        "body": normalise_text("\n\n".join(block_texts(article.blocks))),
        "images": [{"url": base + i.full, "caption": i.caption} for i in article.images],
        "cooperation": spec.coop, "added_in_state": spec.state, "edited_in_state_2": article.edited,
    }


def ground_truth(corpus: Corpus, base: str) -> list[dict]:
    """One row per article the site serves in this state, newest first."""
    return [article_row(corpus, a, base) for a in corpus.articles]
