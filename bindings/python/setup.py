"""Build hooks: put the native libpassteam inside the package and make the wheel platform-specific.

The metadata is in pyproject.toml. The package is pure Python over ctypes, so nothing is compiled here;
the library comes from, in order:

1. ``$PASSTEAM_LIBRARY`` (a file), if set when building;
2. ``<repo>/target/release/libpassteam.so`` (``$CARGO_TARGET_DIR`` if set), built by cargo;
3. otherwise ``cargo build --release -p libpassteam`` is run first (needs the Rust toolchain).

The wheel is tagged ``py3-none-<platform>``: any Python 3, no Python ABI (ctypes), one platform. On
Linux the platform tag is the manylinux one the library really needs (PyPI refuses ``linux_x86_64``):
the highest ``GLIBC_x.y`` symbol version the library asks for gives ``manylinux_x_y_<arch>``, and a
library built for glibc 2.17 (``scripts/build-linux-2.17``) also gets the legacy alias
``manylinux2014_<arch>``.
"""

from __future__ import annotations

import os
import re
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
        print(f"{built} is missing: running cargo build --release -p libpassteam", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "-p", "libpassteam"], cwd=REPO, check=True)
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
        strip_library(dest)


def strip_library(library: Path) -> None:
    """Strips the copy that goes into the wheel (what users install carries no symbol table): 8 -> 7 MB.

    Only on Linux and only when binutils' ``strip`` is there; otherwise the wheel keeps the library as built.
    """
    strip = shutil.which("strip")
    if sys.platform.startswith("linux") and strip:
        subprocess.run([strip, "--strip-all", str(library)], check=True)


def glibc_floor(library: Path) -> tuple[int, int] | None:
    """The highest GLIBC_x.y symbol version in the library's version needs (None: not a glibc build).

    The version names are plain strings in the ELF's dynamic string table, so a byte search finds them
    without binutils; a library asks for nothing above its highest one.
    """
    versions = {(int(a), int(b)) for a, b in re.findall(rb"GLIBC_(\d+)\.(\d+)", library.read_bytes())}
    return max(versions) if versions else None


def manylinux_tag(platform: str, library: Path) -> str:
    """``linux_<arch>`` -> ``manylinux_x_y_<arch>`` (+ ``manylinux2014_<arch>`` for 2.17); others unchanged."""
    if not platform.startswith("linux_"):
        return platform
    floor = glibc_floor(library)
    if floor is None:
        return platform
    arch = platform[len("linux_") :]
    tag = f"manylinux_{floor[0]}_{floor[1]}_{arch}"
    if floor <= (2, 17):
        tag = f"manylinux_2_17_{arch}.manylinux2014_{arch}"
    print(f"libpassteam needs glibc {floor[0]}.{floor[1]}: wheel tagged {tag}", file=sys.stderr)
    return tag


class PlatformWheel(bdist_wheel):
    """A wheel for this platform only (it carries a native library) but for any Python 3."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", manylinux_tag(platform, find_library())


class BinaryDistribution(Distribution):
    """Tells setuptools the package holds a binary, so it is installed to platlib."""

    def has_ext_modules(self) -> bool:
        return True


setup(
    distclass=BinaryDistribution,
    cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel},
)
