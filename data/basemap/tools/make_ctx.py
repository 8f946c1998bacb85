#!/usr/bin/env python3
"""Context ring layers (30-65E, 30-50N; zoom 5-7): Natural Earth 10m land
and borders, GSHHG high lakes (>= 2 km2) and major rivers.

usage: make_ctx.py WORLD_ATLAS_DIR NAMES.json SHORE_H.txt RIVERS_H.txt OUTDIR

SHORE_H   `gmt coast -Dh -A2 -W -M` over a region larger than the ring
RIVERS_H  `gmt coast -Dh -I1 -I2 -M` over the ring

Python 3 standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbm          # noqa: E402
import gmtseg       # noqa: E402
import make_world   # noqa: E402

BOX = (30.0, 30.0, 65.0, 50.0)
ZMIN, ZMAX = 5, 7
SCALE = 1000
TOL = 0.5
MIN_LAKE_KM2 = 2.0
CASPIAN_MIN_KM2 = 300000.0


def log(*a):
    print("[ctx]", *a, file=sys.stderr)


def main():
    atlas_dir, names_path, shore, rivers, outdir = sys.argv[1:6]
    names = cbm.load_json(names_path)
    ctab = names["countries"]
    os.makedirs(os.path.join(outdir, "layers"), exist_ok=True)
    band = make_world.TopoBand(os.path.join(atlas_dir, "countries-10m.json"), ZMAX,
                               select_box=(BOX[0] - 2, BOX[1] - 2, BOX[2] + 2, BOX[3] + 2))
    log("10m arc vertices", band.raw_vertices, "->", band.kept_vertices)

    def key_of(g):
        cid = g.get("id")
        if cid and cid in ctab:
            return ctab[cid]["a3"]
        return make_world.ne_key(g)

    src = ["naturalearth"]
    land = cbm.Layer("ctx_land", "polygon", ZMIN, ZMAX, SCALE, list(BOX),
                     "Land of the context ring, Natural Earth 1:10m (no borders; "
                     "also the neutral style's land)", src, make_world.LIC_NE)
    for g in band.T.geometries("land"):
        parts = band.polygons(g, BOX, 1.0)
        cur = []
        for p in parts:
            if cbm.signed_area(p) > 0 and cur:
                land.add({}, cur)
                cur = []
            cur.append(p)
        if cur:
            land.add({}, cur)

    borders = cbm.Layer("ctx_borders", "line", ZMIN, ZMAX, SCALE, list(BOX),
                        "Land borders, Natural Earth 1:10m", src, make_world.LIC_NE,
                        {"l": "country on the left of the line direction: ISO alpha-3 "
                              "where names.json knows it, else '-' and the Natural Earth name",
                         "r": "country on the right"})
    used = set()
    for arc, (l, r) in sorted(band.border_arcs(key_of).items()):
        for part in make_world.shifted_clips(band.arcs[arc], BOX, line=True):
            borders.add({"l": l, "r": r}, [part])
            used.update((l, r))
    by_a3 = {v["a3"]: v["names"] for v in ctab.values()}
    borders.extra["countries"] = {k: by_a3.get(k, {"en": k.lstrip("-")}) for k in sorted(used)}

    # ---- lakes: GSHHG high
    segs = gmtseg.read_segments(shore)
    bylev = {}
    for lev, pts in segs:
        bylev.setdefault(lev, []).append(pts)
    rings = {}
    for lev in (2, 3, 4):
        rr, opened = gmtseg.join(bylev.get(lev, []), True)
        rings[lev] = [r for r in rr if cbm.ring_area_km2(r) >= MIN_LAKE_KM2]
        log("GSHHG-h level", lev, "rings >= 2 km2:", len(rings[lev]), "open (dropped):", len(opened))
    lakes = [r for r in rings[2] if cbm.ring_area_km2(r) < CASPIAN_MIN_KM2]
    lake_bb = [cbm.ring_bbox(r) for r in lakes]

    def container(r, cands, bbs):
        bb = cbm.ring_bbox(r)
        for i, c in enumerate(cands):
            cb = bbs[i]
            if bb[0] >= cb[0] and bb[2] <= cb[2] and bb[1] >= cb[1] and bb[3] <= cb[3] \
                    and cbm.point_in_ring(r[0], c):
                return i
        return None
    holes = {}
    isl = []
    for r in rings[3]:
        i = container(r, lakes, lake_bb)
        if i is not None:
            holes.setdefault(i, []).append(r)
            isl.append(r)
    ponds = [r for r in rings[4] if container(r, isl, [cbm.ring_bbox(x) for x in isl]) is not None]

    lk = cbm.Layer("ctx_lakes", "polygon", ZMIN, ZMAX, SCALE, list(BOX),
                   "Lakes >= 2 km2 (GSHHG high, level 2, islands cut out; the Caspian "
                   "is the sea around ctx_land)", ["gshhg"], "LGPL-3.0-or-later",
                   {"area_km2": "lake area", "level": "2 lake, 4 pond on an island",
                    "name": "English name (hand-curated, large lakes only)",
                    "names": "names by language"})
    feats = []
    for i, r in enumerate(lakes):
        parts = []
        for c in make_world.shifted_clips(cbm.orient(r, True), BOX):
            s = cbm.simplify_ring(c, ZMAX, TOL, None, 0.5)
            if s:
                parts.append(cbm.orient(s, True))
        if not parts:
            continue
        for h in holes.get(i, []):
            for c in make_world.shifted_clips(h, BOX):
                s = cbm.simplify_ring(c, ZMAX, TOL, None, 0.5)
                if s:
                    parts.append(cbm.orient(s, False))
        area = cbm.ring_area_km2(r)
        props = {"area_km2": round(area, 1), "level": 2}
        for ln in names.get("lakes", []):
            if cbm.point_in_ring(tuple(ln["point"]), r):
                props["name"] = ln["names"]["en"]
                props["names"] = ln["names"]
        feats.append((area, props, parts))
    for r in ponds:
        for c in make_world.shifted_clips(cbm.orient(r, True), BOX):
            s = cbm.simplify_ring(c, ZMAX, TOL, None, 0.5)
            if s:
                a = cbm.ring_area_km2(r)
                feats.append((a, {"area_km2": round(a, 1), "level": 4}, [s]))
    feats.sort(key=lambda t: -t[0])
    for _, props, parts in feats:
        lk.add(props, parts)

    # ---- rivers: GSHHG high, major
    rsegs = gmtseg.read_segments(rivers)
    rb = {}
    for lev, pts in rsegs:
        rb.setdefault(lev, []).append(pts)
    rv = cbm.Layer("ctx_rivers", "line", ZMIN, ZMAX, SCALE, list(BOX),
                   "Major rivers (GSHHG high / WDB-II levels 1-2; no names)", ["gshhg"],
                   "LGPL-3.0-or-later", {"level": "GSHHG river level (1 permanent major, 2 additional major)"})
    out = []
    for lev, pieces in sorted(rb.items()):
        rr, lines = gmtseg.join(pieces, False)
        lines += [r + [r[0]] for r in rr]
        for ln in lines:
            for part in cbm.clip_line(ln, BOX):
                out.append((lev, cbm.simplify_line(part, ZMAX, TOL)))
    out.sort(key=lambda t: (t[0], t[1][0]))
    for lev, s in out:
        rv.add({"level": lev}, [s])

    summary = [L.write(os.path.join(outdir, "layers")) for L in (land, borders, lk, rv)]
    with open(os.path.join(outdir, "ctx_summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    for s in summary:
        log("%-12s %5d features %7d vertices %8d bytes" % (s["id"], s["features"], s["vertices"], s["bytes"]))


if __name__ == "__main__":
    main()
