"""Learning a news source from a sample of its own pages: what repeats across pages is chrome, what varies is content.

`fetch` fetches politely (robots.txt, a delay, a timeout), `stable` builds CSS selectors that hold on every
page of a sample (classes and structure, never positions or page-unique ids), `selectors` learns the title,
body, date and drop selectors of article pages, and `site` walks a listing page to the whole
`[sources.NAME]` block, checked on articles outside the sample.
"""
