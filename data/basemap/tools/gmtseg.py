"""Read the multisegment text that `gmt coast -M` writes and join GMT's
per-bin pieces into whole rings (shorelines) or long lines (rivers, borders).

Python 3 standard library only.
"""

import re

_LEVEL = re.compile(r"Level\s+(\d+)")


def read_segments(path):
    """Return a list of (level, [(lon, lat), ...]) pieces."""
    segs = []
    cur = None
    level = None
    with open(path, encoding="ascii") as fh:
        for line in fh:
            if line.startswith(">"):
                if cur:
                    segs.append((level, cur))
                m = _LEVEL.search(line)
                level = int(m.group(1)) if m else None
                cur = []
                continue
            if line.startswith("#") or not line.strip():
                continue
            a = line.split()
            cur.append((float(a[0]), float(a[1])))
    if cur:
        segs.append((level, cur))
    return segs


def _key(p):
    return (round(p[0] * 1e6), round(p[1] * 1e6))


def _same(p, q):
    return _key(p) == _key(q)


def join(pieces, closed):
    """Join pieces (lists of points) end to end where exactly two piece ends
    meet.  Returns (rings, lines) -- rings are closed chains (returned without
    the repeated vertex), lines are the chains that stay open."""
    pieces = [list(p) for p in pieces if len(p) >= 2]
    rings = []
    open_pieces = []
    for p in pieces:
        if len(p) > 2 and _same(p[0], p[-1]):
            rings.append(p[:-1])
        else:
            open_pieces.append(p)
    ends = {}
    for i, p in enumerate(open_pieces):
        ends.setdefault(_key(p[0]), []).append((i, 0))
        ends.setdefault(_key(p[-1]), []).append((i, 1))
    used = [False] * len(open_pieces)

    def partner(i, side):
        k = _key(open_pieces[i][0 if side == 0 else -1])
        lst = ends.get(k, [])
        if len(lst) != 2:
            return None
        for j, s in lst:
            if (j, s) != (i, side):
                return (j, s)
        return None

    lines = []
    for i in range(len(open_pieces)):
        if used[i]:
            continue
        # walk backwards to a chain start (or detect a loop)
        start, side = i, 0
        seen = {i}
        while True:
            pr = partner(start, side)
            if pr is None:
                break
            j, s = pr
            if j in seen or used[j]:
                break
            seen.add(j)
            # we enter piece j through end s; its far end is 1 - s
            start, side = j, 1 - s
        # now walk forward from (start, side): start piece oriented so that
        # its `side` end is the chain's first point
        chain = []
        cur, cside = start, side
        loop = False
        while True:
            used[cur] = True
            pts = open_pieces[cur] if cside == 0 else open_pieces[cur][::-1]
            if chain:
                chain.extend(pts[1:])
            else:
                chain.extend(pts)
            far = 1 - cside
            pr = partner(cur, far)
            if pr is None:
                break
            j, s = pr
            if used[j]:
                if j == start:
                    loop = True
                break
            cur, cside = j, s
        if loop or (len(chain) > 3 and _same(chain[0], chain[-1])):
            rings.append(chain[:-1])
        else:
            lines.append(chain)
    return rings, lines
