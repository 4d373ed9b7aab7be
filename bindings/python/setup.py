"""Build hooks: put the native libpassteam inside the package and make the wheel platform-specific.

The metadata is in pyproject.toml. The package is pure Python over ctypes, so nothing is compiled here;
the library comes from, in order:

1. ``$PASSTEAM_LIBRARY`` (a file), if set when building;
2. ``<repo>/target/release/libpassteam.so`` (``$CARGO_TARGET_DIR`` if set), built by cargo;
3. otherwise ``cargo build --release -p passteam`` is run first (needs the Rust toolchain).

The wheel is tagged ``py3-none-<platform>``: any Python 3, no Python ABI (ctypes), one platform.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:  # setuptools >= 70.1 ships bdist_wheel itself
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # older setuptools: the wheel package's
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def library_filename() -> str:
    if sys.platform == "darwin":
        return "libpassteam.dylib"
    if sys.platform == "win32":
        return "passteam.dll"
    return "libpassteam.so"


def find_library() -> Path:
    """The libpassteam to ship, building it with cargo when no build is found."""
    explicit = os.environ.get("PASSTEAM_LIBRARY")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise SystemExit(f"PASSTEAM_LIBRARY={explicit} is not a file")
        return path
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    built = target / "release" / library_filename()
    if not built.is_file():
        if not (REPO / "Cargo.toml").is_file():
            raise SystemExit(f"no {built} and no passteam source tree at {REPO}: set PASSTEAM_LIBRARY")
        print(f"{built} is missing: running cargo build --release -p passteam", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "-p", "passteam"], cwd=REPO, check=True)
    return built


class BuildPyWithLibrary(build_py):
    """build_py, plus a copy of the native library into the built package (not into the sources)."""

    def run(self) -> None:
        super().run()
        source = find_library()
        dest = Path(self.build_lib) / "passteam" / library_filename()
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        os.chmod(dest, 0o755)


class PlatformWheel(bdist_wheel):
    """A wheel for this platform only (it carries a native library) but for any Python 3."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


class BinaryDistribution(Distribution):
    """Tells setuptools the package holds a binary, so it is installed to platlib."""

    def has_ext_modules(self) -> bool:
        return True


setup(
    distclass=BinaryDistribution,
    cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel},
)
