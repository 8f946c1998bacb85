#!/usr/bin/env python3
"""Write layers/index.json (bands, draw order, styles, attribution, and the
size of every layer) and refresh the layer table in README.md.

usage: make_index.py BASEMAP_DIR [BUILD_INFO.json]

Python 3 standard library only.
"""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cbm  # noqa: E402

BANDS = [
    {"id": "world-110m", "zoom": [0, 2], "box": [-180, -85.0511, 180, 85.0511],
     "layers": {"land": "world_110m_land", "borders": "world_110m_borders",
                "countries": "world_110m_countries"}},
    {"id": "world-50m", "zoom": [3, 4], "box": [-180, -85.0511, 180, 85.0511],
     "layers": {"land": "world_50m_land", "borders": "world_50m_borders"}},
    {"id": "context", "zoom": [5, 7], "box": [30, 30, 65, 50], "outside": "world-50m",
     "layers": {"land": "ctx_land", "lakes": "ctx_lakes", "rivers": "ctx_rivers",
                "borders": "ctx_borders", "places": "ctx_places"}},
    {"id": "south-caucasus", "zoom": [8, 12], "box": [42.5, 37, 51.5, 43], "outside": "context",
     "layers": {"land": "sc_land", "lakes": "sc_lakes", "islands": "sc_islands",
                "rivers": "sc_rivers", "borders": "sc_borders", "places": "sc_places"}},
]

DRAW_ORDER = ["land", "lakes", "islands", "rivers", "borders", "places"]
STYLES = {
    "light": DRAW_ORDER,
    "dark": DRAW_ORDER,
    "neutral": ["land", "lakes", "islands", "rivers"],
}


def read_attribution(path):
    """ATTRIBUTION: lines 'id<TAB>short<TAB>full' outside comment lines."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                out[parts[0]] = {"short": parts[1], "full": parts[2]}
    return out


def main():
    base = sys.argv[1]
    ldir = os.path.join(base, "layers")
    attribution = read_attribution(os.path.join(base, "ATTRIBUTION"))
    layers = []
    total = 0
    for band in BANDS:
        srcs = []
        for role, lid in band["layers"].items():
            path = os.path.join(ldir, lid + ".json")
            doc = cbm.load_json(path)
            with open(path, "rb") as fh:
                data = fh.read()
            info = {
                "id": lid, "file": lid + ".json", "band": band["id"], "role": role,
                "kind": doc["kind"], "zoom": doc["zoom"], "features": doc["feature_count"],
                "vertices": doc["vertex_count"], "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "sources": doc["sources"], "license": doc["license"],
            }
            total += len(data)
            layers.append(info)
            for s in doc["sources"]:
                if s not in srcs:
                    srcs.append(s)
        band["sources"] = srcs
    missing = sorted({s for b in BANDS for s in b["sources"]} - set(attribution))
    if missing:
        sys.exit("make_index: no ATTRIBUTION line for source(s): %s" % ", ".join(missing))
    index = {
        "format": "chronotope-basemap-index",
        "version": 1,
        "tile_size": 256,
        "bands": BANDS,
        "draw_order": DRAW_ORDER,
        "styles": STYLES,
        "attribution": attribution,
        "layers": layers,
        "total_bytes": total,
    }
    if len(sys.argv) > 2:
        index["build"] = cbm.load_json(sys.argv[2])
    with open(os.path.join(ldir, "index.json"), "w", encoding="utf-8") as fh:
        json.dump(index, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    total += os.path.getsize(os.path.join(ldir, "index.json"))

    # ---- the layer table in README.md
    rows = ["| file | band | zoom | kind | features | vertices | bytes | license |",
            "|---|---|---|---|---:|---:|---:|---|"]
    for L in layers:
        rows.append("| `layers/%s` | %s | %d-%d | %s | %d | %d | %d | %s |" % (
            L["file"], L["band"], L["zoom"][0], L["zoom"][1], L["kind"], L["features"],
            L["vertices"], L["bytes"], L["license"]))
    rows.append("| `layers/index.json` | | | | | | %d | |" %
                os.path.getsize(os.path.join(ldir, "index.json")))
    rows.append("| **total** | | | | %d | %d | **%d** (%.2f MiB) | |" % (
        sum(L["features"] for L in layers), sum(L["vertices"] for L in layers), total,
        total / 1048576.0))
    table = "\n".join(rows)
    readme = os.path.join(base, "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as fh:
            text = fh.read()
        a, b = "<!-- layer-table:begin -->", "<!-- layer-table:end -->"
        if a in text and b in text:
            i, j = text.index(a) + len(a), text.index(b)
            text = text[:i] + "\n" + table + "\n" + text[j:]
            with open(readme, "w", encoding="utf-8") as fh:
                fh.write(text)
    print(table)


if __name__ == "__main__":
    main()
