#!/usr/bin/env python3
"""Check the generated basemap layers.  Exits non-zero on any failure and
ends with a line 'N passed, M failed'.

usage: check.py LAYERDIR

Python 3 standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbm  # noqa: E402

MAX_TOTAL_BYTES = 3 * 1024 * 1024

results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok)))
    print("%s %s%s" % ("ok  " if ok else "FAIL", name, (" -- " + detail) if detail else ""))


def decode(part, scale):
    x, y = part[0], part[1]
    pts = [(x / scale, y / scale)]
    for i in range(2, len(part), 2):
        x += part[i]
        y += part[i + 1]
        pts.append((x / scale, y / scale))
    return pts


class L:
    def __init__(self, ldir, lid):
        self.doc = cbm.load_json(os.path.join(ldir, lid + ".json"))
        self.id = lid
        sc = self.doc["scale"]
        self.feats = []
        for f in self.doc["features"]:
            if self.doc["kind"] == "point":
                self.feats.append((f["p"], (f["g"][0] / sc, f["g"][1] / sc)))
            else:
                self.feats.append((f["p"], [decode(g, sc) for g in f["g"]]))

    def covers(self, pt):
        """Features whose rings contain pt with the winding rule."""
        hits = []
        for p, parts in self.feats:
            w = 0
            for ring in parts:
                bb = cbm.ring_bbox(ring)
                if bb[0] <= pt[0] <= bb[2] and bb[1] <= pt[1] <= bb[3] and cbm.point_in_ring(pt, ring):
                    w += 1 if cbm.signed_area(ring) > 0 else -1
            if w:
                hits.append(p)
        return hits


def side_country(borders, pt, direction):
    """Country on pt's side of the first border crossed by a horizontal ray
    from pt (direction +1 east, -1 west)."""
    best = None
    x0, y0 = pt
    for p, parts in borders.feats:
        for line in parts:
            for a, b in zip(line, line[1:]):
                if (a[1] > y0) == (b[1] > y0):
                    continue
                x = a[0] + (y0 - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
                d = (x - x0) * direction
                if d <= 0 or (best and d >= best[0]):
                    continue
                # is pt on the left of a->b?
                cross = (b[0] - a[0]) * (y0 - a[1]) - (b[1] - a[1]) * (x0 - a[0])
                best = (d, p["l"] if cross > 0 else p["r"])
    return best[1] if best else None


def country_at(borders, pt):
    e = side_country(borders, pt, 1)
    w = side_country(borders, pt, -1)
    return e or w, (e, w)


def main():
    ldir = sys.argv[1]
    index = cbm.load_json(os.path.join(ldir, "index.json"))
    total = 0
    layers = {}
    for info in index["layers"]:
        lid = info["id"]
        layers[lid] = L(ldir, lid)
        d = layers[lid].doc
        total += info["bytes"]
        nv = 0
        bad = 0
        for p, parts in layers[lid].feats:
            if d["kind"] == "point":
                nv += 1
                x, y = parts
                c = d["clip"]
                if not (c[0] <= x <= c[2] and c[1] <= y <= c[3]):
                    bad += 1
                continue
            for part in parts:
                nv += len(part)
                if d["kind"] == "polygon":
                    if len(set(part)) < 3 or cbm.signed_area(part) == 0:
                        bad += 1
                else:
                    if len(part) < 2:
                        bad += 1
                c = d["clip"]
                for x, y in part:
                    if not (c[0] - 1e-9 <= x <= c[2] + 1e-9 and c[1] - 1e-9 <= y <= c[3] + 1e-9):
                        bad += 1
                        break
        check("%s: vertex count matches header (%d)" % (lid, nv), nv == d["vertex_count"])
        check("%s: parts well-formed and inside the clip box" % lid, bad == 0, "%d bad" % bad)
    total += os.path.getsize(os.path.join(ldir, "index.json"))
    check("total size under 3 MiB", total < MAX_TOTAL_BYTES, "%d bytes" % total)

    # ---- polygon orientation: each feature's first ring is an outer ring (CCW)
    for lid, lay in layers.items():
        if lay.doc["kind"] != "polygon":
            continue
        wrong = sum(1 for p, parts in lay.feats if cbm.signed_area(parts[0]) <= 0)
        check("%s: first ring of every feature is counter-clockwise" % lid, wrong == 0, "%d wrong" % wrong)

    # ---- antimeridian: no long segments off the clip edges in world layers
    for lid in ("world_110m_land", "world_110m_borders", "world_110m_countries",
                "world_50m_land", "world_50m_borders"):
        lay = layers[lid]
        c = lay.doc["clip"]
        worst = 0.0
        for p, parts in lay.feats:
            for part in parts:
                seq = part + [part[0]] if lay.doc["kind"] == "polygon" else part
                for a, b in zip(seq, seq[1:]):
                    if a[1] == b[1] and a[1] in (c[1], c[3]):
                        continue        # along the Mercator limit (pole closure)
                    if a[0] == b[0] and a[0] in (c[0], c[2]):
                        continue        # along the antimeridian cut
                    worst = max(worst, abs(a[0] - b[0]))
        check("%s: no antimeridian bands (longest segment %.1f deg of longitude)" % (lid, worst),
              worst < 30)

    # ---- water
    sc_land, sc_lakes = layers["sc_land"], layers["sc_lakes"]
    for pt in [(50.5, 40.0), (51.0, 42.0), (49.5, 38.8), (50.0, 42.8)]:
        check("Caspian %s is water in sc_land (not land, not a lake)" % (pt,),
              not sc_land.covers(pt) and not sc_lakes.covers(pt))
    for lid in ("ctx_land", "world_50m_land", "world_110m_land"):
        check("Caspian (50.5, 41.0) is water in %s" % lid, not layers[lid].covers((50.5, 41.0)))
    check("no Caspian-size lake in ctx_lakes",
          all(p["area_km2"] < 300000 for p, _ in layers["ctx_lakes"].feats))
    for lid, pt, name in (("sc_lakes", (45.3, 40.35), "Lake Sevan"),
                          ("ctx_lakes", (45.3, 40.35), "Lake Sevan"),
                          ("sc_lakes", (45.4, 37.7), "Lake Urmia"),
                          ("sc_lakes", (43.0, 38.65), "Lake Van"),
                          ("sc_lakes", (46.75, 40.9), "Mingachevir Reservoir")):
        hits = layers[lid].covers(pt)
        check("%s: %s at %s is a lake" % (lid, name, pt),
              any(h.get("name") == name for h in hits))
        check("%s: land under %s" % (lid, name), sc_land.covers(pt))
    isl = layers["sc_islands"].feats
    if isl:
        # a point inside an island is not lake water
        p, parts = isl[0]
        ring = parts[0]
        cx = sum(x for x, _ in ring) / len(ring)
        cy = sum(y for _, y in ring) / len(ring)
        inside = cbm.point_in_ring((cx, cy), ring)
        check("lake island is cut out of its lake", not inside or not sc_lakes.covers((cx, cy)))
    for pt, what in (((44.82, 39.65), "Sadarak area"), ((44.88, 39.71), "Sadarak village"),
                     ((45.41, 39.21), "Nakhchivan city"), ((46.75, 39.82), "Stepanakert")):
        check("%s %s is land (no DCW gap)" % (what, pt), sc_land.covers(pt))

    # ---- borders: enclaves and countries on the right side
    b = layers["sc_borders"]
    expect = [((45.41, 39.21), "AZE", "Nakhchivan city"),
              ((44.88455, 39.71427), "AZE", "Sadarak (NW Nakhchivan)"),
              ((45.52, 40.63), "ARM", "Artsvashen exclave"),
              ((45.00, 41.065), "AZE", "Barkhudarly exclave"),
              ((45.21, 40.995), "AZE", "Yukhari Askipara exclave"),
              ((44.51, 40.18), "ARM", "Yerevan"),
              ((46.34, 39.51), "ARM", "Goris"),
              ((46.75, 39.82), "AZE", "Stepanakert (de jure, as in OSM)"),
              ((44.83, 41.69), "GEO", "Tbilisi"),
              ((49.87, 40.41), "AZE", "Baku"),
              ((46.29, 38.08), "IRN", "Tabriz"),
              ((43.1, 40.6), "TUR", "Kars area"),
              ((46.0, 42.8), "RUS", "Dagestan")]
    for pt, want, what in expect:
        got, both = country_at(b, pt)
        check("border sides: %s %s is %s" % (what, pt, want), got == want, "got %s (east/west %s)" % (got, both))
    # border vertices lie on land
    main_land = sc_land.feats
    off = 0
    n = 0
    for p, parts in b.feats:
        for line in parts:
            for v in line[1:-1:5]:
                n += 1
                if not sc_land.covers(v):
                    off += 1
    check("sc_borders vertices lie on land", off == 0, "%d of %d sampled off land" % (off, n))
    off = 0
    n = 0
    for p, parts in layers["ctx_borders"].feats:
        for line in parts:
            for v in line[1:-1:3]:
                n += 1
                if not layers["ctx_land"].covers(v):
                    off += 1
    check("ctx_borders vertices lie on land (<1%)", off <= n / 100, "%d of %d sampled off land" % (off, n))

    # ---- places
    pl = layers["sc_places"]
    keys = {p.get("key"): (p, pt) for p, pt in pl.feats if p.get("key")}
    for k in ("stepanakert", "lachin", "shusha", "aghdam", "hadrut", "goris", "martakert",
              "martuni", "askeran", "kalbajar", "yerevan", "baku", "ganja", "tbilisi",
              "nakhchivan", "sevan"):
        ok = k in keys and "en" in keys[k][0]["names"] and "fr" in keys[k][0]["names"]
        check("sc_places: key place %s with en and fr names" % k, ok)
    if "stepanakert" in keys:
        p = keys["stepanakert"][0]
        check("Stepanakert findable as Khankendi and Xankəndi",
              "Khankendi" in [p["name"]] + p.get("alt", []) and "Xankəndi" in p.get("alt", []))
    if "lachin" in keys:
        p, pt = keys["lachin"]
        check("Lachin findable as Berdzor, position in the town (lat > 39.62)",
              "Berdzor" in p.get("alt", []) and pt[1] > 39.62)
    for p, pt in pl.feats:
        if p.get("fc") != "SEA" and p.get("key"):
            check("key place %s lies on land" % p["key"], sc_land.covers(pt))

    failed = sum(1 for _, ok in results if not ok)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
