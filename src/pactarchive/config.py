"""Settings: defaults, overridden by environment variables, overridden by explicit arguments.

| variable               | default      | meaning                                   |
|------------------------|--------------|-------------------------------------------|
| PACTARCHIVE_TEI        | ./tei        | directory of TEI files                    |
| PACTARCHIVE_INDEX      | ./index      | directory of the built index              |
| PACTARCHIVE_HOST       | 127.0.0.1    | address `serve` binds                     |
| PACTARCHIVE_PORT       | 5000         | port `serve` listens on                   |
| PACTARCHIVE_BASE_URL   | (request's)  | absolute base for permalinks in citations |
| PACTARCHIVE_TRUSTED_HOSTS | loopback + bound address | comma-separated Host names served (`*`: any) |
| PACTARCHIVE_SEARCH_RATE_LIMIT | 120 per minute | searches per client address (Flask-Limiter syntax) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "PACTARCHIVE_"


@dataclass
class Settings:
    tei_dir: Path = field(default_factory=lambda: Path(_env("TEI", "tei")))
    index_dir: Path = field(default_factory=lambda: Path(_env("INDEX", "index")))
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("PORT", "5000")))
    base_url: str | None = field(default_factory=lambda: os.environ.get(ENV_PREFIX + "BASE_URL"))
    trusted_hosts: str | None = field(default_factory=lambda: os.environ.get(ENV_PREFIX + "TRUSTED_HOSTS"))
    search_rate_limit: str | None = field(default_factory=lambda: os.environ.get(ENV_PREFIX + "SEARCH_RATE_LIMIT"))


def _env(name: str, default: str) -> str:
    return os.environ.get(ENV_PREFIX + name) or default
