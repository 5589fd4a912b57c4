"""Where the registry's bundled files live.

The package is installed editable (``pip install -e .``) from a checkout, so the
top-level ``ontology/`` and ``site/`` folders sit beside the package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
ONTOLOGY_DIR = ROOT / "ontology"
SITE_DIR = ROOT / "site"
TEMPLATES_DIR = SITE_DIR / "templates"
STATIC_DIR = SITE_DIR / "static"
CONTEXTS_DIR = PACKAGE_DIR / "ingest" / "contexts"
SHAPES_DIR = PACKAGE_DIR / "shapes"

CTDL_SCHEMA = ONTOLOGY_DIR / "ctdl-schema.jsonld"
CTDLASN_SCHEMA = ONTOLOGY_DIR / "ctdlasn-schema.jsonld"
POLICY_TSV = ONTOLOGY_DIR / "policy" / "required_recommended_by_class.tsv"
