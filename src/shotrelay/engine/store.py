"""Content-addressed artifact store: files named by the sha256 of their bytes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import mimetypes
import os
import re
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from shotrelay.errors import IntegrityError

__all__ = ["ArtifactRef", "ArtifactStore", "sha256_file"]

_CHUNK = 1 << 20
_EXT = {
    "video/mp4": ".mp4",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/mpeg": ".mp3",
    "application/json": ".json",
    "text/plain": ".txt",
}


class ArtifactRef(BaseModel):
    """One stored artifact: its hash, where it lives, how big it is, what it is."""

    model_config = ConfigDict(frozen=True)

    hash: str
    path: Path
    size: int
    media_type: str


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _hash_and_sync(path: Path, sync: bool) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
        if sync:
            os.fsync(f.fileno())
    return h.hexdigest(), size


def _extension(media_type: str) -> str:
    return _EXT.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"


_HEX = re.compile(r"[0-9a-f]{64}")


class ArtifactStore:
    """Files under ``root/ab/cdef....ext`` with a small ``.ref`` record of size and type.

    Writes are atomic (temp file in the same folder, fsync, rename), so a crash leaves either
    the whole file or nothing. Every lookup checks the size; :meth:`verify` re-hashes.
    ``fsync=False`` keeps atomicity against a process crash but not against power loss (a
    lost file is then found by the size check or the hash, and its job runs again).
    """

    def __init__(self, root: Path, *, fsync: bool = True) -> None:
        self.root = Path(root)
        self.fsync = fsync
        self.root.mkdir(parents=True, exist_ok=True)
        self._dirs: set[Path] = set()

    def _base(self, digest: str) -> Path:
        if len(digest) != 64 or not _HEX.fullmatch(digest):
            raise IntegrityError(f"not a sha256 hex digest: {digest!r}")
        return self.root / digest[:2] / digest[2:]

    def put(self, data: Path | bytes, media_type: str, *, move: bool = False) -> ArtifactRef:
        """Store bytes or a file's content; return its reference (idempotent).

        With ``move`` the file is synced and renamed into the store instead of copied (it
        must be on the same filesystem; the engine's scratch folder is).
        """
        if isinstance(data, bytes):
            digest = hashlib.sha256(data).hexdigest()
            size = len(data)
        else:
            if move:
                digest, size = _hash_and_sync(data, self.fsync)
            else:
                digest, size = sha256_file(data), data.stat().st_size
        base = self._base(digest)
        path = base.with_name(base.name + _extension(media_type))
        existing = self.lookup(digest)
        if existing is not None and existing.size == size:
            return existing
        if base.parent not in self._dirs:
            base.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(base.parent)
        if isinstance(data, bytes):
            _atomic_write(path, data, self.fsync)
        elif move:
            os.replace(data, path)
        else:
            _atomic_copy(data, path, self.fsync)
        # The record is written last and without fsync: if it is lost or torn, the lookup
        # fails and the job runs again, which is safe.
        record = {"size": size, "media_type": media_type, "name": path.name}
        base.with_name(base.name + ".ref").write_text(json.dumps(record))
        return ArtifactRef(hash=digest, path=path, size=size, media_type=media_type)

    def lookup(self, digest: str) -> ArtifactRef | None:
        """The artifact if present with its recorded size; None if absent or truncated."""
        base = self._base(digest)
        try:
            record = json.loads(base.with_name(base.name + ".ref").read_bytes())
            path = base.parent / str(record["name"])
            size = path.stat().st_size
        except (OSError, ValueError, KeyError):
            return None
        if size != int(record["size"]):
            return None
        return ArtifactRef(hash=digest, path=path, size=size, media_type=record["media_type"])

    def has(self, digest: str) -> bool:
        """Whether the artifact is present at its recorded size (cheap, no hashing)."""
        return self.lookup(digest) is not None

    def get(self, digest: str) -> Path:
        """Path of a stored artifact; IntegrityError if it is missing or truncated."""
        ref = self.lookup(digest)
        if ref is None:
            raise IntegrityError(
                f"artifact {digest[:12]} is missing or truncated in {self.root}; "
                "the job that made it will run again"
            )
        return ref.path

    def verify(self, digest: str) -> ArtifactRef:
        """Re-hash the artifact; IntegrityError if missing, truncated or corrupt."""
        path = self.get(digest)
        actual = sha256_file(path)
        if actual != digest:
            raise IntegrityError(
                f"artifact {digest[:12]} at {path} is corrupt (content hashes to {actual[:12]}); "
                "the job that made it will run again"
            )
        ref = self.lookup(digest)
        assert ref is not None
        return ref

    def discard(self, digest: str) -> None:
        """Remove an artifact (used when it failed verification)."""
        base = self._base(digest)
        for p in base.parent.glob(base.name + ".*"):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()


def _atomic_write(path: Path, data: bytes, sync: bool = True) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _atomic_copy(src: Path, path: Path, sync: bool = True) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f, src.open("rb") as s:
            while chunk := s.read(_CHUNK):
                f.write(chunk)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
