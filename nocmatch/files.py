"""Writing nocmatch's own files: whole or not at all, and a clear line when a folder cannot take them."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Callable

from nocmatch.errors import NocmatchError


class UnwritableFolder(NocmatchError):
    """A folder nocmatch must write its caches or outputs to refuses writes (read-only, full, no permission)."""

    exit_code = 5


def _unwritable(folder: Path, what: str, exc: OSError) -> UnwritableFolder:
    return UnwritableFolder(f"{folder}: cannot write {what} there ({exc.strerror or exc}); make the folder "
                            "writable, or point --models-dir / --data-dir / NOCMATCH_HOME at one that is")


def replace_atomically(path: Path, write: Callable[[Path], object], *, what: str = "a file",
                       private: bool = False, overwrite: bool = True) -> Path:
    """Have ``write(temporary)`` fill a temporary file of this writer's own beside ``path``, then rename it.

    A reader sees the old file or the new one, never part of one, and two writers never share a
    temporary file (``.<name>.<pid>.<random>.tmp``). An existing file keeps its permissions; a new
    one gets those of any new file, or is readable by its owner only when ``private`` (outputs
    that hold letters' results). Without ``overwrite`` an existing file is never replaced, even one
    created meanwhile (:class:`FileExistsError`). Raises :class:`UnwritableFolder` (one line) when
    the folder refuses the write.
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        name = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666))
        tmp = name
        write(tmp)
        if not overwrite:
            os.link(tmp, path)  # fails if the file exists, even one created meanwhile
        else:
            if path.exists():
                os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
            os.replace(tmp, path)
            tmp = None
    except FileExistsError:
        raise
    except OSError as exc:
        raise _unwritable(path.parent, what, exc) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def write_atomic(path: Path, payload: bytes | str, *, what: str = "a file", private: bool = False) -> Path:
    """Write ``payload`` (text as UTF-8) to ``path`` whole or not at all (:func:`replace_atomically`)."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    return replace_atomically(path, lambda tmp: tmp.write_bytes(data), what=what, private=private)


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
