#!/usr/bin/env python3
"""World layers from Natural Earth (world-atlas TopoJSON): land, borders and
(at 110m) country polygons, cut at the antimeridian and at the Web Mercator
latitude limit.

usage: make_world.py WORLD_ATLAS_DIR NAMES.json OUTDIR

Python 3 standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbm      # noqa: E402
import topo     # noqa: E402

LIC_NE = "public-domain"
NOT_BORDERS = {"Baikonur"}      # Kazakh land leased to Russia, not a border
WORLD_BOX = (-180.0, -cbm.MERC_MAX_LAT, 180.0, cbm.MERC_MAX_LAT)


def log(*a):
    print("[world]", *a, file=sys.stderr)


def shifted_clips(pts, box, line=False):
    """Clip a ring (or line) with continuous longitudes against box, trying
    every 360-degree shift that can overlap it; returns the pieces moved back
    into the box's longitude range."""
    x0, _, x1, _ = cbm.ring_bbox(pts)
    out = []
    kmin = int((box[0] - x1) // 360) - 1
    kmax = int((box[2] - x0) // 360) + 1
    for k in range(kmin, kmax + 1):
        dx = 360.0 * k
        if x1 + dx < box[0] or x0 + dx > box[2]:
            continue
        moved = topo.shift(pts, dx) if k else pts
        if line:
            out.extend(cbm.clip_line(moved, box))
        else:
            c = cbm.clip_ring(moved, box)
            if c:
                out.append(c)
    return out


def close_polar(ring, turns):
    """A ring whose longitudes advance by a full turn goes round a pole;
    close it along the pole.  Returns None for degenerate pole slivers."""
    if turns == 0:
        return ring
    if abs(turns) != 1:
        return None
    ys = [p[1] for p in ring]
    if max(ys) < -cbm.MERC_MAX_LAT or min(ys) > cbm.MERC_MAX_LAT:
        return None                 # entirely beyond the map: pole sliver
    pole = -90.0 if sum(ys) / len(ys) < 0 else 90.0
    first, last = ring[0], ring[-1]
    # the ring's closing vertex (first + turns*360) was dropped by
    # assemble_ring; go on to it, down to the pole, and back
    end_x = first[0] + 360.0 * turns
    closed = list(ring) + [(end_x, first[1]), (end_x, pole), (first[0], pole)]
    if abs(cbm.signed_area(closed)) < 1e-9:
        return None
    return closed


class TopoBand:
    """Arcs simplified once (so that shared edges stay shared), then land,
    borders and countries assembled from them."""

    def __init__(self, path, zmax, select_box=None, tol=0.5):
        self.T = topo.Topology(path)
        self.zmax = zmax
        U = [topo.unwrap(a) for a in self.T.arcs]
        S = []
        for a in U:
            if select_box is not None:
                bb = cbm.ring_bbox(a)
                if not any(bb[2] + 360 * k >= select_box[0] and bb[0] + 360 * k <= select_box[2]
                           for k in (-1, 0, 1)) or bb[3] < select_box[1] or bb[1] > select_box[3]:
                    S.append(a)     # far away: clipped off later anyway
                    continue
            S.append(cbm.simplify_line(a, zmax, tol) if len(a) > 2 else a)
        self.arcs = S
        self.raw_vertices = sum(len(a) for a in U)
        self.kept_vertices = sum(len(a) for a in S)

    def rings_of(self, geom):
        """[(ring, is_outer, ring_index_in_polygon, arc_ids)] with polar rings
        closed and pole slivers dropped."""
        out = []
        for poly in topo.Topology.polygons(geom):
            for ri, ids in enumerate(poly):
                ring, turns = topo.assemble_ring(ids, self.arcs)
                ring = close_polar(ring, turns)
                if ring is None:
                    log("dropped pole sliver ring of", geom.get("properties", {}).get("name", "land"))
                    continue
                out.append((ring, ri == 0, ids))
        return out

    def polygons(self, geom, box, min_area_px):
        parts = []
        for ring, is_outer, _ in self.rings_of(geom):
            for c in shifted_clips(ring, box):
                c = cbm.dedup(c, True)
                if len(c) < 3:
                    continue
                pp = [cbm.merc_px(x, y, self.zmax) for x, y in c]
                if abs(cbm.signed_area(pp)) < min_area_px:
                    continue
                parts.append(cbm.orient(c, is_outer))
        return parts

    def border_arcs(self, key_of):
        """{arc id: (left key, right key)} for arcs used by two countries.
        Lease areas (Baikonur) are not countries: their outline is skipped."""
        use = {}
        for gi, g in enumerate(self.T.geometries("countries")):
            if g.get("properties", {}).get("name") in NOT_BORDERS:
                continue
            for ring, is_outer, ids in self.rings_of(g):
                a = cbm.signed_area(ring)
                interior_left = (a > 0) == is_outer
                for i in ids:
                    arc = i if i >= 0 else ~i
                    fwd = i >= 0
                    left = fwd == interior_left
                    use.setdefault(arc, []).append((key_of(g), left))
        out = {}
        for arc, us in use.items():
            keys = {k for k, _ in us}
            if len(keys) < 2:
                continue
            lefts = [k for k, l in us if l]
            rights = [k for k, l in us if not l]
            if not lefts or not rights:
                continue
            out[arc] = (lefts[0], rights[0])
        return out


def ne_key(g):
    return g.get("id") or ("-" + g["properties"]["name"])


def world_band(atlas_dir, res, zmin, zmax, scale, with_countries, outdir):
    path = os.path.join(atlas_dir, "countries-%s.json" % res)
    band = TopoBand(path, zmax)
    log(res, "arc vertices", band.raw_vertices, "->", band.kept_vertices)
    names = {ne_key(g): g["properties"]["name"] for g in band.T.geometries("countries")}
    src = ["naturalearth"]
    layers = []

    land = cbm.Layer("world_%s_land" % res, "polygon", zmin, zmax, scale, list(WORLD_BOX),
                     "World land, Natural Earth 1:%s (no borders; also the "
                     "neutral style's land)" % res.replace("m", "m"), src, LIC_NE)
    for g in band.T.geometries("land"):
        parts = band.polygons(g, WORLD_BOX, 1.0)
        # one feature per outer ring keeps features small for culling
        cur = []
        for p in parts:
            if cbm.signed_area(p) > 0 and cur:
                land.add({}, cur)
                cur = []
            cur.append(p)
        if cur:
            land.add({}, cur)
    layers.append(land)

    borders = cbm.Layer("world_%s_borders" % res, "line", zmin, zmax, scale, list(WORLD_BOX),
                        "Land borders between countries, Natural Earth 1:%s" % res, src, LIC_NE,
                        {"l": "country on the left of the line direction (key into 'countries')",
                         "r": "country on the right"})
    used = set()
    for arc, (l, r) in sorted(band.border_arcs(ne_key).items()):
        for part in shifted_clips(band.arcs[arc], WORLD_BOX, line=True):
            borders.add({"l": l, "r": r}, [part])
            used.update((l, r))
    borders.extra["countries"] = {k: names[k] for k in sorted(used)}
    layers.append(borders)

    if with_countries:
        cl = cbm.Layer("world_%s_countries" % res, "polygon", zmin, zmax, scale, list(WORLD_BOX),
                       "Countries, Natural Earth 1:%s (for hit-testing and labels; "
                       "draw world_%s_land for the fill)" % (res, res), src, LIC_NE,
                       {"id": "ISO 3166-1 numeric code, or '-' and the name if it has none",
                        "name": "Natural Earth name (English)"})
        for g in band.T.geometries("countries"):
            parts = band.polygons(g, WORLD_BOX, 0.0)
            if parts:
                cl.add({"id": ne_key(g), "name": g["properties"]["name"]}, parts)
        layers.append(cl)
    return [L.write(os.path.join(outdir, "layers")) for L in layers]


def main():
    atlas_dir, names_path, outdir = sys.argv[1:4]
    os.makedirs(os.path.join(outdir, "layers"), exist_ok=True)
    summary = []
    summary += world_band(atlas_dir, "110m", 0, 2, 100, True, outdir)
    summary += world_band(atlas_dir, "50m", 3, 4, 1000, False, outdir)
    with open(os.path.join(outdir, "world_summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    for s in summary:
        log("%-22s %5d features %7d vertices %8d bytes" % (s["id"], s["features"], s["vertices"], s["bytes"]))


if __name__ == "__main__":
    main()
