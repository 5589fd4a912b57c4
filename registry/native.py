"""The modules a static build spends its time in, compiled to C with mypyc when it is installed.

``make install`` (or ``make native``) runs ``registry.native.main(["build"])``, which compiles
:data:`MODULES` (the resource pages' view model and HTML, the schema.org description, the JSON-LD,
and the vocabulary and prefixes they look terms up in) into extension modules: the same code, with
about 14% less CPU per resource page (docs/site.md). Without mypyc, or when the compiler fails, the
registry runs on the sources alone.

The extension modules are kept off the import path, in ``registry/_native/<cache tag>/`` with the
SHA-256 of every source they were compiled from. ``import registry`` puts a finder ahead of the
others that loads them only when all of them are there for this Python and every source is still the
one compiled; otherwise, with ``REGISTRY_NATIVE=0``, and in any commit that does not have this
module, the sources run. So a test after an edit tests the edit, never yesterday's build.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
MODULES = ("pages", "schemaorg", "formats", "vocab", "namespaces")  # one group: they call one another directly
GROUP = "compiled__mypyc"  # the group's shared library, ``registry.compiled__mypyc``
# What mypy reads besides them to type them (their types are compiled in): hashed with them.
DEPENDS = ("paths.py", "ingest/contexts.py")
NATIVE_DIR = PACKAGE / "_native" / sys.implementation.cache_tag  # e.g. registry/_native/cpython-311
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]  # this interpreter's: .cpython-311-x86_64-linux-gnu.so
STAMP = NATIVE_DIR / "sources.json"


def _digests() -> dict[str, str]:
    return {rel: hashlib.sha256((PACKAGE / rel).read_bytes()).hexdigest()
            for rel in (*(f"{name}.py" for name in MODULES), *DEPENDS)}


def compiled_files() -> list[Path]:
    """The extension modules a build makes: one per module, and the group's library."""
    return [NATIVE_DIR / f"{name}{SUFFIX}" for name in (*MODULES, GROUP)]


def fresh() -> bool:
    """True when every compiled module is there for this Python, compiled from the sources as they are."""
    try:
        return all(p.is_file() for p in compiled_files()) and json.loads(STAMP.read_text()) == _digests()
    except (OSError, ValueError):
        return False


class _Compiled(importlib.abc.MetaPathFinder):
    """Loads ``registry.<module>`` of :data:`MODULES` (and the group's library) from ``NATIVE_DIR``."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != __package__ or (name not in MODULES and name != GROUP):
            return None
        file = NATIVE_DIR / f"{name}{SUFFIX}"
        return importlib.util.spec_from_file_location(
            fullname, file, loader=importlib.machinery.ExtensionFileLoader(fullname, str(file)))


def use_compiled_if_fresh() -> None:
    """Called by ``import registry``: the compiled modules when they are current and wanted."""
    if os.environ.get("REGISTRY_NATIVE", "1") != "0" and fresh():
        if not any(isinstance(f, _Compiled) for f in sys.meta_path):
            sys.meta_path.insert(0, _Compiled())


def status() -> dict[str, bool]:
    """Module -> whether this process runs it compiled (imports the modules)."""
    out = {}
    for name in MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        out[name] = str(getattr(module, "__file__", "")).endswith(SUFFIX)
    return out


def remove() -> None:
    """No compiled modules (for any Python), and none left beside the sources by an earlier layout."""
    import shutil

    shutil.rmtree(PACKAGE / "_native", ignore_errors=True)
    for name in (*MODULES, GROUP):
        for old in PACKAGE.glob(f"{name}.*.so"):
            old.unlink()


def build() -> bool:
    """Compile :data:`MODULES` with mypyc into ``NATIVE_DIR``; on failure none are left. True when compiled."""
    import shutil  # (here, not at the top: every ``import registry`` reads this module)
    import subprocess
    import tempfile

    if not (ROOT / "pyproject.toml").is_file():
        print("registry.native: not a checkout of the project: nothing compiled", file=sys.stderr)
        return False
    try:
        import mypyc  # noqa: F401
    except ImportError:
        print("registry.native: mypyc is not installed (pip install 'mypy[mypyc]'): the sources will run",
              file=sys.stderr)
        return False
    remove()
    digests = _digests()  # what is compiled is what is read now
    # Other packages' types unread (--no-site-packages: Any), so not checked at run time: pyoxigraph's
    # stubs say Triple where the pages pass the Quads its parser gives, and the rest is checked by
    # the tests; type errors in modules that are not compiled do not stop the build.
    flags = ["--no-site-packages", "--ignore-missing-imports", "--follow-imports=silent"]
    with tempfile.TemporaryDirectory(prefix="registry-native-") as tmp:
        setup = ("import sys; from setuptools import setup; from mypyc.build import mypycify; "
                 "setup(name='registry-native', script_args=['build_ext', '--build-lib', sys.argv[1] + '/lib', "
                 "'--build-temp', sys.argv[1] + '/temp'], ext_modules=mypycify(sys.argv[2:], "
                 f"group_name={__package__ + '.compiled'!r}, target_dir=sys.argv[1] + '/c'))")
        command = [sys.executable, "-c", setup, tmp, *flags, *(f"{PACKAGE.name}/{name}.py" for name in MODULES)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        built = Path(tmp, "lib", PACKAGE.name)
        files = {p.name: p for p in built.glob(f"*{SUFFIX}")} if built.is_dir() else {}
        if done.returncode != 0 or not {p.name for p in compiled_files()} <= files.keys():
            print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
            print("registry.native: compiling failed (above): the sources will run", file=sys.stderr)
            return False
        staging = NATIVE_DIR.with_name(NATIVE_DIR.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for p in compiled_files():
            shutil.move(str(files[p.name]), staging / p.name)
        (staging / STAMP.name).write_text(json.dumps(digests, indent=1) + "\n")
        staging.rename(NATIVE_DIR)  # all of them at once
    return True


def main(argv: list[str]) -> int:
    """``build`` (0 when compiled, else 1: the registry still works, on its sources), ``remove``,
    ``status``."""
    if argv == ["build"]:
        ok = build()
        print("registry.native: " + ("compiled " + ", ".join(MODULES) if ok else "not compiled"))
        return 0 if ok else 1
    if argv == ["remove"]:
        remove()
        return 0
    if argv == ["status"]:
        print(json.dumps({"fresh": fresh(), "loaded": status()}))
        return 0
    print("usage: registry.native.main([build|remove|status])", file=sys.stderr)
    return 2
