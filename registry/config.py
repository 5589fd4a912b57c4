"""The registry's settings: command-line options, then ``DATA/registry.toml``, then defaults."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Config:
    data_dir: Path = Path("registry-data")
    base_url: str = ""  # absolute URL the site is published at; "" = links relative to the site root
    site_name: str = "CTDL Registry"
    # The store: None = the supervised embedded Oxigraph server on DATA/oxigraph.
    store_url: str | None = None
    query_url: str | None = None
    update_url: str | None = None
    gsp_url: str | None = None
    query_timeout: float = 30.0
    max_document_bytes: int = 10 * 1024 * 1024
    max_document_depth: int = 64
    extra_shapes: list[Path] = field(default_factory=list)
    # SPARQL endpoints that SERVICE may query, and whether internal addresses may be among them.
    federate: list[str] = field(default_factory=list)
    federate_private: bool = False
    max_concurrent_queries: int = 8
    max_query_length: int = 100_000
    max_result_bytes: int = 50 * 1024 * 1024

    @property
    def journal_path(self) -> Path:
        return self.data_dir / "journal.sqlite"

    @property
    def oxigraph_dir(self) -> Path:
        return self.data_dir / "oxigraph"

    @property
    def server_state(self) -> Path:
        return self.data_dir / "server.json"

    @property
    def external_store(self) -> bool:
        return bool(self.store_url or self.query_url)

    @classmethod
    def load(cls, data_dir: Path | str = "registry-data", **overrides) -> "Config":
        """Defaults, then ``DATA/registry.toml`` if present, then non-None overrides."""
        data_dir = Path(data_dir)
        values: dict = {}
        toml_path = data_dir / "registry.toml"
        if toml_path.exists():
            with open(toml_path, "rb") as fh:
                values.update(tomllib.load(fh))
        values.update({k: v for k, v in overrides.items() if v is not None and v != ()})
        values["data_dir"] = data_dir
        if "extra_shapes" in values:
            values["extra_shapes"] = [Path(p) for p in values["extra_shapes"]]
        known = set(cls.__dataclass_fields__)
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"Unknown setting(s) in {toml_path}: {', '.join(sorted(unknown))}")
        return cls(**values)
