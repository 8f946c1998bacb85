"""Shared geometry helpers and the writer for Chronotope basemap layer files.

Python 3 standard library only.  Coordinates are (lon, lat) tuples in degrees.

Layer file format ("chronotope-basemap-layer", version 1) is documented in
data/basemap/README.md.  In short: a JSON object with a header and a list of
features; every geometry part is a flat list of integers
[x0, y0, dx1, dy1, dx2, dy2, ...] where x = round(lon * scale),
y = round(lat * scale) and the d-values are differences to the previous vertex.
Polygon rings are implicitly closed (the first vertex is not repeated).
"""

import json
import math
import os

TILE = 256                      # tile size in pixels the tolerances refer to
MERC_MAX_LAT = 85.0511287798    # Web Mercator latitude limit


# ---------------------------------------------------------------- projection

def merc_px(lon, lat, zoom):
    """Web Mercator pixel coordinates (y down) at a zoom level."""
    n = TILE * (1 << zoom)
    lat = max(-MERC_MAX_LAT, min(MERC_MAX_LAT, lat))
    x = (lon + 180.0) / 360.0 * n
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n
    return x, y


# ---------------------------------------------------------------- rings

def signed_area(ring):
    """Shoelace area in degree units, positive for counter-clockwise (y up).
    The ring is implicitly closed."""
    s = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return s / 2.0


def open_ring(ring):
    """Drop the closing vertex if the ring repeats its first vertex."""
    if len(ring) > 1 and ring[0] == ring[-1]:
        return ring[:-1]
    return ring


def dedup(pts, closed):
    out = []
    for p in pts:
        if not out or out[-1] != p:
            out.append(p)
    if closed:
        while len(out) > 1 and out[0] == out[-1]:
            out.pop()
    return out


def orient(ring, ccw):
    """Return the ring with counter-clockwise (ccw=True) or clockwise order."""
    a = signed_area(ring)
    if (a > 0) != ccw and a != 0:
        return ring[::-1]
    return ring


def point_in_ring(pt, ring):
    x, y = pt
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y):
            xc = xi + (y - yi) * (xj - xi) / (yj - yi)
            if x < xc:
                inside = not inside
        j = i
    return inside


def ring_bbox(ring):
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def ring_area_km2(ring):
    """Approximate area on the sphere (equirectangular at each edge's mean
    latitude), good to a few percent for lakes and islands."""
    R = 6371.0088
    s = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        # integral of (lon) d(sin lat): exact for the sinusoidal-equal-area idea
        s += (math.radians(x2) - math.radians(x1)) * \
            (2 + math.sin(math.radians(y1)) + math.sin(math.radians(y2)))
    return abs(s) * R * R / 2.0


# ---------------------------------------------------------------- clipping

def _isect_x(a, b, X):
    # canonical order so that a segment and its reverse give identical bits
    if a > b:
        a, b = b, a
    t = (X - a[0]) / (b[0] - a[0])
    return (X, a[1] + t * (b[1] - a[1]))


def _isect_y(a, b, Y):
    if a > b:
        a, b = b, a
    t = (Y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), Y)


def clip_ring(ring, box):
    """Sutherland-Hodgman clip of a closed ring against box (w, s, e, n).
    Concave rings may come back with zero-width bridges along the box
    boundary; these are harmless for filling and are skipped when stroking
    (segments lying on the clip box are artificial, see README)."""
    w, s, e, n = box
    bx0, by0, bx1, by1 = ring_bbox(ring)
    if bx0 >= w and bx1 <= e and by0 >= s and by1 <= n:
        return list(ring)
    if bx1 <= w or bx0 >= e or by1 <= s or by0 >= n:
        return []
    pts = list(ring)
    planes = (
        (lambda p: p[0] >= w, lambda a, b: _isect_x(a, b, w)),
        (lambda p: p[0] <= e, lambda a, b: _isect_x(a, b, e)),
        (lambda p: p[1] >= s, lambda a, b: _isect_y(a, b, s)),
        (lambda p: p[1] <= n, lambda a, b: _isect_y(a, b, n)),
    )
    for inside, isect in planes:
        if not pts:
            break
        out = []
        prev = pts[-1]
        pin = inside(prev)
        for cur in pts:
            cin = inside(cur)
            if cin:
                if not pin:
                    out.append(isect(prev, cur))
                out.append(cur)
            elif pin:
                out.append(isect(prev, cur))
            prev, pin = cur, cin
        pts = out
    pts = dedup(pts, True)
    if len(pts) < 3 or abs(signed_area(pts)) == 0:
        return []
    return pts


