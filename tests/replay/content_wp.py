"""Northbridge University (label `wp`): an English WordPress news section, its articles and state-2 changes.

Dates are UK local time (GMT, then BST from 31 March 2024), as WordPress stores `post_date`; 13 of 32 items are
cooperation news (partnerships, agreements, joint labs, delegations), the rest are not.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from tests.replay.unis import SiteDesc, UniSpec

GMT, BST = UTC, timezone(timedelta(hours=1))
CATEGORIES = {
    "international": "International", "research": "Research", "partnerships": "Partnerships",
    "campus-life": "Campus Life", "sport": "Sport", "education": "Teaching and Learning", "awards": "Awards",
}
START = datetime(2024, 1, 9, 10, 0)

# kind, category, cooperation, title, params
_ITEMS: list[tuple[str, str, bool, str, dict[str, str]]] = [
    ("science", "research", False, "New coating could make turbine blades last twice as long", {}),
    ("agreement", "international", True, "Northbridge and Tsinghua University sign cooperation agreement",
     {"partner": "tsinghua"}),
    ("student", "campus-life", False, "Winter Welcome week brings new students together", {}),
    ("sport", "sport", False, "Fencers take gold at the BUCS Northern Championships", {"sport": "fencing"}),
    ("delegation_in", "international", True, "Delegation from Cairo University visits Northbridge",
     {"partner": "cairo"}),
    ("education", "education", False, "New MSc in Data-Driven Engineering opens for applications", {}),
    ("achievement", "awards", False, "Northbridge lecturer named National Teaching Fellow", {}),
    ("joint_lab", "research", True, "Joint laboratory with Shanghai Jiao Tong University opens on campus",
     {"partner": "sjtu", "topic": "in battery materials"}),
    ("media", "campus-life", False, "Stories from the archive: sixty years of the Students' Union", {}),
    ("school_visit", "education", False, "Local pupils try engineering in the Maker Space",
     {"school": "Northbridge Academy"}),
    ("memorandum", "international", True, "Memorandum of understanding signed with IIT Delhi", {"partner": "iit"}),
    ("sport_team", "sport", False, "Women's basketball team wins season opener",
     {"team": "The Northbridge women's basketball team"}),
    ("science", "research", False, "Researchers map microplastics in the River Wear", {"field": "river ecology"}),
    ("industry", "partnerships", True, "Northbridge and Harwell Photonics agree research partnership",
     {"p": "Harwell Photonics", "topic": "in laser manufacturing"}),
    ("other", "campus-life", False, "Library exhibition marks 125 years of the university", {}),
    ("visit_abroad", "international", True, "University delegation visits partners in Vietnam",
     {"partner": "hanoi"}),
    ("intl_student", "campus-life", False, "Lunar New Year celebrated on campus", {}),
    ("achievement", "awards", False, "Engineering students win national design prize", {}),
    ("forum_intl", "international", True, "International forum brings university leaders to Northbridge",
     {"country": "Kazakhstan"}),
    ("education", "education", False, "Degree apprenticeships expand to civil engineering", {}),
    ("sport", "sport", False, "Rowing club reaches the Henley qualifiers", {"sport": "rowing"}),
    ("agreement", "international", True, "New exchange agreement with Satbayev University",
     {"partner": "satbayev"}),
    ("science", "research", False, "Study finds new way to recycle concrete", {"field": "construction materials"}),
    ("student", "campus-life", False, "Student volunteers raise record sum for local food bank", {}),
    ("joint_lab", "research", True, "Northbridge and Harbin Institute of Technology launch joint research centre",
     {"partner": "harbin", "topic": "in robotics"}),
    ("visit_abroad", "international", True, "Northbridge delegation visits partner universities in China",
     {"partner": "nuaa"}),
    ("other", "campus-life", False, "Botanic garden reopens after restoration", {}),
    ("delegation_in", "international", True, "Mongolian university delegation explores joint programmes",
     {"partner": "mongolia"}),
    ("achievement", "awards", False, "Nursing school rated outstanding by inspectors", {}),
    ("industry", "partnerships", True, "Regional energy firm becomes strategic partner of the university",
     {"p": "North Sea Energy Ltd", "topic": "in offshore wind"}),
    ("sport_team", "sport", False, "Rugby sevens squad heads to national finals",
     {"team": "The Northbridge rugby sevens squad"}),
    ("memorandum", "international", True, "Memorandum with Tashkent State Technical University signed",
     {"partner": "tashkent"}),
]
_STATE2 = [
    ("agreement", "international", True, "Northbridge signs double degree agreement with Belarusian partner",
     {"partner": "bntu"}),
    ("science", "research", False, "Physicists observe rare decay in detector upgrade", {"field": "particle physics"}),
]

EDIT_SLUG = "joint-laboratory-with-shanghai-jiao-tong-university-opens-on-campus"
EDIT_OLD = "The first cohort of visiting researchers is expected to arrive in September."
EDIT_NEW = "The first cohort of visiting researchers is now expected to arrive in January next year."

REBRAND = (
    (r"Peter the Great St\. Petersburg Polytechnic University", "Northbridge University"),
    (r"SPbPU Rector Andrei Rudskoi", "Vice-Chancellor Professor Helen Marsh"),
    (r"the SPbPU Rector", "the Vice-Chancellor"), (r"SPbPU leadership", "university leadership"),
    (r"Vice-Rector for International Affairs", "Pro Vice-Chancellor (International)"),
    (r"Technopolis Polytech research building", "Northbridge Innovation Centre"),
    (r"Technopolis Polytech", "Northbridge Innovation Centre"),
    (r"Advanced Engineering School", "Institute for Advanced Manufacturing"),
    (r"White Hall of the Main Building", "Great Hall"),
    (r"a Russian Science Foundation", "an Engineering and Physical Sciences Research Council"),
    (r"Institute of International Educational Programs", "International Office"),
    (r"Fundamental Library", "University Library"), (r"state-funded and paid places", "home and international fees"),
    (r"universities of Russia and", "universities of the UK and"), (r"engineers of two countries", "researchers"),
    (r"(?:Polytechnic|Polytech) University", "Northbridge University"), (r"SPbPU", "Northbridge"),
    (r"Polytechnic|Polytech", "Northbridge"), (r"St\. Petersburg", "Northbridge"),
    (r"(\w)'", "\\1\u2019"),  # wptexturize: WordPress shows apostrophes curly, in titles and content alike
)

CHROME = (
    "Share this:", "Click to share on Facebook (Opens in new window)", "Leave a Reply",
    "Your email address will not be published.", "Required fields are marked",
    "Save my name, email, and website in this browser for the next time I comment.",
    "We use cookies to ensure that we give you the best experience on our website.",
    "Recent Posts", "Categories", "Related posts", "Subscribe to our newsletter",
    "Northbridge University, 1 College Road, Northbridge NB1 2AB, United Kingdom",
    "Registered charity number 1140821", "Skip to content", "Posted in", "Continue reading",
)


def local(naive: datetime) -> datetime:
    """UK civil time in 2024: BST from 31 March 01:00 UTC to 27 October 01:00 UTC."""
    bst = datetime(2024, 3, 31, 1) <= naive < datetime(2024, 10, 27, 1)
    return naive.replace(tzinfo=BST if bst else GMT)


def slugify(title: str) -> str:
    """WordPress's sanitize_title for plain ASCII titles."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "")).strip("-")


def _spec(i: int, item: tuple, state: int) -> UniSpec:
    kind, category, coop, title, params = item
    when = local(START + timedelta(days=round(i * 3.4), hours=(i * 5) % 7, minutes=(i * 17) % 60))
    slug = slugify(title)
    extra = (EDIT_OLD,) if slug == EDIT_SLUG else ()
    return UniSpec(slug, title.replace("'", "\u2019"), when, kind, coop, category, 1200 + i * 7, tuple(params.items()), extra, state)


def path_of(spec: UniSpec) -> str:
    return f"/{spec.when:%Y/%m/%d}/{spec.slug}/"


SPECS = tuple(_spec(i, item, 1) for i, item in enumerate(_ITEMS)) + tuple(
    _spec(len(_ITEMS) + i, item, 2) for i, item in enumerate(_STATE2))

SITE = SiteDesc("wp", "en", "Northbridge University", SPECS, CATEGORIES, REBRAND,
                (EDIT_SLUG, EDIT_OLD, EDIT_NEW, local(datetime(2024, 4, 24, 16, 5))), path_of, CHROME)
