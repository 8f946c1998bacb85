#!/usr/bin/env python3
"""Render a quick Web Mercator preview PNG of basemap layers (for checking
the data by eye; not used by the app).  Needs python3-cairo (Debian).

usage: preview.py LAYERDIR OUT.png ZOOM W,S,E,N LAYER[:STYLE] ...
   e.g. preview.py data/basemap/layers /tmp/sc.png 8 42.5,37,51.5,43 \
            sc_land sc_lakes sc_rivers sc_borders sc_places

The image covers the box at the given zoom (256-pixel tiles); it is scaled
down if wider than 4096 pixels.  Segments lying on a layer's clip box are
not stroked, as the README asks of renderers.
"""

import json
import math
import sys

import cairo

WATER = (0.66, 0.80, 0.90)
LAND = (0.96, 0.95, 0.91)
STYLES = {
    "land": dict(fill=LAND, stroke=(0.35, 0.55, 0.70), width=0.8),
    "lakes": dict(fill=WATER, stroke=(0.35, 0.55, 0.70), width=0.6),
    "islands": dict(fill=None, stroke=(0.8, 0.2, 0.2), width=0.6),
    "countries": dict(fill=None, stroke=(0.5, 0.5, 0.5), width=0.4),
    "rivers": dict(fill=None, stroke=(0.30, 0.55, 0.85), width=0.9),
    "borders": dict(fill=None, stroke=(0.55, 0.25, 0.55), width=1.3),
    "places": dict(fill=(0.15, 0.15, 0.15), stroke=None, width=0),
}


def style_for(lid):
    for k, v in STYLES.items():
        if lid.endswith(k):
            return v
    return dict(fill=None, stroke=(0, 0, 0), width=1)


def merc(lon, lat, z):
    n = 256 * (1 << z)
    lat = max(-85.0511, min(85.0511, lat))
    s = math.sin(math.radians(lat))
    return (lon + 180) / 360 * n, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n


def decode(part, scale):
    x, y = part[0], part[1]
    pts = [(x / scale, y / scale)]
    for i in range(2, len(part), 2):
        x += part[i]
        y += part[i + 1]
        pts.append((x / scale, y / scale))
    return pts


def main():
    layerdir, out, zoom, box = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    w, s, e, n = map(float, box.split(","))
    x0, y0 = merc(w, n, zoom)
    x1, y1 = merc(e, s, zoom)
    k = 1.0
    if x1 - x0 > 4096:
        k = 4096 / (x1 - x0)
    W, H = int((x1 - x0) * k) + 1, int((y1 - y0) * k) + 1
    surf = cairo.ImageSurface(cairo.FORMAT_RGB24, W, H)
    cr = cairo.Context(surf)
    cr.set_source_rgb(*WATER)
    cr.paint()

    def P(lon, lat):
        X, Y = merc(lon, lat, zoom)
        return (X - x0) * k, (Y - y0) * k

    for spec in sys.argv[5:]:
        lid = spec.split(":")[0]
        st = style_for(spec.split(":")[-1])
        doc = json.load(open("%s/%s.json" % (layerdir, lid), encoding="utf-8"))
        sc = doc["scale"]
        clip = doc.get("clip")
        if doc["kind"] == "point":
            cr.select_font_face("DejaVu Sans")
            cr.set_font_size(9)
            for f in doc["features"]:
                p = f["p"]
                pop = p.get("pop") or 0
                if not (p.get("key") or pop >= 15000):
                    continue
                X, Y = P(f["g"][0] / sc, f["g"][1] / sc)
                cr.set_source_rgb(*(0.8, 0.1, 0.1) if p.get("key") else st["fill"])
                cr.arc(X, Y, 2.2 if p.get("key") else 1.5, 0, 2 * math.pi)
                cr.fill()
                if p.get("key"):
                    cr.move_to(X + 3, Y - 2)
                    cr.show_text((p.get("names") or {}).get("en", p.get("name", "")))
            continue
        for f in doc["features"]:
            parts = [decode(g, sc) for g in f["g"]]
            if doc["kind"] == "polygon" and st["fill"]:
                cr.new_path()
                for pts in parts:
                    for i, (lon, lat) in enumerate(pts):
                        (cr.line_to if i else cr.move_to)(*P(lon, lat))
                    cr.close_path()
                cr.set_fill_rule(cairo.FILL_RULE_WINDING)
                cr.set_source_rgb(*st["fill"])
                cr.fill()
            if st["stroke"]:
                cr.new_path()
                for pts in parts:
                    seq = pts + [pts[0]] if doc["kind"] == "polygon" else pts
                    for i in range(len(seq) - 1):
                        a, b = seq[i], seq[i + 1]
                        if clip and ((a[0] == b[0] and a[0] in (clip[0], clip[2])) or
                                     (a[1] == b[1] and a[1] in (clip[1], clip[3]))):
                            continue
                        cr.move_to(*P(*a))
                        cr.line_to(*P(*b))
                cr.set_source_rgb(*st["stroke"])
                cr.set_line_width(st["width"])
                if f["p"].get("level") in (5, 6, 7):
                    cr.set_dash([3, 2])
                else:
                    cr.set_dash([])
                cr.stroke()
    surf.write_to_png(out)
    print(out, W, H)


if __name__ == "__main__":
    main()
