"""The modules a static build spends its time in, compiled to C with mypyc when it is installed.

``make install`` runs ``registry.native.main(["build"])``, which compiles :data:`MODULES` (the
resource pages' view model and HTML, the schema.org description, the JSON-LD, and the vocabulary
and prefixes they look terms up in) into extension modules beside their sources: the same code,
about a tenth less CPU per resource page (docs/site.md). Without mypyc, or when the compiler fails,
the registry runs on the sources alone.

A compiled module is used only while every source of the group is the one it was compiled from
(``_native.json`` keeps their SHA-256): after an edit, ``import registry`` loads the sources until
the next build, so a test never runs yesterday's code. ``REGISTRY_NATIVE=0`` loads the sources
whatever is compiled.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
MODULES = ("pages", "schemaorg", "formats", "vocab", "namespaces")  # one group: they call one another directly
STAMP = PACKAGE / "_native.json"
SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def _digest(name: str) -> str:
    return hashlib.sha256((PACKAGE / f"{name}.py").read_bytes()).hexdigest()


def compiled_files() -> list[Path]:
    """The extension modules of a build: one per module, and the group's shared library."""
    return sorted(p for p in PACKAGE.iterdir() if p.name.endswith(SUFFIXES)
                  and (p.name.split(".")[0] in MODULES or p.name.split(".")[0].endswith("__mypyc")))


def fresh() -> bool:
    """True when the compiled modules are there and were compiled from the sources as they are."""
    if not compiled_files():
        return False
    try:
        stamp = json.loads(STAMP.read_text())
        return all(stamp.get(name) == _digest(name) for name in MODULES)
    except (OSError, ValueError, AttributeError):
        return False


class _Sources(importlib.abc.MetaPathFinder):
    """Loads ``registry.<module>`` of :data:`MODULES` from its ``.py`` file, not from an extension."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != __package__ or name not in MODULES:
            return None
        return importlib.util.spec_from_file_location(fullname, PACKAGE / f"{name}.py")


def use_sources_unless_fresh() -> None:
    """Called by ``import registry``: the sources, unless the compiled modules are current and wanted."""
    if os.environ.get("REGISTRY_NATIVE", "1") == "0" or (compiled_files() and not fresh()):
        if not any(isinstance(f, _Sources) for f in sys.meta_path):
            sys.meta_path.insert(0, _Sources())


def status() -> dict[str, bool]:
    """Module -> whether this process runs it compiled (imports the modules)."""
    out = {}
    for name in MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        out[name] = str(getattr(module, "__file__", "")).endswith(SUFFIXES)
    return out


def remove() -> None:
    for path in compiled_files():
        path.unlink()
    STAMP.unlink(missing_ok=True)


def build() -> bool:
    """Compile :data:`MODULES` with mypyc; on failure leave none compiled. True when compiled."""
    try:
        import mypyc  # noqa: F401
    except ImportError:
        print("registry.native: mypyc is not installed (pip install mypy): the sources will run", file=sys.stderr)
        return False
    remove()
    digests = {name: _digest(name) for name in MODULES}  # what is compiled is what is read now
    # Other packages' types unread (--no-site-packages: Any), so not checked at run time: pyoxigraph's
    # stubs say Triple where the pages pass the Quads its parser gives, and the rest is checked by
    # the tests; type errors in modules that are not compiled do not stop the build. One group, its
    # shared library in the package (registry/compiled__mypyc…), not beside it.
    flags = ["--no-site-packages", "--ignore-missing-imports", "--follow-imports=silent"]
    setup = ("import sys; from setuptools import setup; from mypyc.build import mypycify; "
             f"setup(name='registry-native', script_args=['build_ext', '--inplace'], "
             f"ext_modules=mypycify(sys.argv[1:], group_name={__package__ + '.compiled'!r}))")
    command = [sys.executable, "-c", setup, *flags, *(f"registry/{name}.py" for name in MODULES)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    built = {p.name.split(".")[0] for p in compiled_files()}
    if done.returncode != 0 or not built.issuperset(MODULES):
        remove()
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        print("registry.native: compiling failed (above): the sources will run", file=sys.stderr)
        return False
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # mypyc's C files and objects
    STAMP.write_text(json.dumps(digests, indent=1) + "\n")
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["build"]:
        ok = build()
        print("registry.native: " + ("compiled " + ", ".join(MODULES) if ok else "not compiled"))
        return 0  # the registry works either way (a test under CI=true requires the compiled modules)
    if args == ["remove"]:
        remove()
        return 0
    if args == ["status"]:
        print(json.dumps({"fresh": fresh(), "loaded": status()}))
        return 0
    print("usage: registry.native.main([build|remove|status])", file=sys.stderr)
    return 2

