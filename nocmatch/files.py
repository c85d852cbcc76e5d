"""Writing nocmatch's own files: whole or not at all, and a clear line when a folder cannot take them."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path

from nocmatch.errors import NocmatchError


class UnwritableFolder(NocmatchError):
    """A folder nocmatch must write its caches or outputs to refuses writes (read-only, full, no permission)."""

    exit_code = 5


def _unwritable(folder: Path, what: str, exc: OSError) -> UnwritableFolder:
    return UnwritableFolder(f"{folder}: cannot write {what} there ({exc.strerror or exc}); make the folder "
                            "writable, or point --models-dir / --data-dir / NOCMATCH_HOME at one that is")


def write_atomic(path: Path, payload: bytes | str, *, what: str = "a file") -> Path:
    """Write ``payload`` to ``path`` through a temporary file of its own in the same folder, then rename.

    A reader never sees half a file, and two writers never share a temporary file. The file gets
    the permissions of any new file (the umask applies). Raises :class:`UnwritableFolder` (one
    line) when the folder refuses the write.
    """
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        name = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        tmp = name
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _unwritable(path.parent, what, exc) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def check_writable(folder: Path, what: str) -> None:
    """Refuse at once, before minutes of work, a folder where ``what`` could not be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise _unwritable(folder, what, exc) from None


def file_sha256(path: Path, chunk: int = 1 << 22) -> str:
    """A file's sha256, read a few megabytes at a time (the file is never held in memory whole)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