def clip_line(line, box):
    """Clip an open polyline to box; returns a list of parts."""
    w, s, e, n = box
    parts = []
    cur = []

    def inside(p):
        return w <= p[0] <= e and s <= p[1] <= n

    for i in range(len(line) - 1):
        a, b = line[i], line[i + 1]
        seg = _clip_segment(a, b, box)
        if seg is None:
            if cur:
                parts.append(cur)
                cur = []
            continue
        p, q = seg
        if cur and cur[-1] == p:
            cur.append(q)
        else:
            if cur:
                parts.append(cur)
            cur = [p, q]
        if q != b:          # left the box
            parts.append(cur)
            cur = []
    if cur:
        parts.append(cur)
    return [dedup(p, False) for p in parts if len(dedup(p, False)) >= 2]


def _clip_segment(a, b, box):
    """Liang-Barsky; the computation uses a canonical endpoint order so the
    same segment traversed backwards yields the same intersection points."""
    w, s, e, n = box
    swap = a > b
    p0, p1 = (b, a) if swap else (a, b)
    dx = p1[0] - p0[0]
    dy = p1[1] - p0[1]
    t0, t1 = 0.0, 1.0
    for pp, qq in ((-dx, p0[0] - w), (dx, e - p0[0]),
                   (-dy, p0[1] - s), (dy, n - p0[1])):
        if pp == 0:
            if qq < 0:
                return None
        else:
            r = qq / pp
            if pp < 0:
                if r > t1:
                    return None
                if r > t0:
                    t0 = r
            else:
                if r < t0:
                    return None
                if r < t1:
                    t1 = r
    q0 = p0 if t0 == 0.0 else (p0[0] + t0 * dx, p0[1] + t0 * dy)
    q1 = p1 if t1 == 1.0 else (p0[0] + t1 * dx, p0[1] + t1 * dy)
    # snap intersection points exactly onto the box edges
    q0 = _snap(q0, box)
    q1 = _snap(q1, box)
    if swap:
        q0, q1 = q1, q0
    if q0 == q1:
        return None
    return q0, q1


def _snap(p, box):
    w, s, e, n = box
    x, y = p
    eps = 1e-9
    if abs(x - w) < eps:
        x = w
    elif abs(x - e) < eps:
        x = e
    if abs(y - s) < eps:
        y = s
    elif abs(y - n) < eps:
        y = n
    return (x, y)


# ---------------------------------------------------------------- simplification

