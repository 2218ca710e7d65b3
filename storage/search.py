"""A user's search query as an FTS5 MATCH over the lemma index, and snippets from the original text.

The index (storage/fts.py) holds the keys of storage/lemmas.py (dictionary lemmas, Snowball stems for
unknown words), so every word of a query goes through the same normaliser before it reaches FTS5, and
every term is emitted quoted: nothing a user types can become FTS5 syntax we did not mean. The grammar:
words, "phrases", prefix*, AND, OR, NOT (upper case, as in FTS5), parentheses; adjacent terms mean AND;
`="Китая"` (or `=Китая`) searches that exact word form, a quoted run of forms an exact phrase.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field

from monitor.errors import QueryError
from storage import lemmas
from storage.fts import FORMS_COLUMN, LEMMA_COLUMNS, WORD

MARK = ("[", "]")
_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?P<exact>="[^"]*"?|=[^\s()"]+)|(?P<quote>"[^"]*"?\*?)'
                    r'|(?P<word>[^\s()"]+))')
_OPERATORS = {"AND", "OR", "NOT"}
_WORD_CHAR = re.compile(r"\w")
_EXAMPLE = "e.g. 'сотрудничество Китай', '\"double degree\"', 'сотруд*', 'china OR китай', 'china NOT covid'"
MAX_PHRASES = 32  # alternatives of one phrase (ambiguous forms multiply); past it, one reading per word


@dataclass
class Match:
    """A parsed query: the FTS5 MATCH text, and the keys, prefixes and exact forms a snippet should mark."""

    fts: str
    keys: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    exact: set[str] = field(default_factory=set)
    _finder: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _starts: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def matches(self, word: str) -> bool:
        """True when an original word of a text is one the query looks for (by lemma, prefix or form)."""
        low = lemmas.fold(word)
        if low in self.exact:
            return True
        found = lemmas.keys(word)
        if self.keys.intersection(found):
            return True
        return any(low.startswith(p) or any(k.startswith(p) for k in found) for p in self.prefixes)

    def finder(self) -> re.Pattern[str] | None:
        """A regex for candidate words: every dictionary form of a lemma, a stem minus its last letter
        (Snowball only strips endings), the exact forms and the prefixes; `matches` decides."""
        if self._finder is None and (self.keys or self.prefixes or self.exact):
            alts = sorted((re.escape(r).replace("е", "[её]") for r in self.starts()), key=len, reverse=True)
            self._finder = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")\w*", re.IGNORECASE)
        return self._finder

    def starts(self) -> frozenset[str]:
        """The folded word starts of `finder`, computed once per query."""
        if self._starts is None:
            roots = set(self.prefixes) | self.exact
            for key in self.keys:
                roots.update(_roots(key))
            self._starts = frozenset(roots)
        return self._starts

    def hits(self, text: str) -> list[int]:
        """Start offsets of the words of `text` the query matches.

        The word starts are found with str.find in the folded text (several times faster than the regex,
        which cannot use a literal prefix when it ignores case); the regex stays for a text whose folding
        changes its length (a rare letter such as `İ`), where offsets would not line up.
        """
        if not text or not (self.keys or self.prefixes or self.exact):
            return []
        low = lemmas.fold(text)
        if len(low) != len(text):
            finder = self.finder()
            return [m.start() for m in finder.finditer(text) if self.matches(m.group())] if finder else []
        found: set[int] = set()
        for root in self.starts():
            pos = low.find(root)
            while pos != -1:
                if pos == 0 or not _WORD_CHAR.match(text, pos - 1):
                    found.add(pos)
                pos = low.find(root, pos + 1)
        return [pos for pos in sorted(found) if self.matches(WORD.match(text, pos).group())]


def _roots(key: str) -> set[str]:
    """Word starts that cover every form of a key: the forms' common start when it is long enough
    (кита for Китай), else each form's first letters (человек, люд); a stem minus its last letter."""
    forms = lemmas.forms_of(key)
    if not forms:
        return {key[:-1] if len(key) > 2 else key}
    common = os.path.commonprefix(sorted(forms))
    if len(common) >= 3:
        return {common}
    return {f[:3] for f in forms}


def words(text: str) -> list[str]:
    """The index's words of `text` (the tokenizer's view: runs of letters and digits)."""
    return [w for w in WORD.findall(text) if any(c.isalnum() for c in w)]


