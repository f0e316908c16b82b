"""The content-addressed store: naming, idempotence, integrity checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from shotrelay.engine.store import ArtifactStore
from shotrelay.errors import IntegrityError


def test_put_bytes_names_file_by_sha256_with_extension(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "store")
    ref = store.put(b"frame", "image/png")
    digest = hashlib.sha256(b"frame").hexdigest()
    assert ref.hash == digest
    assert ref.path == tmp_path / "store" / digest[:2] / f"{digest[2:]}.png"
    assert ref.path.read_bytes() == b"frame"
    assert ref.size == 5


def test_put_file_is_idempotent_and_get_finds_it(tmp_path: Path) -> None:
    src = tmp_path / "clip.mp4"
    src.write_bytes(b"x" * 3000)
    store = ArtifactStore(tmp_path / "store")
    a = store.put(src, "video/mp4")
    b = store.put(src, "video/mp4")
    assert a == b
    assert store.get(a.hash) == a.path
    assert not list((tmp_path / "store").rglob(".tmp-*"))


def test_truncated_artifact_fails_the_cheap_lookup(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    ref = store.put(b"0123456789", "video/mp4")
    ref.path.write_bytes(b"01234")
    assert store.lookup(ref.hash) is None
    with pytest.raises(IntegrityError, match="missing or truncated"):
        store.get(ref.hash)


def test_corrupt_artifact_of_same_size_fails_verify(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    ref = store.put(b"0123456789", "video/mp4")
    ref.path.write_bytes(b"9876543210")
    assert store.get(ref.hash) == ref.path  # the size still matches
    with pytest.raises(IntegrityError, match="corrupt"):
        store.verify(ref.hash)


def test_discard_then_put_restores_a_verified_artifact(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    ref = store.put(b"abc", "text/plain")
    ref.path.write_bytes(b"abd")
    store.discard(ref.hash)
    assert not store.has(ref.hash)
    assert store.put(b"abc", "text/plain").hash == ref.hash
    assert store.verify(ref.hash).size == 3


def test_bad_digest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IntegrityError):
        ArtifactStore(tmp_path).get("../../etc/passwd")
