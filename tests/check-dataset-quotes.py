#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check a Chronotope dataset against the source documents it quotes.

usage: check-dataset-quotes.py DATASET.json SEEDS_DIR

Every quote must occur verbatim (exact characters) in its source's document, and every
claim must be stated by the excerpt it points to. The excerpts of a document, together,
must not rebuild it (the project quotes its sources; it does not ship them). The other
checks catch what would make
the bundled dataset wrong or unreadable: duplicate or malformed ids, missing English or
French texts, dangling place ids, places without a name or a position, dates that are not
EDTF. Each failure is printed with where it is (event id, excerpt id, ...).

Exit status: 0 when everything passes, 1 on any failure, 77 (meson's "skipped") when
SEEDS_DIR does not exist, since the documents are not shipped with the project.
Python 3 standard library only.
"""

import calendar
import json
import os
import re
import sys

MAX_QUOTE = 300
# The excerpts of one document, taken together, must not rebuild it: at most this share of
# the document may be quoted, and no paragraph (of more than PARAGRAPH_MIN characters) may
# be quoted almost whole.
MAX_DOCUMENT_SHARE = 0.60
MAX_PARAGRAPH_SHARE = 0.90
PARAGRAPH_MIN = 80
ID_RE = re.compile(r'^[a-z0-9][a-z0-9-]*$')
CATEGORIES = {'military', 'diplomatic', 'humanitarian', 'political', 'legal', 'context'}
ROLES = {'location', 'origin', 'destination', 'signed', 'affected', 'route'}
KINDS = {'city', 'town', 'village', 'site', 'region', 'country', 'route', 'border'}
USAGES = {'common', 'official', 'historical', 'local', 'variant'}
CLAIM_KEYS = {'date', 'start', 'end', 'duration', 'troops', 'officers', 'sappers',
              'personnel', 'vehicles', 'armoured-vehicles', 'deaths', 'wounded',
              'distance', 'villages', 'time-to-capture'}
REQUIRED_LANGS = ('en', 'fr')

MONTHS = {
    1: ('janvier', 'january'), 2: ('février', 'february'), 3: ('mars', 'march'),
    4: ('avril', 'april'), 5: ('mai', 'may'), 6: ('juin', 'june'),
    7: ('juillet', 'july'), 8: ('août', 'august'), 9: ('septembre', 'september'),
    10: ('octobre', 'october'), 11: ('novembre', 'november'), 12: ('décembre', 'december'),
}
NUMBER_WORDS = {
    1: ('one', 'un', 'une', 'a', 'an'), 2: ('two', 'deux'), 3: ('three', 'trois'),
    4: ('four', 'quatre'), 5: ('five', 'cinq'), 6: ('six',), 7: ('seven', 'sept'),
    8: ('eight', 'huit'), 9: ('nine', 'neuf'), 10: ('ten', 'dix'),
    11: ('eleven', 'onze'), 12: ('twelve', 'douze'),
}
SEASONS = {
    'spring': ('spring', 'printemps'), 'summer': ('summer', 'été'),
    'autumn': ('autumn', 'fall', 'automne'), 'winter': ('winter', 'hiver'),
}
# Words that date a passage relative to another date: a claim may then give a day the
# quote does not spell out ("le lendemain" = 14 December).
RELATIVE_DATE_RE = re.compile(
    r'(?<![\w])(veille|lendemain|jour|hier|aujourd|lundi|mardi|mercredi|jeudi|vendredi|samedi|'
    r'dimanche|day|yesterday|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![\w])',
    re.IGNORECASE)
# A figure as a claim value: "1960", "about 2000", "almost 9 months", "12.7 km".
FIGURE_RE = re.compile(r'^(?:about|nearly|almost|some|over|more than|at least)?\s*'
                       r'(\d+(?:\.\d+)?)(?:\s|$)')
ISO_DATE_RE = re.compile(r'^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$')
# Numbers in running text: "1 960", "1,960", "6 500" (also with no-break spaces), "12.7".
TEXT_NUMBER_RE = re.compile(r'(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+(?:[.,]\d+)?)(?![\d])')


class Report:
    def __init__(self):
        self.passed = 0
        self.failures = []

    def check(self, ok, where, message):
        if ok:
            self.passed += 1
        else:
            self.failures.append(f'{where}: {message}')
        return ok


# ------------------------------------------------------------------------------ EDTF
# A syntax check for the EDTF this format allows (see data/datasets/README.md): level 0,
# level 1 (qualifiers, X digits, seasons, open and unknown interval ends, long years) and
# level 2 sub-year groupings and one-of / all-of sets. It also rejects impossible days.

_DATE = re.compile(r'^([?~%])?(-?)(\d{4}|\d{3}X|\d{2}XX|\dXXX|XXXX)'
                   r'(?:-([?~%])?(\d{2}|XX)(?:-([?~%])?(\d{2}|XX))?)?([?~%])?$')
_LONG_YEAR = re.compile(r'^Y-?\d+(?:E\d+)?(?:S\d+)?$')


def _valid_date(s):
    if _LONG_YEAR.match(s):
        return True
    m = _DATE.match(s)
    if not m:
        return False
    year, month, day = m.group(3), m.group(5), m.group(7)
    if month is None or month == 'XX':
        if day is not None and day != 'XX' and not 1 <= int(day) <= 31:
            return False
        return True
    mo = int(month)
    if day is None:
        return 1 <= mo <= 12 or 21 <= mo <= 41
    if not 1 <= mo <= 12:
        return False
    if day == 'XX':
        return True
    d = int(day)
    if 'X' in year:
        return 1 <= d <= 31
    y = int(year) * (-1 if m.group(2) else 1)
    # calendar.monthrange handles years 1..9999; outside that only the plain bound.
    last = calendar.monthrange(y, mo)[1] if 1 <= y <= 9999 else 31
    return 1 <= d <= last


def valid_edtf(s, allow_open=False):
    """True when S is an EDTF expression this format allows. ALLOW_OPEN accepts a bare
    '..' (an open event end, see README)."""
    if not isinstance(s, str) or s == '':
        return False
    if s == '..':
        return allow_open
    if s[0] in '[{':
        close = ']' if s[0] == '[' else '}'
        if not s.endswith(close):
            return False
        members = [p.strip() for p in s[1:-1].split(',')]
        if not members or any(p == '' for p in members):
            return False
        for i, p in enumerate(members):
            if '..' in p:
                a, b = p.split('..', 1)
                if a == '' and b == '':
                    return False
                if (a == '' and i != 0) or (b == '' and i != len(members) - 1):
                    return False
                if (a and not _valid_date(a)) or (b and not _valid_date(b)):
                    return False
            elif not _valid_date(p):
                return False
        return True
    if '/' in s:
        a, b = s.split('/', 1)
        if a == '' and b == '':
            return False
        return all(x in ('', '..') or _valid_date(x) for x in (a, b))
    return _valid_date(s)


# ------------------------------------------------------------------------------ claims

def _numbers_in(text):
    out = set()
    for m in TEXT_NUMBER_RE.finditer(text):
        raw = m.group(1)
        if re.fullmatch(r'\d{1,3}(?:[ \u00a0\u202f,]\d{3})+', raw):
            out.add(re.sub(r'[ \u00a0\u202f,]', '', raw))
        else:
            out.add(raw.replace(',', '.'))
    return out


def _word_re(word):
    return re.compile(r'(?<![\w])' + re.escape(word) + r'(?![\w])', re.IGNORECASE)


def figure_in_quote(figure, quote):
    """FIGURE (a string like '1960' or '12.7') is in QUOTE as digits, in any grouping, or
    as a number word (six, sept, nine...)."""
    if figure in _numbers_in(quote):
        return True
    if re.fullmatch(r'\d+', figure):
        for word in NUMBER_WORDS.get(int(figure), ()):
            if len(word) > 2 and _word_re(word).search(quote):
                return True
    return False


DATE_KEYS = {'date', 'start', 'end'}


def check_claim_value(key, value, quote):
    """Return None when the claim KEY = VALUE is consistent with QUOTE, else a reason.

    Figures (troops, durations, distances...) must appear in the quote, as digits in any
    grouping or as a number word. Dates are checked as far as the quote spells them: the
    day and month when it names the month, the year when it gives one next to it; a
    relative date ("le lendemain", "on Tuesday") cannot be matched and passes."""
    if not isinstance(value, str) or value.strip() == '':
        return 'empty value'
    years_in_quote = {n for n in _numbers_in(quote) if re.fullmatch(r'\d{4}', n)}
    m = ISO_DATE_RE.match(value) if key in DATE_KEYS else None
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        if month is None:
            if year not in years_in_quote:
                return f'year {year} is not in the quote'
            return None
        names = MONTHS.get(int(month))
        if names is None:
            return f'month {month} does not exist'
        lower = quote.lower()
        named = [n for n in names if _word_re(n).search(lower)]
        if not named:
            if any(_word_re(n).search(lower) for ns in MONTHS.values() for n in ns if len(n) > 3):
                return f'the quote names another month than {month}'
            # A relative date ("le lendemain", "on Tuesday") cannot be matched; a quote with
            # no date at all does not state the claim.
            if not RELATIVE_DATE_RE.search(quote):
                return 'the quote gives no date'
            return None
        if day is not None:
            d = str(int(day))
            if not re.search(r'(?<!\d)0?' + d + r'(?:er|st|nd|rd|th)?(?!\d)', quote):
                return f'day {d} is not in the quote'
        for n in named:
            for ym in re.finditer(_word_re(n).pattern + r'[\s\u00a0]+(\d{4})', quote, re.IGNORECASE):
                if ym.group(1) != year:
                    return f'the quote gives {n} {ym.group(1)}, not {year}'
        return None
    fm = FIGURE_RE.match(value) if key not in DATE_KEYS else None
    if fm:
        if not figure_in_quote(fm.group(1), quote):
            return f'the figure {fm.group(1)} is not in the quote'
        return None
    # A vague date in words ("autumn 2020", "mid-April 2024"): its season or month must
    # be in the quote, in English or French, and its year too when the quote has one.
    lower_value, lower_quote = value.lower(), quote.lower()
    for season, words in SEASONS.items():
        if _word_re(season).search(lower_value) and not any(_word_re(w).search(lower_quote) for w in words):
            return f'"{season}" is not in the quote'
    for names in MONTHS.values():
        if _word_re(names[1]).search(lower_value) and not any(_word_re(n).search(lower_quote) for n in names):
            return f'"{names[1]}" is not in the quote'
    ym = re.search(r'(?<!\d)(\d{4})(?!\d)', value)
    if ym and years_in_quote and ym.group(1) not in years_in_quote:
        return f'year {ym.group(1)} is not in the quote'
    return None


# ------------------------------------------------------------------------------ main

def texts_ok(texts, where, r, what):
    r.check(isinstance(texts, dict) and isinstance(texts.get('en'), str) and texts['en'].strip(),
            where, f'{what} has no English text')


def main(argv):
    if len(argv) != 3:
        print(f'usage: {os.path.basename(argv[0])} DATASET.json SEEDS_DIR', file=sys.stderr)
        return 2
    dataset_path, seeds_dir = argv[1], argv[2]
    if not os.path.isdir(seeds_dir):
        print(f'check-dataset-quotes: skipped: no source documents at {seeds_dir} '
              '(they are not shipped with the project)')
        return 77

    r = Report()
    try:
        with open(dataset_path, encoding='utf-8') as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        print(f'{dataset_path}: cannot read the dataset: {e}')
        print('check-dataset-quotes: 0 passed, 1 failed')
        return 1
    r.passed += 1

    top = 'dataset'
    if not r.check(isinstance(data, dict), top, 'the top level is not an object'):
        return finish(r)
    r.check(data.get('format') == 'chronotope-dataset', top, 'format is not "chronotope-dataset"')
    r.check(data.get('version') == 1, top, 'version is not 1')
    r.check(isinstance(data.get('id'), str) and bool(ID_RE.match(data.get('id', ''))), top, 'bad dataset id')
    texts_ok(data.get('title'), top, r, 'title')

    def listof(key):
        v = data.get(key)
        r.check(isinstance(v, list), top, f'"{key}" is not a list')
        return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []

    sources, places, events = listof('sources'), listof('places'), listof('events')

    seen = {k: set() for k in ('source', 'place', 'event', 'excerpt', 'claim')}

    def new_id(kind, ident, where):
        if not r.check(isinstance(ident, str) and bool(ID_RE.match(ident)), where,
                       f'{kind} id {ident!r} does not match [a-z0-9][a-z0-9-]*'):
            return False
        return r.check(ident not in seen[kind], where, f'duplicate {kind} id {ident!r}') \
            and not seen[kind].add(ident)

    # Sources and their documents.
    documents = {}
    for s in sources:
        sid = s.get('id')
        where = f'source {sid}'
        new_id('source', sid, where)
        r.check(isinstance(s.get('title'), str) and s['title'].strip(), where, 'no title')
        if s.get('published') is not None:
            r.check(valid_edtf(s['published']), where, f'published {s["published"]!r} is not EDTF')
        doc = s.get('document')
        if not r.check(isinstance(doc, str) and doc, where, 'no document named'):
            continue
        path = os.path.join(seeds_dir, doc)
        if r.check(os.path.isfile(path), where, f'document {doc} does not exist in {seeds_dir}'):
            with open(path, encoding='utf-8') as f:
                documents[sid] = f.read()

    # Places.
    for p in places:
        pid = p.get('id')
        where = f'place {pid}'
        new_id('place', pid, where)
        r.check(p.get('kind') in KINDS, where, f'unknown kind {p.get("kind")!r}')
        lat, lon = p.get('lat'), p.get('lon')
        r.check(isinstance(lat, (int, float)) and not isinstance(lat, bool) and -90 <= lat <= 90,
                where, f'bad lat {lat!r}')
        r.check(isinstance(lon, (int, float)) and not isinstance(lon, bool) and -180 <= lon <= 180,
                where, f'bad lon {lon!r}')
        names = p.get('names') if isinstance(p.get('names'), list) else []
        r.check(any(isinstance(n, dict) and n.get('lang') == 'en' and isinstance(n.get('name'), str)
                    and n['name'].strip() for n in names), where, 'no English name')
        for n in names:
            r.check(isinstance(n, dict) and n.get('usage') in USAGES, where,
                    f'name {n!r} has no valid usage')
        geom = p.get('geometry')
        if geom is not None:
            check_geometry(geom, where, r)

    place_ids = seen['place']

    # Events, their excerpts and claims.
    for e in events:
        eid = e.get('id')
        where = f'event {eid}'
        new_id('event', eid, where)
        r.check(valid_edtf(e.get('start')), where, f'start {e.get("start")!r} is not EDTF')
        if e.get('end') is not None:
            r.check(valid_edtf(e['end'], allow_open=True), where, f'end {e["end"]!r} is not EDTF')
        r.check(e.get('category') in CATEGORIES, where, f'unknown category {e.get("category")!r}')
        r.check(e.get('importance') in (1, 2, 3), where, f'importance {e.get("importance")!r} is not 1-3')
        text = e.get('text') if isinstance(e.get('text'), dict) else {}
        for lang in REQUIRED_LANGS:
            t = text.get(lang) if isinstance(text.get(lang), dict) else {}
            for field in ('title', 'summary'):
                r.check(isinstance(t.get(field), str) and t[field].strip(), where,
                        f'no {lang} {field}')
        for link in e.get('places') or []:
            pid = link.get('place') if isinstance(link, dict) else None
            r.check(pid in place_ids, where, f'unknown place {pid!r}')
            r.check(isinstance(link, dict) and link.get('role') in ROLES, where,
                    f'place link {link!r} has no valid role')

        excerpts = [x for x in (e.get('excerpts') or []) if isinstance(x, dict)]
        r.check(len(excerpts) >= 1, where, 'no excerpt')
        quotes = {}
        for x in excerpts:
            xid = x.get('id')
            xwhere = f'event {eid}, excerpt {xid}'
            new_id('excerpt', xid, xwhere)
            quote = x.get('quote')
            if not r.check(isinstance(quote, str) and quote.strip(), xwhere, 'empty quote'):
                continue
            quotes[xid] = quote
            r.check(len(quote) <= MAX_QUOTE, xwhere,
                    f'quote is {len(quote)} characters long (at most {MAX_QUOTE}): quote less')
            r.check(x.get('lang') in ('en', 'fr'), xwhere, f'lang {x.get("lang")!r} is not en or fr')
            sid = x.get('source')
            if not r.check(sid in seen['source'], xwhere, f'unknown source {sid!r}'):
                continue
            if sid in documents:
                r.check(quote in documents[sid], xwhere,
                        f'quote is not verbatim in {os.path.basename(str(sources_doc(sources, sid)))}: '
                        f'{near_miss(quote, documents[sid])}')

        for c in e.get('claims') or []:
            if not isinstance(c, dict):
                r.check(False, where, f'claim {c!r} is not an object')
                continue
            cid = c.get('id')
            cwhere = f'event {eid}, claim {cid}'
            new_id('claim', cid, cwhere)
            r.check(c.get('key') in CLAIM_KEYS, cwhere, f'unknown key {c.get("key")!r}')
            xid = c.get('excerpt')
            if not r.check(xid in quotes, cwhere, f'excerpt {xid!r} is not an excerpt of this event'):
                continue
            problem = check_claim_value(c.get('key'), c.get('value'), quotes[xid])
            r.check(problem is None, cwhere,
                    f'value {c.get("value")!r} is not stated by excerpt {xid}: {problem}')

    check_coverage(events, documents, r)
    return finish(r, len(events), len(places), len(sources), len(seen['excerpt']), len(seen['claim']))


def check_coverage(events, documents, r):
    """The project quotes its sources; it must not ship them whole."""
    quoted = {sid: bytearray(len(text)) for sid, text in documents.items()}
    for e in events:
        for x in e.get('excerpts') or []:
            if not isinstance(x, dict):
                continue
            sid, quote = x.get('source'), x.get('quote')
            if sid in documents and isinstance(quote, str) and quote:
                start = documents[sid].find(quote)
                while start >= 0:
                    quoted[sid][start:start + len(quote)] = b'\x01' * len(quote)
                    start = documents[sid].find(quote, start + 1)
    for sid, text in documents.items():
        mask = quoted[sid]
        share = sum(mask) / len(text) if text else 0.0
        r.check(share <= MAX_DOCUMENT_SHARE, f'source {sid}',
                f'the excerpts quote {share:.0%} of the document (at most {MAX_DOCUMENT_SHARE:.0%}): quote less')
        pos = 0
        for n, para in enumerate(text.split('\n'), 1):
            if len(para) > PARAGRAPH_MIN:
                pshare = sum(mask[pos:pos + len(para)]) / len(para)
                r.check(pshare <= MAX_PARAGRAPH_SHARE, f'source {sid}',
                        f'the excerpts quote {pshare:.0%} of line {n} of the document, almost all of it: quote less')
            pos += len(para) + 1


def sources_doc(sources, sid):
    for s in sources:
        if s.get('id') == sid:
            return s.get('document')
    return None


def near_miss(quote, document):
    """Say where a quote stops matching, to make a typographic slip easy to find."""
    best = 0
    for n in range(len(quote), 0, -1):
        if quote[:n] in document:
            best = n
            break
    if best == 0:
        return 'not even its first character matches'
    return f'matches up to character {best}, then has {quote[best:best + 12]!r}'


def check_geometry(geom, where, r):
    if not r.check(isinstance(geom, dict) and geom.get('type') in ('LineString', 'MultiLineString', 'Polygon'),
                   where, f'geometry {geom!r} is not a LineString, MultiLineString or Polygon'):
        return
    coords = geom.get('coordinates')
    if geom['type'] == 'LineString':
        lines = [coords]
    else:
        lines = coords if isinstance(coords, list) else [None]
    for line in lines:
        ok = isinstance(line, list) and len(line) >= 2 and all(
            isinstance(pt, list) and len(pt) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pt)
            and -180 <= pt[0] <= 180 and -90 <= pt[1] <= 90 for pt in line)
        r.check(ok, where, 'geometry coordinates are not [lon, lat] pairs in range')


def finish(r, *counts):
    for f in r.failures:
        print(f)
    if counts:
        print('checked {} events, {} places, {} sources, {} excerpts, {} claims'.format(*counts))
    print(f'check-dataset-quotes: {r.passed} passed, {len(r.failures)} failed')
    return 1 if r.failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