def _tokens(query: str) -> list[tuple[str, str]]:
    """The query as (kind, text) tokens: paren, phrase, prefix phrase, exact, op, word."""
    out: list[tuple[str, str]] = []
    pos = 0
    query = query.strip()
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("paren"):
            out.append(("paren", m.group("paren")))
        elif m.group("exact") is not None:
            text = m.group("exact")[1:]
            if text.startswith('"'):
                if len(text) < 2 or not text.endswith('"'):
                    raise QueryError('unbalanced quote in the query: close the exact form with a second ", '
                                     'as in ="Китая"')
                text = text[1:-1]
            out.append(("exact", text))
        elif m.group("quote") is not None:
            text = m.group("quote")
            closed = text.rstrip("*")
            if len(closed) < 2 or not closed.endswith('"'):
                raise QueryError('unbalanced quote in the query: close the phrase with a second ", '
                                 'as in "double degree"')
            out.append(("phrase*" if text.endswith("*") else "phrase", closed[1:-1]))
        else:
            text = m.group("word")
            out.append(("op", text) if text in _OPERATORS else ("word", text))
    return out


class _Parser:
    """Recursive descent over the tokens; emits FTS5 text with explicit parentheses."""

    def __init__(self, tokens: list[tuple[str, str]], *, per_term: bool = False) -> None:
        self.tokens = tokens
        self.pos = 0
        self.match = Match("")
        self.per_term = per_term  # column filters on each term (needed once an exact form is in the query)

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Match:
        if not self.tokens:
            raise QueryError(f"empty query: give a word to search for ({_EXAMPLE})")
        expr = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise QueryError("unbalanced parenthesis: a ')' has no '(' before it" if tok == ("paren", ")")
                             else f"cannot read the query near {tok[1]!r} ({_EXAMPLE})")
        if expr is None:
            raise QueryError(f"nothing to search for: the query has no letters or digits ({_EXAMPLE})")
        self.match.fts = expr
        return self.match

    def or_expr(self) -> str | None:
        parts = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.pos += 1
            parts.append(self.and_expr())
        return self.join(parts, "OR")

    def and_expr(self) -> str | None:
        parts = [self.not_expr()]
        while (tok := self.peek()) is not None and tok not in (("paren", ")"), ("op", "OR")):
            if tok == ("op", "AND"):
                self.pos += 1
            parts.append(self.not_expr())
        return self.join(parts, "AND")

    def not_expr(self) -> str | None:
        if self.peek() == ("op", "NOT"):
            raise QueryError("NOT needs a term before it: write 'china NOT covid', not 'NOT covid'")
        left = self.primary()
        while self.peek() == ("op", "NOT"):
            self.pos += 1
            saved = self.match.keys.copy(), self.match.prefixes.copy(), self.match.exact.copy()
            right = self.primary("NOT")
            self.match.keys, self.match.prefixes, self.match.exact = saved  # excluded words are never marked
            if left is None or right is None:
                raise QueryError("NOT needs a searchable term on each side, as in 'china NOT covid'")
            left = f"({left} NOT {right})"
        return left

    def primary(self, after: str | None = None) -> str | None:
        tok = self.peek()
        if tok is None or tok[0] == "op" or tok == ("paren", ")"):
            op = after or (tok[1] if tok and tok[0] == "op" else self.tokens[self.pos - 1][1] if self.pos else None)
            if op in _OPERATORS:
                raise QueryError(f"{op} needs a term on each side, as in 'china {op} korea'")
            if tok == ("paren", ")"):
                raise QueryError("empty parentheses or a ')' without '(' in the query")
            raise QueryError(f"cannot read the query near {tok[1] if tok else 'its end'!r} ({_EXAMPLE})")
        self.pos += 1
        kind, text = tok
        if tok == ("paren", "("):
            inner = self.or_expr()
            if self.peek() != ("paren", ")"):
                raise QueryError("unbalanced parenthesis: a '(' is never closed")
            self.pos += 1
            return inner
        if kind == "exact":
            return self.exact(text)
        if kind == "word" and text.endswith("*"):
            return self.term(text.rstrip("*"), prefix=True, bare=True)
        return self.term(text, prefix=kind == "phrase*")

    def exact(self, text: str) -> str | None:
        """The word forms as written (folded), in the forms column."""
        found = [lemmas.fold(w) for w in words(text)]
        if not found:
            return None
        self.match.exact.update(found)
        return f"{FORMS_COLUMN} : {_quote([lemmas.FORM_MARK + f for f in found])}"

    def term(self, text: str, *, prefix: bool, bare: bool = False) -> str | None:
        found = words(text)
        if not found:
            if bare and prefix:
                raise QueryError("'*' needs a word before it, as in 'сотруд*'")
            return None
        head = [lemmas.query_keys(w) for w in (found[:-1] if prefix else found)]
        for options in head:
            self.match.keys.update(options)
        if not prefix:
            return self.lemma_filter([_quote(run) for run in _phrases(head)])
        last = lemmas.fold(found[-1])
        options = dict.fromkeys([last, *lemmas.keys(found[-1])])
        self.match.prefixes.update(options)
        runs = _phrases(head) if head else [[]]
        return self.lemma_filter([_quote([*run, p]) + "*" for run in runs for p in options])

    def lemma_filter(self, alternatives: list[str]) -> str:
        """The alternatives ORed; restricted to the lemma columns here when terms carry their columns."""
        body = alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
        return f"{LEMMA_COLUMNS} : {body}" if self.per_term else body

    @staticmethod
    def join(parts: list[str | None], op: str) -> str | None:
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else "(" + f" {op} ".join(kept) + ")"


