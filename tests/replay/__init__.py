"""An offline replay of the SPbPU news section (www and english hosts) on 127.0.0.1.

    with ReplaySite(ru_port=0, en_port=0, state=1, faults=False, scale=None) as site:
        site.ru_url, site.en_url; site.set_state(2); site.ground_truth(); site.request_log
"""

from tests.replay.server import ReplaySite

__all__ = ["ReplaySite"]
