"""pactarchive: a scholarly digital edition of documents on the Estonian–Soviet Mutual
Assistance Pact of 1939, and an archive that takes any TEI P5 document.

Layers (dependencies point downwards only):

    cli.py           command line: build, serve, search, check
    web/             Flask app: HTML pages and their JSON twins (thin)
    render/          TEI -> HTML by a declarative rules table
    search/          the only package that imports whoosh
    cite.py          citations of passages (CSL, BibTeX, RIS)
    corpus.py        discovers tei/, loads and caches Documents, resolves refs
    crosslinks.py    what ties files together: pointers, alignment, notes, entity mentions
    tei/             pure lxml: safe parsing, header, citation structure, text, entities
    refs.py          the passage-ref grammar  DOC:PATH  and  DOC:START-END
    errors.py        domain errors with user-facing messages
    config.py        settings (defaults, environment)
"""

__version__ = "0.1.0"
