"""kg.export.reuse: a merged rewrite gives the bytes a full write of the same blocks gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.export import reuse

# An old file: sorted distinct keys, each block owned by one of a few records or shared (None).
_OWNERS = st.sampled_from(["a", "b", "c", "d", None])
_OLD = st.dictionaries(st.text("xyz", min_size=1, max_size=3), _OWNERS, max_size=12)


def _data(key: str, version: str) -> bytes:
    return f"{key}:{version}".encode()


@settings(max_examples=150, deadline=None)
@given(old=_OLD, alive=st.sets(st.sampled_from("abcd")), new_keys=st.sets(st.text("xyz", min_size=1, max_size=3), max_size=6),
       sep=st.sampled_from([b"", b",\n"]))
def test_merged_rewrite_writes_the_bytes_of_a_full_write(tmp_path_factory: pytest.TempPathFactory, old: dict,
                                                          alive: set, new_keys: set, sep: bytes) -> None:
    where = tmp_path_factory.mktemp("merge")
    path = where / "f"
    index = reuse.write_all(path, b"<h>", [(k, old[k], _data(k, "old")) for k in sorted(old)], b"</h>", sep)
    kept = {k for k, owner in old.items() if owner in alive}
    new: list[tuple[Any, str | None, bytes | memoryview]] = [(k, "e", _data(k, "new")) for k in sorted(new_keys - kept)]
    merged = reuse.write_merged(path, index, alive, b"<H>", new, b"</H>", sep)
    want = sorted([(k, old[k], _data(k, "old")) for k in kept] + new)
    expected = reuse.write_all(where / "want", b"<H>", want, b"</H>", sep)
    assert path.read_bytes() == (where / "want").read_bytes()
    assert (merged.keys, merged.owners, list(merged.spans)) == (expected.keys, expected.owners, list(expected.spans))


def test_merged_rewrite_refuses_a_new_block_with_a_kept_blocks_key(tmp_path: Path) -> None:
    path = tmp_path / "f"
    index = reuse.write_all(path, b"", [("k1", "a", b"1"), ("k2", "b", b"2")], b"")
    with pytest.raises(reuse.Conflict):
        reuse.write_merged(path, index, {"a", "b"}, b"", [("k2", "c", b"x")], b"")
    # the key of a dropped block is free: its record changed and wrote it again
    reuse.write_merged(path, index, {"a"}, b"", [("k2", "b", b"x")], b"")
    assert path.read_bytes() == b"1x"


def test_merged_rewrite_with_nothing_changed_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "f"
    index = reuse.write_all(path, b"h", [("k1", "a", b"1"), ("k2", "b", b"2")], b"f")
    before = path.stat()
    assert reuse.write_merged(path, index, {"a", "b"}, b"h", [], b"f") is index
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