def _quote(keys: list[str] | tuple[str, ...]) -> str:
    return '"' + " ".join(k.replace('"', '""') for k in keys) + '"'


def _phrases(words_keys: list[tuple[str, ...]]) -> list[list[str]]:
    """The FTS5 phrases (as runs of keys) a run of query words can match in the lemma index.

    Each word may leave one of several runs of keys (its own lemmas, and every ambiguous form of them:
    `стали` left `сталь стать`), so a phrase is the OR of the combinations; too many, and each word keeps
    just its own keys.
    """
    choices = [sorted({s for k in options for s in lemmas.slots(k)}) for options in words_keys]
    if len(choices) == 1 or _product(choices) > MAX_PHRASES:
        choices = [sorted((k,) for k in options) for options in words_keys]
    if _product(choices) > MAX_PHRASES:
        choices = [c[:1] for c in choices]
    return [[k for run in combo for k in run] for combo in itertools.product(*choices)]


def _product(choices: list[list[tuple[str, ...]]]) -> int:
    total = 1
    for c in choices:
        total *= len(c)
    return total


def parse(query: str) -> Match:
    """Turn a user's query into a Match, or raise QueryError with a one-line explanation."""
    if len(query) > 1000:
        raise QueryError("query too long: keep it under 1000 characters")
    tokens = _tokens(query)
    if not any(kind == "exact" for kind, _ in tokens):  # all terms in the lemma columns: one filter
        match = _Parser(tokens).parse()
        match.fts = f"{LEMMA_COLUMNS} : ({match.fts})"
        return match
    return _Parser(tokens, per_term=True).parse()


def to_fts(query: str) -> str:
    """The FTS5 MATCH text for a user's query (the SQL function the web UI registers)."""
    return parse(query).fts


def snippet(text: str, match: Match, *, width: int = 30, mark: tuple[str, str] = MARK,
            require_hit: bool = False) -> str:
    """About `width` words of the original `text` around its densest run of matched words, marked.

    With require_hit, '' when nothing in `text` matches (the caller then tries another text).
    """
    text = text or ""
    hits = match.hits(text)
    if require_hit and not hits:
        return ""
    span = width * 8  # characters in about `width` words
    best, best_count, j = 0, 0, 0
    for i, h in enumerate(hits):  # the hit that starts the run holding the most hits
        while j < len(hits) and hits[j] < h + span:
            j += 1
        if j - i > best_count:
            best_count, best = j - i, h
    begin = max(0, text.rfind(" ", 0, max(0, best - 24)) + 1) if best else 0
    if begin and len(text) - begin < span:  # near the end: start `width` words before the end
        starts_near = [m.start() for m in WORD.finditer(text, max(0, begin - span))]
        if len(starts_near) > width:
            begin = min(begin, starts_near[-width])
        else:
            begin = 0
    words = list(itertools.islice(WORD.finditer(text, begin), width + 1))
    more = len(words) > width
    last_end = words[min(width, len(words)) - 1].end() if words else begin
    out, pos = [], begin
    for hit in hits:  # only the matched words are cut out and marked; the rest is copied in one slice
        if begin <= hit < last_end:
            end = WORD.match(text, hit).end()
            out += [text[pos:hit], mark[0], text[hit:end], mark[1]]
            pos = end
    out.append(text[pos:last_end] if more else text[pos:])
    body = " ".join("".join(out).split())
    return ("…" if begin > 0 else "") + body + ("…" if more else "")
