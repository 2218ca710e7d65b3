"""The archive's schema as numbered migrations, recorded in the database by sqlite-utils.

Never alter the schema anywhere else: add a migration at the end of this file.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("newsmon")


@migrations(name="0001_initial")
def m0001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,           -- canonical, absolute
            source TEXT NOT NULL,               -- the [sources.NAME] it came from
            lang TEXT NOT NULL,                 -- ru | en
            section TEXT,                       -- the section code the site uses
            section_name TEXT,
            title TEXT NOT NULL,
            body TEXT NOT NULL,                 -- paragraphs separated by blank lines
            published TEXT,                     -- ISO 8601, Europe/Moscow
            date_source TEXT NOT NULL DEFAULT 'none',  -- article | print | rss | listing | none
            summary TEXT,
            images TEXT NOT NULL DEFAULT '[]',  -- JSON [{url, caption}]
            flags TEXT NOT NULL DEFAULT '[]',   -- JSON, e.g. ["no_date"]
            fingerprint TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            updated TEXT NOT NULL,              -- when the current version was first seen
            etag TEXT,
            last_modified TEXT
        );
        CREATE INDEX idx_articles_published ON articles(published);
        CREATE INDEX idx_articles_source_published ON articles(source, published);
        CREATE INDEX idx_articles_section ON articles(section);
        CREATE INDEX idx_articles_lang ON articles(lang);
        CREATE INDEX idx_articles_updated ON articles(updated);

        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            published TEXT,
            fingerprint TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            diff TEXT,                           -- unified diff from the previous version
            UNIQUE (article_id, version)
        );

        CREATE TABLE article_topics (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            topic TEXT NOT NULL,
            score REAL NOT NULL,
            terms TEXT NOT NULL DEFAULT '[]',    -- JSON: the terms that matched
            PRIMARY KEY (article_id, topic)
        );
        CREATE INDEX idx_article_topics_topic ON article_topics(topic);

        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            mode TEXT NOT NULL,                  -- incremental | full
            started TEXT NOT NULL,
            finished TEXT,
            outcome TEXT NOT NULL DEFAULT 'running',  -- running | ok | failed | killed
            pid INTEGER,
            requests INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0,
            responses TEXT NOT NULL DEFAULT '{}',     -- JSON {status: count}
            listed INTEGER NOT NULL DEFAULT 0,        -- article links seen on RSS and listings
            new INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            dropped INTEGER NOT NULL DEFAULT 0,
            flagged INTEGER NOT NULL DEFAULT 0,
            no_date INTEGER NOT NULL DEFAULT 0,
            elapsed REAL,
            message TEXT
        );
        CREATE INDEX idx_crawl_runs_source ON crawl_runs(source, started);

        CREATE TABLE crawl_events (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            kind TEXT NOT NULL,                  -- error | dropped | flagged | date_conflict
            url TEXT,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX idx_crawl_events_run ON crawl_events(run_id);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'article',  -- article | health
            event TEXT NOT NULL DEFAULT 'new',     -- new | changed | health
            article_id INTEGER REFERENCES articles(id),
            version INTEGER NOT NULL DEFAULT 0,
            subscription TEXT NOT NULL,
            recipient TEXT NOT NULL,
            mode TEXT NOT NULL DEFAULT 'per_item',  -- per_item | digest
            incident TEXT NOT NULL DEFAULT '',     -- health incidents: a stable key
            payload TEXT NOT NULL DEFAULT '{}',    -- JSON: matched terms, diff, health text
            status TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt TEXT NOT NULL,
            last_error TEXT,
            created TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE UNIQUE INDEX idx_outbox_unique ON outbox(
            kind, coalesce(article_id, 0), version, subscription, recipient, incident);
        CREATE INDEX idx_outbox_status ON outbox(status, next_attempt);

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )


@migrations(name="0002_query_filter_index")
def m0002_query_filter_index(db: sqlite_utils.Database) -> None:
    """A covering index for search filters: checking a match's lang/source/section/date reads this small
    index instead of the article row (whose `published` sits behind the long body)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_filters ON articles(id, lang, source, section, published)")


