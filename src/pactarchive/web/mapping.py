"""The map of the Baltic region, drawn on the server: one projection for the basemap (made once
at build time from Natural Earth, ``tools/baltic_map.py``) and for the places' markers.

The basemap is ``static/map/baltic-50m.json``: Natural Earth 1:50m Admin 0 countries (public
domain) as packaged by the npm package ``world-atlas`` 2.0.2 (TopoJSON), clipped to the window
below and projected to SVG path data. Its boundaries are today's, not those of 1939.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

# lon_min, lat_min, lon_max, lat_max. The region: Berlin to Moscow, Königsberg to Helsinki;
# Estonia: the islands to Narva, where most places of the texts lie close together.
WINDOWS = {"region": (12.5, 52.0, 39.5, 61.5), "estonia": (21.3, 57.3, 28.7, 60.0)}
WINDOW = WINDOWS["region"]
WIDTH = 1000.0
BASEMAP = Path(__file__).parent / "static" / "map" / "baltic-50m.json"


def _scale(window=WINDOW) -> tuple[float, float]:
    lon_min, lat_min, lon_max, lat_max = window
    k = math.cos(math.radians((lat_min + lat_max) / 2))  # equirectangular, true at the middle
    px = WIDTH / ((lon_max - lon_min) * k)
    return k, px


def height(window=WINDOW) -> float:
    """The map's height in SVG units (its width is ``WIDTH``)."""
    k, px = _scale(window)
    return round((window[3] - window[1]) * px, 1)


def project(lat: float, lon: float, window=WINDOW) -> tuple[float, float]:
    """SVG ``(x, y)`` of a WGS84 point: an equirectangular projection with standard parallel
    at the window's middle latitude (distortion is small over 10° of latitude).

    >>> project(61.5, 12.5)
    (0.0, 0.0)
    """
    k, px = _scale(window)
    return round((lon - window[0]) * k * px, 1), round((window[3] - lat) * px, 1)


def inside(lat: float, lon: float, window=WINDOW) -> bool:
    """The point lies in ``window`` (lon_min, lat_min, lon_max, lat_max)."""
    return window[0] <= lon <= window[2] and window[1] <= lat <= window[3]


@lru_cache(maxsize=1)
def basemap() -> dict:
    """``{"source", "licence", "borders", "maps": {name: {"window", "width", "height",
    "countries": [{"name", "d"}]}}}`` from the vendored file (one map per ``WINDOWS`` entry)."""
    return json.loads(BASEMAP.read_text(encoding="utf-8"))


# -- build time: TopoJSON -> clipped, projected paths ---------------------------------------

def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology as absolute ``(lon, lat)`` lists (TopoJSON
    specification 2.1.4: delta-encoded positions, then the transform)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs, indexes) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts += arc[1:] if pts else arc
    return pts


def clip(ring, box) -> list[tuple[float, float]]:
    """Sutherland–Hodgman clipping of a polygon ring to a rectangle ``(x0, y0, x1, y1)``."""
    x0, y0, x1, y1 = box
    edges = [(lambda p: p[0] >= x0, lambda a, b: _at_x(a, b, x0)), (lambda p: p[0] <= x1, lambda a, b: _at_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _at_y(a, b, y0)), (lambda p: p[1] <= y1, lambda a, b: _at_y(a, b, y1))]
    for keep, cut in edges:
        if not ring:
            break
        src, ring = ring, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if keep(cur):
                if not keep(prev):
                    ring.append(cut(prev, cur))
                ring.append(cur)
            elif keep(prev):
                ring.append(cut(prev, cur))
    return ring


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def country_paths(topology: dict, window=WINDOW, margin: float = 1.0) -> list[dict]:
    """``[{"name", "d"}]``: every country of ``topology["objects"]["countries"]`` that reaches
    into ``window``, its rings clipped to it (plus ``margin`` degrees) and projected."""
    arcs = decode_arcs(topology)
    box = (window[0] - margin, window[1] - margin, window[2] + margin, window[3] + margin)
    out = []
    for geom in topology["objects"]["countries"]["geometries"]:
        polygons = geom["arcs"] if geom.get("type") == "MultiPolygon" else [geom.get("arcs", [])] if geom.get("type") == "Polygon" else []
        d = []
        for polygon in polygons:
            for ring in polygon:
                clipped = clip(_ring(arcs, ring), box)
                if len(clipped) >= 3:
                    pts = [project(lat, lon, window) for lon, lat in clipped]
                    d.append("M" + "L".join(f"{x:g},{y:g}" for x, y in _dedupe(pts)) + "Z")
        if d:
            out.append({"name": geom.get("properties", {}).get("name", ""), "d": "".join(d)})
    return sorted(out, key=lambda c: c["name"])


def _dedupe(pts):
    last = None
    for p in pts:
        if p != last:
            yield p
        last = p
