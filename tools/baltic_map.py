"""Vendor the basemap of /map: Natural Earth 1:50m countries from the npm package world-atlas,
clipped to the Baltic window and projected (src/pactarchive/web/mapping.py), written to
src/pactarchive/web/static/map/baltic-50m.json. Run once when the window or source changes:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python tools/baltic_map.py package/countries-50m.json

Nothing is fetched at run time: the edition serves the committed file.
"""

from __future__ import annotations

import json
import sys

from pactarchive.web.mapping import BASEMAP, WIDTH, WINDOWS, country_paths, height

SOURCE = ("Natural Earth 1:50m Cultural Vectors, Admin 0 – Countries, version 4.1.0 "
          "(naturalearthdata.com), as TopoJSON in the npm package world-atlas 2.0.2 (countries-50m.json)")
LICENCE = "Natural Earth: public domain; world-atlas packaging: ISC licence, © Michael Bostock"
BORDERS = ("Present-day international boundaries as Natural Earth draws them (version 4.1.0, 2018), "
           "not those of 1939")


def main(path: str) -> None:
    topology = json.load(open(path, encoding="utf-8"))
    data = {"source": SOURCE, "licence": LICENCE, "borders": BORDERS,
            "maps": {name: {"window": w, "width": WIDTH, "height": height(w), "countries": country_paths(topology, w, margin=0.3 if name != "region" else 1.0)}
                     for name, w in WINDOWS.items()}}
    BASEMAP.parent.mkdir(parents=True, exist_ok=True)
    BASEMAP.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{BASEMAP}: {sum(len(m['countries']) for m in data['maps'].values())} country outlines, {BASEMAP.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