def _dp_chain(pts, keep, i0, i1, tol2):
    """Douglas-Peucker on pts[i0..i1] (projected), marking kept indices."""
    stack = [(i0, i1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        ax, ay = pts[a]
        bx, by = pts[b]
        dx, dy = bx - ax, by - ay
        L2 = dx * dx + dy * dy
        best, bi = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if L2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = ((px - ax) * dx + (py - ay) * dy) / L2
                if t < 0:
                    d2 = (px - ax) ** 2 + (py - ay) ** 2
                elif t > 1:
                    d2 = (px - bx) ** 2 + (py - by) ** 2
                else:
                    cx, cy = ax + t * dx, ay + t * dy
                    d2 = (px - cx) ** 2 + (py - cy) ** 2
            if d2 > best:
                best, bi = d2, i
        if best > tol2:
            keep[bi] = True
            stack.append((a, bi))
            stack.append((bi, b))


def simplify_line(line, zoom, tol_px=0.5, pinned=None):
    """Douglas-Peucker in Web Mercator pixels at `zoom`; endpoints and any
    vertex whose coordinates are in `pinned` are kept."""
    if len(line) <= 2:
        return list(line)
    P = [merc_px(x, y, zoom) for x, y in line]
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    anchors = [0]
    if pinned:
        for i in range(1, len(line) - 1):
            if line[i] in pinned:
                keep[i] = True
                anchors.append(i)
    anchors.append(len(line) - 1)
    for a, b in zip(anchors, anchors[1:]):
        _dp_chain(P, keep, a, b, tol_px * tol_px)
    return [p for p, k in zip(line, keep) if k]


def simplify_ring(ring, zoom, tol_px=0.5, pinned=None, min_area_px=0.0):
    """Douglas-Peucker on a closed ring (pixels at `zoom`).  Vertices whose
    coordinates are in `pinned` are kept.  Returns [] if the ring collapses
    (fewer than 3 vertices or smaller than min_area_px square pixels)."""
    n = len(ring)
    if n < 3:
        return []
    P = [merc_px(x, y, zoom) for x, y in ring]
    anchors = []
    if pinned:
        anchors = [i for i in range(n) if ring[i] in pinned]
    if not anchors:
        anchors = [0]
    if len(anchors) == 1:
        a0 = anchors[0]
        x0, y0 = P[a0]
        far = max(range(n), key=lambda i: (P[i][0] - x0) ** 2 + (P[i][1] - y0) ** 2)
        if far != a0:
            anchors = sorted([a0, far])
    r0 = anchors[0]
    idx = [(r0 + k) % n for k in range(n + 1)]     # closed: ends on r0 again
    Q = [P[i] for i in idx]
    keep = [False] * (n + 1)
    anc = [a - r0 for a in anchors] + [n]
    for a in anc:
        keep[a] = True
    for a, b in zip(anc, anc[1:]):
        _dp_chain(Q, keep, a, b, tol_px * tol_px)
    out = [ring[idx[k]] for k in range(n) if keep[k]]
    if len(out) < 3:
        return []
    if min_area_px > 0:
        pp = [merc_px(x, y, zoom) for x, y in out]
        if abs(signed_area(pp)) < min_area_px:
            return []
    return out


# ---------------------------------------------------------------- quantization / output

def quantize(pts, scale, closed):
    q = [(int(round(x * scale)), int(round(y * scale))) for x, y in pts]
    q = dedup(q, closed)
    if closed:
        # remove spikes (A B A) produced by rounding
        changed = True
        while changed and len(q) >= 3:
            changed = False
            for i in range(len(q)):
                if q[i - 1] == q[(i + 1) % len(q)]:
                    del q[i]
                    q = dedup(q, True)
                    changed = True
                    break
        if len(q) < 3:
            return None
        # zero area after rounding
        if signed_area(q) == 0:
            return None
    else:
        if len(q) < 2:
            return None
    return q


def encode_part(q):
    out = [q[0][0], q[0][1]]
    px, py = q[0]
    for x, y in q[1:]:
        out.append(x - px)
        out.append(y - py)
        px, py = x, y
    return out


class Layer:
    """Collects features and writes one layer file."""

    def __init__(self, lid, kind, zmin, zmax, scale, clip, title,
                 sources, license, fields_doc=None, extra=None):
        assert kind in ("polygon", "line", "point")
        self.id = lid
        self.kind = kind
        self.zmin = zmin
        self.zmax = zmax
        self.scale = scale
        self.clip = clip
        self.title = title
        self.sources = sources
        self.license = license
        self.fields_doc = fields_doc or {}
        self.extra = extra or {}
        self.features = []
        self.vertices = 0

    def add(self, props, parts):
        """parts: list of rings (polygon) or lines (line) in degrees, or a
        single (lon, lat) for points.  Polygon rings must already be oriented
        (outer counter-clockwise, holes clockwise)."""
        if self.kind == "point":
            x, y = parts
            g = [int(round(x * self.scale)), int(round(y * self.scale))]
            self.features.append({"p": props, "g": g})
            self.vertices += 1
            return True
        enc = []
        outer_kept = True
        for part in parts:
            is_outer = self.kind == "polygon" and signed_area(part) > 0
            if self.kind == "polygon" and not is_outer and not outer_kept:
                continue            # the hole of an outer ring that vanished
            q = quantize(part, self.scale, self.kind == "polygon")
            if is_outer:
                outer_kept = q is not None
            if q is None:
                continue
            enc.append(encode_part(q))
            self.vertices += len(q)
        if not enc:
            return False
        self.features.append({"p": props, "g": enc})
        return True

    def header(self):
        return {
            "format": "chronotope-basemap-layer",
            "version": 1,
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "zoom": [self.zmin, self.zmax],
            "scale": self.scale,
            # the clip box in degrees and in layer units, as rounded like
            # the coordinates: ring segments lying on it are artificial
            "clip": [round(v * self.scale) / self.scale for v in self.clip],
            "clip_units": [int(round(v * self.scale)) for v in self.clip],
            "sources": self.sources,
            "license": self.license,
            "fields": self.fields_doc,
        }

    def write(self, outdir):
        doc = self.header()
        doc.update(self.extra)
        doc["feature_count"] = len(self.features)
        doc["vertex_count"] = self.vertices
        path = os.path.join(outdir, self.id + ".json")
        # header keys pretty enough to read, features one per line for diffs
        head = json.dumps(doc, ensure_ascii=False, separators=(",", ":"),
                          sort_keys=False)
        lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":"))
                 for f in self.features]
        text = head[:-1] + ',\n"features":[\n' + ",\n".join(lines) + "\n]}\n"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return {
            "id": self.id,
            "file": "layers/" + self.id + ".json",
            "kind": self.kind,
            "zoom": [self.zmin, self.zmax],
            "features": len(self.features),
            "vertices": self.vertices,
            "bytes": os.path.getsize(path),
            "sources": self.sources,
            "license": self.license,
        }


def load_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
