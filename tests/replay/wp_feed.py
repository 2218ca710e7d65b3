"""The WordPress-like site's RSS 2.0 feed, after WordPress's `feed-rss2.php`: GMT dates, CDATA, full content."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.replay import wp_chrome
from tests.replay.model import RFC_DAYS, RFC_MONTHS
from tests.replay.unis import Corpus, UniArticle
from tests.replay.wp_page import AUTHOR, TAGLINE, absolute, content_html, esc, excerpt, tags_of


def rfc822_gmt(when: datetime) -> str:
    when = when.astimezone(UTC)
    return f"{RFC_DAYS[when.weekday()]}, {when.day:02d} {RFC_MONTHS[when.month - 1]} {when.year} {when:%H:%M:%S} +0000"


def feed(corpus: Corpus, base: str, items: list[UniArticle], title: str, self_url: str) -> str:
    """WordPress's RSS 2.0 template (`feed-rss2.php`): GMT pubDates, CDATA, full content in content:encoded."""
    newest = max((a.modified for a in items), default=datetime(2024, 1, 1, tzinfo=UTC))
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"',
           '\txmlns:content="http://purl.org/rss/1.0/modules/content/"', '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"',
           '\txmlns:dc="http://purl.org/dc/elements/1.1/"', '\txmlns:atom="http://www.w3.org/2005/Atom"',
           '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"',
           '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"', "\t>", "", "<channel>",
           f"\t<title>{title}</title>", f'\t<atom:link href="{self_url}" rel="self" type="application/rss+xml" />',
           f"\t<link>{base}</link>", f"\t<description>{TAGLINE}</description>",
           f"\t<lastBuildDate>{rfc822_gmt(newest)}</lastBuildDate>", "\t<language>en-GB</language>",
           "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>", "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>",
           f"\t<generator>https://wordpress.org/?v={wp_chrome.WP_VERSION}</generator>"]
    for a in items:
        spec = a.spec
        url = base + a.path
        cats = "".join(f"\n\t\t<category><![CDATA[{c}]]></category>"
                       for c in (corpus.desc.categories[spec.category], *tags_of(a)))
        out.append(f"""\t<item>
\t\t<title>{esc(spec.title)}</title>
\t\t<link>{url}</link>
\t\t\t\t\t<comments>{url}#respond</comments>
\t\t
\t\t<dc:creator><![CDATA[{AUTHOR}]]></dc:creator>
\t\t<pubDate>{rfc822_gmt(spec.when)}</pubDate>{cats}
\t\t<guid isPermaLink="false">{base}/?p={spec.node}</guid>

\t\t\t\t\t<description><![CDATA[{excerpt(a).replace("&hellip;", "&#8230;")}]]></description>
\t\t\t\t\t\t\t\t\t\t<content:encoded><![CDATA[{absolute(content_html(a), base)}]]></content:encoded>
\t\t\t\t\t
\t\t\t<wfw:commentRss>{url}feed/</wfw:commentRss>
\t\t\t<slash:comments>0</slash:comments>
\t\t
\t\t
\t\t\t</item>""")
    out += ["\t</channel>", "</rss>", ""]
    return "\n".join(out)


