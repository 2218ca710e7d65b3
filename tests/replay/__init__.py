"""Offline replays of university news sections on 127.0.0.1: SPbPU (Bitrix, two hosts) and two other CMS families.

SPbPU (www and english hosts):

    with ReplaySite(ru_port=0, en_port=0, state=1, faults=False, scale=None) as site:
        site.ru_url, site.en_url      # "http://127.0.0.1:PORT"
        site.set_state(2)             # or POST /__replay__/state?n=2 on either host; 1, 2 or 3
        site.ground_truth()           # list[dict], see truth.py
        site.request_log, site.reset_log()

Markup follows docs/site-model.md. Choices the contract leaves open:
- listings: 10 cards per page on ru (`?PAGEN_2=n`), 6 on en (`?PAGEN_1=n`); page 1 has no parameter;
  an unknown parameter shows page 1 (as Bitrix does), an out-of-range page is a 404.
- print page: `h1`, `#content_page` (images without captions), `div.print-date` with
  `Дата публикации: YYYY.MM.DD`, two `p.print-nav` links; no <title>, scripts or styles, ~5 KB.
- Last-Modified is the publication time (the edit time for the state-2 edit); ETag hashes the content.
- State 3 is state 2's content with article pages in a redesigned template (render_2025.py): same URLs,
  listings and RSS; new title block, date element, body container and chrome; no print version.
- Description: content_ru.py / content_en.py (specs), phrases_*.py (templates), bodies.py (generation);
  faults.py documents each fault's expectation.

Other universities, one host each (`label` "wp" or "drupal"):

    with UniSite("wp", port=0, state=1) as site:
        site.url                      # "http://127.0.0.1:PORT"
        site.listing_url              # the news listing page 1 (wp: /news/, drupal: /news)
        site.feed_url                 # wp: /feed/ (RSS 2.0); drupal: None (no feed)
        site.set_state(2)             # or POST /__replay__/state?n=2; 3 serves 2
        site.ground_truth()           # list[dict]: url, lang, title, published, body, cooperation,
                                      # added_in_state, edited_in_state_2, ... (see uni_truth.py)
        site.chrome_phrases           # chrome texts that must never appear in an extracted body
        site.request_log, site.reset_log()

- "wp": Northbridge University, English WordPress (Astra-like theme, Yoast JSON-LD, Jetpack sharing inside
  `.entry-content`), `/news/page/N/` pager, posts at `/YYYY/MM/DD/slug/`, UK time (GMT/BST), content_wp.py.
- "drupal": ВолжГТУ, Russian Drupal 9 (Bartik-like, RDFa, no JSON-LD), windows-1251, `/news?page=N` (0-based,
  clamped to the last page as Views does), nodes at `/news/<slug>` or `/node/<nid>`, content_drupal.py.
- Both: 32 articles in state 1 (10 per listing page), 2 more on top in state 2 (one cooperation news, one not)
  and one sentence edited in one older article; bodies from phrases_*.py with the university's names.
"""

from tests.replay.server import ReplaySite
from tests.replay.uni_server import UniSite

__all__ = ["ReplaySite", "UniSite"]
