"""An offline replay of the SPbPU news section (www and english hosts) on 127.0.0.1.

    with ReplaySite(ru_port=0, en_port=0, state=1, faults=False, scale=None) as site:
        site.ru_url, site.en_url      # "http://127.0.0.1:PORT"
        site.set_state(2)             # or POST /__replay__/state?n=2 on either host
        site.ground_truth()           # list[dict], see truth.py
        site.request_log, site.reset_log()

Markup follows docs/site-model.md. Choices the contract leaves open:
- listings: 10 cards per page on ru (`?PAGEN_2=n`), 6 on en (`?PAGEN_1=n`); page 1 has no parameter;
  an unknown parameter shows page 1 (as Bitrix does), an out-of-range page is a 404.
- print page: `h1`, `#content_page` (images without captions), `div.print-date` with
  `Дата публикации: YYYY.MM.DD`, two `p.print-nav` links; no <title>, scripts or styles, ~5 KB.
- Last-Modified is the publication time (the edit time for the state-2 edit); ETag hashes the content.
- Description: content_ru.py / content_en.py (specs), phrases_*.py (templates), bodies.py (generation);
  faults.py documents each fault's expectation.
"""

from tests.replay.server import ReplaySite

__all__ = ["ReplaySite"]
