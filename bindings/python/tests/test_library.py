"""Loading the library: ABI major check, the installed package, and the method list against the library's."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

import passteam
from passteam import _native
from passteam._names import to_camel, to_snake

FAKE_C = textwrap.dedent(
    """
    #include <stdint.h>
    /* A library that claims another ABI major version than this package speaks. */
    uint32_t passteam_abi_version(void) { return (2u << 16) | 3u; }
    """
)


@pytest.fixture(scope="module")
def fake_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fake")
    source = folder / "fake.c"
    source.write_text(FAKE_C)
    library = folder / "libpassteam.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library


def test_refuses_another_abi_major(fake_library: Path) -> None:
    with pytest.raises(passteam.LibraryLoadError, match=r"ABI 2\.3.*needs ABI 1\.x"):
        _native.load(str(fake_library))


def test_import_fails_clearly_with_another_abi_major(fake_library: Path) -> None:
    env = dict(os.environ, PASSTEAM_LIBRARY=str(fake_library))
    run = subprocess.run([sys.executable, "-c", "import passteam"], env=env, capture_output=True, text=True)
    assert run.returncode != 0
    assert "LibraryLoadError" in run.stderr
    assert "speaks passteam ABI 2.3" in run.stderr and "PASSTEAM_LIBRARY" in run.stderr


def test_abi_check_with_a_monkeypatched_library() -> None:
    def abi() -> int:
        return 0x30001

    with pytest.raises(passteam.LibraryLoadError, match="ABI 3.1"):
        _native.Library(SimpleNamespace(passteam_abi_version=abi), "fake")


def test_missing_library_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(passteam.LibraryLoadError, match="PASSTEAM_LIBRARY"):
        _native.load(str(tmp_path / "nothing.so"))


def test_library_comes_from_the_installed_package() -> None:
    package = Path(passteam.__file__).resolve().parent
    if not os.environ.get("PASSTEAM_LIBRARY"):
        assert Path(passteam.library_path()).resolve() == package / _native.library_filename()
    assert (package / "py.typed").is_file()
    assert passteam.abi_version()[0] == _native.ABI_MAJOR
    assert passteam.version().count(".") == 2
    assert passteam.status_name(8) == "PASSTEAM_ERR_CONFLICT"
    assert passteam.status_name(12345) == "PASSTEAM_ERR_UNKNOWN"


def test_method_list_equals_the_librarys() -> None:
    table = passteam.methods()
    assert len(table) >= 23
    assert passteam.OPERATIONS == {m["snake"]: m["name"] for m in table}
    for method in table:
        func = getattr(passteam.Client, method["snake"])
        assert func.__passteam_wire__ == method["name"]
        assert func.__passteam_deprecated__ == method["deprecated"], method["name"]
        assert func.__doc__, method["snake"]


def test_the_23_operations_of_abi_1_1_have_their_dedicated_export() -> None:
    # Frozen for 1.x: operations added later are reached through passteam_call.
    ops = _native.lib().ops
    assert len(ops) == 23
    assert set(ops) <= {m["name"] for m in passteam.methods()}


def test_config_keys_are_the_librarys_schema() -> None:
    schema = _native.lib().config_schema
    assert schema is not None, "the library predates ABI 1.5"
    keys = {k["name"] for k in schema["keys"]}
    assert {"token", "base_url", "timeout_ms", "max_attempts", "log_level"} <= keys
    # The keywords Client names are schema keys (timeout is seconds for timeout_ms)...
    named = [p for p in inspect.signature(passteam.Client.__init__).parameters if p not in ("self", "config")]
    assert {"timeout_ms" if p == "timeout" else p for p in named} <= keys
    # ...and every schema key passes through **config (None = the library's default).
    for key in sorted(keys):
        passteam.Client(**{key: None}).close()
    with pytest.raises(passteam.InvalidArgumentError, match="no_such_key"):
        passteam.Client(no_such_key=1)


def test_method_keywords_match_the_librarys_params() -> None:
    for method in passteam.methods():
        signature = inspect.signature(getattr(passteam.Client, method["snake"]))
        keywords = {
            name: p for name, p in signature.parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        expected = {to_snake(p["name"]) for p in method["params"]} | {"timeout"}
        assert set(keywords) == expected, method["name"]
        for param in method["params"]:
            keyword = keywords[to_snake(param["name"])]
            assert (keyword.default is inspect.Parameter.empty) == param["required"], (method["name"], param)
            assert to_camel(to_snake(param["name"])) == param["name"]


def test_name_conversion() -> None:
    assert to_camel("card_id") == "cardId"
    assert to_camel("per_page") == "perPage"
    assert to_camel("unique_variable") == "uniqueVariable"
    assert to_camel("cardId") == "cardId"
    assert to_camel("values") == "values"
    assert to_camel("_id") == "_id"
    assert to_snake("templateId") == "template_id"
