"""Decode the TopoJSON files of the world-atlas npm package (Natural Earth)
and assemble rings with longitudes made continuous (no +-360 jumps), so
that antimeridian crossings can be cut cleanly afterwards.

Python 3 standard library only.
"""

import json


class Topology:
    def __init__(self, path):
        with open(path, encoding="utf-8") as fh:
            self.doc = json.load(fh)
        t = self.doc.get("transform")
        self.arcs = []
        for arc in self.doc["arcs"]:
            pts = []
            if t:
                sx, sy = t["scale"]
                tx, ty = t["translate"]
                x = y = 0
                for dx, dy in arc:
                    x += dx
                    y += dy
                    pts.append((x * sx + tx, y * sy + ty))
            else:
                pts = [tuple(p[:2]) for p in arc]
            self.arcs.append(pts)
        self.objects = self.doc["objects"]

    def arc(self, i, arcs=None):
        """Arc i (or ~i reversed) from `arcs` (default: decoded arcs)."""
        src = self.arcs if arcs is None else arcs
        if i >= 0:
            return src[i]
        return src[~i][::-1]

    def geometries(self, name):
        return self.objects[name]["geometries"]

    @staticmethod
    def polygons(geom):
        """List of polygons, each a list of rings, each a list of arc ids."""
        if geom["type"] == "Polygon":
            return [geom["arcs"]]
        if geom["type"] == "MultiPolygon":
            return list(geom["arcs"])
        return []


def unwrap(pts):
    """Make longitudes continuous: add multiples of 360 where consecutive
    vertices jump by more than 180 degrees."""
    if not pts:
        return []
    out = [pts[0]]
    off = 0.0
    for i in range(1, len(pts)):
        d = pts[i][0] - pts[i - 1][0]
        if d > 180:
            off -= 360.0
        elif d < -180:
            off += 360.0
        out.append((pts[i][0] + off, pts[i][1]))
    return out


def shift(pts, dx):
    return [(x + dx, y) for x, y in pts]


def assemble_ring(arc_ids, arcs):
    """Concatenate (already unwrapped) arcs into one continuous ring.
    Returns (ring without closing vertex, net longitude change in turns)."""
    ring = []
    for a in arc_ids:
        pts = arcs[a] if a >= 0 else arcs[~a][::-1]
        if ring:
            # move the arc by a multiple of 360 so it starts where ring ends
            k = round((ring[-1][0] - pts[0][0]) / 360.0)
            if k:
                pts = shift(pts, 360.0 * k)
            ring.extend(pts[1:])
        else:
            ring.extend(pts)
    turns = round((ring[-1][0] - ring[0][0]) / 360.0)
    return ring[:-1] if len(ring) > 1 else ring, turns