@migrations(name="0003_crawl_runs_skipped")
def m0003_crawl_runs_skipped(db: sqlite_utils.Database) -> None:
    """Articles not requested by policy (robots.txt, a redirect off the source's host) are counted apart."""
    db.execute("ALTER TABLE crawl_runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0")


@migrations(name="0004_extractors_and_boilerplate")
def m0004_extractors_and_boilerplate(db: sqlite_utils.Database) -> None:
    """Which extractor gave each article's title, body and date (profile | metadata | generic | feed |
    listing | none); fallbacks per crawl; each source's learned boilerplate. Old date sources map onto
    the new words (the page's own date was the profile's; RSS is a feed)."""
    db.executescript(
        """
        ALTER TABLE articles ADD COLUMN title_source TEXT NOT NULL DEFAULT 'profile';
        ALTER TABLE articles ADD COLUMN body_source TEXT NOT NULL DEFAULT 'profile';
        UPDATE articles SET date_source = CASE date_source
            WHEN 'article' THEN 'profile' WHEN 'print' THEN 'profile' WHEN 'article+rss' THEN 'profile'
            WHEN 'rss' THEN 'feed' ELSE date_source END;
        ALTER TABLE crawl_runs ADD COLUMN fallbacks INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE crawl_runs ADD COLUMN extractors TEXT NOT NULL DEFAULT '{}';
        CREATE TABLE IF NOT EXISTS boilerplate (
            source TEXT PRIMARY KEY,
            model TEXT NOT NULL,                 -- JSON: the learned chrome blocks and pages seen
            updated TEXT NOT NULL
        );
        """
    )


@migrations(name="0005_outbox_deferrals")
def m0005_outbox_deferrals(db: sqlite_utils.Database) -> None:
    """Failures that were the mail server's (unreachable, 4xx) are counted apart from a row's attempts: they
    set the backoff but never make a row `failed`; only the queue lifetime ([alerts] max_age) does."""
    db.execute("ALTER TABLE outbox ADD COLUMN deferrals INTEGER NOT NULL DEFAULT 0")


@migrations(name="0006_lemma_index", transactional=False)
def m0006_lemma_index(db: sqlite_utils.Database) -> None:
    """Reindex search with dictionary lemmas (storage/lemmas.py) instead of Snowball stems: in place, a
    batch per transaction, resumable when killed; the old index is dropped only when the new one is full."""
    from storage.reindex import reindex

    reindex(db)


@migrations(name="0007_outbox_channel")
def m0007_outbox_channel(db: sqlite_utils.Database) -> None:
    """Alerts go to email or to an Apprise target (chat, webhook): one row per target, whose recipient is
    the address or the target URL as written (secrets stay in ${VAR} references)."""
    db.execute("ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email'")


@migrations(name="0008_poll_validators_and_robots")
def m0008_poll_validators_and_robots(db: sqlite_utils.Database) -> None:
    """Idle polls at the minimum: the validators (ETag, Last-Modified) and a content hash of each source's
    feed and first listing page, from its last finished crawl; and each host's robots.txt, cached for its
    lifetime (RFC 9309: at most 24 h) across crawl processes."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS poll_validators (
            url TEXT PRIMARY KEY,                -- a source's feed or first listing page
            source TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            content_hash TEXT,                   -- sha256 of the body, for sites that send no validators
            updated TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS robots_cache (
            origin TEXT PRIMARY KEY,             -- scheme://host[:port]
            status INTEGER NOT NULL,
            body BLOB NOT NULL,
            content_type TEXT,
            fetched REAL NOT NULL,               -- unix time
            expires REAL NOT NULL                -- unix time, at most fetched + 24 h
        );
        """
    )


@migrations(name="0009_fts_hashsize")
def m0009_fts_hashsize(db: sqlite_utils.Database) -> None:
    """The search index gathers 16 MB of postings in memory before writing a segment (FTS5's default is 1 MB):
    bulk indexing merges far less. A setting in the index's own config table; the index is unchanged."""
    from storage.fts import configure

    configure(db)
