-- The edition store: everything the pages and APIs show, computed once at build time.
-- One file, store.sqlite, inside each index generation (beside the Whoosh index); opened
-- read-only by the server (mode=ro&immutable=1). Every lookup a request makes is one of the
-- indexed SELECTs in queries.py. Bump STORE_VERSION in compile.py when this file changes.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every TEI file read (documents, registers, alignments), with what it XIncludes.
CREATE TABLE files (
    path     TEXT PRIMARY KEY,          -- relative to the TEI directory, '/'-separated
    sha256   TEXT NOT NULL,
    includes TEXT NOT NULL DEFAULT '[]' -- JSON list of the relative paths it XIncludes
);

-- What other files' outputs depend on in each file (interface.file_interface), and which files
-- name which (interface.file_links): what an incremental build (pactarchive.incremental) reads.
CREATE TABLE interfaces (
    path TEXT PRIMARY KEY REFERENCES files(path),
    hash TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE links (
    source TEXT NOT NULL,                      -- a file (relative path) ...
    target TEXT NOT NULL,                      -- ... and a file it names or is aligned with
    PRIMARY KEY (source, target)
) WITHOUT ROWID;
CREATE INDEX links_by_target ON links (target);

CREATE TABLE documents (
    id              TEXT PRIMARY KEY,
    position        INTEGER NOT NULL UNIQUE,  -- archive order (originals before translations)
    title           TEXT NOT NULL,
    lang            TEXT NOT NULL,
    path            TEXT NOT NULL REFERENCES files(path),
    line            INTEGER,
    whole_file      INTEGER NOT NULL,          -- 0: one TEI of a teiCorpus
    sha256          TEXT NOT NULL,
    citation_method TEXT NOT NULL,             -- citeStructure | cRefPattern | nesting
    metadata        TEXT NOT NULL,             -- JSON: header metadata (tei.header.metadata)
    header          TEXT NOT NULL,             -- XML: <TEI> with its teiHeader only (what citations read)
    leaves          INTEGER NOT NULL           -- number of finest-level passages
);

-- What the rendered fragments of a document's passages were made from (compile.fragment_key):
-- the next build reuses them while the key is the same (an incremental build).
CREATE TABLE fragment_keys (
    doc TEXT PRIMARY KEY REFERENCES documents(id),
    key TEXT NOT NULL                          -- SHA-256 hex
);

-- The citation tree of every document, every level, in reading order.
CREATE TABLE passages (
    ref             TEXT PRIMARY KEY,          -- DOC:PATH
    doc             TEXT NOT NULL REFERENCES documents(id),
    path            TEXT NOT NULL,
    xml_id          TEXT,
    parent          TEXT,                      -- ref of the parent passage, NULL at the top
    seq             INTEGER NOT NULL UNIQUE,   -- reading order across the archive
    position        INTEGER NOT NULL,          -- reading order within the document (parents first)
    last            INTEGER NOT NULL,          -- position of its last descendant (itself for a leaf)
    sibling         INTEGER NOT NULL,          -- position among its parent's children
    depth           INTEGER NOT NULL,          -- 0 at the top level
    unit            TEXT NOT NULL,             -- section, paragraph, sentence, ...
    is_leaf         INTEGER NOT NULL,
    heading         TEXT,                      -- plain text of the passage's own <head>
    text            TEXT NOT NULL,             -- the edited reading (tei.text.plain_text)
    text_diplomatic TEXT NOT NULL,             -- the received reading
    html            TEXT                       -- rendered fragment of a finest-level passage
);
CREATE INDEX passages_by_doc ON passages (doc, position);
CREATE INDEX passages_by_level ON passages (doc, depth, position);
CREATE INDEX passages_by_leaf ON passages (doc, is_leaf, position);
CREATE INDEX passages_by_parent ON passages (parent, sibling);
CREATE INDEX passages_by_xml_id ON passages (doc, xml_id) WHERE xml_id IS NOT NULL;
CREATE INDEX passages_by_own_id ON passages (xml_id, seq) WHERE xml_id IS NOT NULL;  -- ids named in notes

-- Alignment of passages across documents, stored in both directions.
CREATE TABLE alignment (
    ref       TEXT NOT NULL,
    other     TEXT NOT NULL,
    other_seq INTEGER NOT NULL,                -- the other passage's seq: reading order
    PRIMARY KEY (ref, other)
) WITHOUT ROWID;
CREATE INDEX alignment_by_order ON alignment (ref, other_seq);

-- Pairs of documents with aligned passages, each pair once, in archive order.
CREATE TABLE doc_pairs (
    left  TEXT NOT NULL,
    right TEXT NOT NULL,
    links INTEGER NOT NULL,                    -- aligned passage pairs between them (any level)
    PRIMARY KEY (left, right)
) WITHOUT ROWID;
CREATE INDEX doc_pairs_by_right ON doc_pairs (right, left);  -- the pairs of one document (pairs_of): left or right

CREATE TABLE entities (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,          -- declaration order
    kind     TEXT NOT NULL,
    type     TEXT,
    label    TEXT NOT NULL,                    -- the English (else any) name
    names    TEXT NOT NULL,                    -- JSON: language -> [names]
    data     TEXT NOT NULL,                    -- JSON: note, dates, idnos, file, line
    lat      REAL,                             -- location/geo, WGS84 decimal degrees (Entity.geo)
    lon      REAL,
    mentions INTEGER NOT NULL,                 -- every mention, whatever its role
    named    INTEGER NOT NULL,                 -- by role (registers.role): the name in the text,
    quoted   INTEGER NOT NULL,                 --   @who on a quotation,
    speaker  INTEGER NOT NULL,                 --   @who on an utterance or speech
    documents TEXT NOT NULL                    -- JSON: ids of the documents mentioning it, archive order
);

CREATE TABLE mentions (
    entity TEXT NOT NULL,
    ref    TEXT NOT NULL,                      -- the finest passage containing the mention
    doc    TEXT NOT NULL,
    seq    INTEGER NOT NULL,                   -- reading order of the mention
    text   TEXT NOT NULL,                      -- the words of the mention
    kwic   TEXT NOT NULL,                      -- the passage text around it
    visible INTEGER NOT NULL,                  -- 0 inside markup the edited reading leaves out
    role   TEXT NOT NULL                       -- mention | quoted | speaker (registers.role)
);
CREATE INDEX mentions_by_entity ON mentions (entity, seq);
CREATE INDEX mentions_by_ref ON mentions (ref);

CREATE TABLE notes (
    nid      INTEGER PRIMARY KEY,              -- reading order of the notes
    n        INTEGER NOT NULL,                 -- the note's number in the edition (registers.note_numbers)
    id       TEXT,
    type     TEXT NOT NULL,
    subtype  TEXT NOT NULL,
    label    TEXT NOT NULL,
    text     TEXT NOT NULL,
    file     TEXT NOT NULL,                    -- relative path of the file declaring it
    line     INTEGER
);
CREATE INDEX notes_by_place ON notes (file, line);
CREATE TABLE note_targets (
    note     INTEGER NOT NULL REFERENCES notes(nid),
    position INTEGER NOT NULL,
    ref      TEXT NOT NULL,
    doc      TEXT NOT NULL,
    PRIMARY KEY (note, position)
) WITHOUT ROWID;
CREATE INDEX note_targets_by_ref ON note_targets (ref);
CREATE INDEX note_targets_by_doc ON note_targets (doc);

-- <date> elements in the texts, normalised (ISO 8601 prefixes), for a timeline.
CREATE TABLE dates (
    ref   TEXT NOT NULL,
    doc   TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    start TEXT,
    end   TEXT,
    text  TEXT NOT NULL
);
CREATE INDEX dates_by_start ON dates (start);
CREATE INDEX dates_by_ref ON dates (ref);

-- The timeline's items (registers.dated): dated mentions in the texts (not web-copy dates) and
-- dated register events, in date order.
CREATE TABLE dated (
    seq    INTEGER PRIMARY KEY,                -- date order (registers.build_dated)
    start  TEXT NOT NULL,                      -- YYYY-MM-DD, first day covered
    end    TEXT NOT NULL,                      -- YYYY-MM-DD, last day covered
    value  TEXT NOT NULL,                      -- the value as encoded (1939-09, 1939-06/1939-08)
    label  TEXT NOT NULL,
    kind   TEXT NOT NULL,                      -- mention | event
    ref    TEXT,                               -- the passage of a dated mention
    entity TEXT                                -- the register event
);

-- Speakers and quoted persons named by @who that no register declares (registers.speaker_rows),
-- one row per pointer and document.
CREATE TABLE speakers (
    seq     INTEGER PRIMARY KEY,               -- order of first occurrence
    pointer TEXT NOT NULL,
    label   TEXT NOT NULL,                     -- the pointer's fragment
    doc     TEXT NOT NULL,
    count   INTEGER NOT NULL,                  -- occurrences in the document
    refs    TEXT NOT NULL                      -- JSON: the first (up to 5) passages, reading order
);
CREATE INDEX speakers_by_doc ON speakers (doc);

-- Every xml:id of every file: what a TEI pointer (#id, file.xml#id) names.
CREATE TABLE ids (
    file   TEXT NOT NULL,                      -- relative path
    xml_id TEXT NOT NULL,
    ref    TEXT,                               -- the innermost passage containing the element
    entity TEXT,                               -- the entity it declares
    PRIMARY KEY (file, xml_id)
) WITHOUT ROWID;
