"""Media from a project's own store, by content id only: nothing else on disk is reachable.

A URL names a sha256 digest, never a path; the digest is checked for shape and looked up in
the served project's store, so traversal, absolute paths and another project's ids are 404.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse

from shotrelay.engine.store import ArtifactStore
from shotrelay.web.runs import Served

__all__ = ["artifact_response"]

_DIGEST = re.compile(r"[0-9a-f]{64}")


def artifact_response(served: Served, artifact: str, *, download: bool = False) -> FileResponse:
    """The stored artifact as a file response (ranges served), or 404."""
    store = served.workspace.store
    if not _DIGEST.fullmatch(artifact) or not store.is_dir():
        raise HTTPException(404, "no such artifact in this project")
    ref = ArtifactStore(store).lookup(artifact)
    if ref is None:
        raise HTTPException(404, "no such artifact in this project")
    name = f"{served.slug}-{artifact[:12]}{ref.path.suffix}" if download else None
    return FileResponse(
        ref.path,
        media_type=ref.media_type,
        filename=name,
        headers={"Cache-Control": "private, max-age=31536000, immutable"},
    )
