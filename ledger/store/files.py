"""Writing files so that a crash leaves the old file or the new one, never half of one.

:func:`write_atomic` is the one way solebook writes a file (PDFs, exports, backups): the
data goes to a temporary file in the same folder, is flushed to disk (``fsync``), gets
its mode (0600 by default: backups and exports hold personal data) and only then takes
the final name (``os.replace``), after which the folder is synced too.

Folders are made by :func:`private_folder` (0700, parents included): statement and
document names carry clients' names, so other users of the machine may not even list them.

On Linux the temporary file is anonymous (``O_TMPFILE``): a process killed while writing
leaves nothing behind at all. Elsewhere, and in the microseconds between linking and
renaming, a killed process can leave a temporary file named ``.NAME.PID.solebook-tmp``
(never a partial file under the real name); :func:`remove_stale_temp_files`, run at the
program's start, deletes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ledger.base.errors import N_, Phrase, StorageError

TEMP_SUFFIX = ".solebook-tmp"
_TEMP_NAME = re.compile(r"^\..+\.(?P<pid>[0-9]+)(?:\.[0-9]+)?" + re.escape(TEMP_SUFFIX) + "$")
_O_TMPFILE = getattr(os, "O_TMPFILE", 0)


FOLDER_MODE = 0o700


def private_folder(path: Path | str) -> Path:
    """Make the folder ``path`` and each missing folder above it, readable by its owner
    only (0700, whatever the umask). A folder that exists is left as it is; a file in the
    way raises ``FileExistsError``, like ``Path.mkdir(exist_ok=True)``."""
    path = Path(path)
    missing: list[Path] = []
    current = path
    while not current.is_dir():
        if current.exists() or current == current.parent:
            if current.exists():
                raise FileExistsError(errno.EEXIST, "not a folder", str(current))
            break
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by another process meanwhile: theirs to set
        os.chmod(folder, FOLDER_MODE)
    return path


def tighten_folders(root: Path) -> int:
    """Make ``root`` and every folder below it that this user owns 0700 (folders made by
    an older version were 0755); returns how many were changed. Files are not touched."""
    changed = 0
    if not root.is_dir():
        return changed
    for folder, _folders, _files in os.walk(root):
        try:
            info = os.stat(folder)
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                os.chmod(folder, FOLDER_MODE)
                changed += 1
        except OSError:
            continue
    return changed


def temp_name(path: Path) -> Path:
    """The temporary name used next to ``path`` by this process."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def _check_folder(path: Path, field: str) -> None:
    parent = path.parent
    if parent.is_dir():
        return
    if parent.exists() or any(p.exists() and not p.is_dir() for p in parent.parents):
        raise StorageError("{field}: {parent} is not a folder", field=Phrase(field), parent=parent)
    raise StorageError("{field}: the folder {parent} does not exist",
                       field=Phrase(field), parent=parent)


def check_target(path: Path | str, field: str = N_("file")) -> Path:
    """Refuse, before any work is done, a file that :func:`write_atomic` could not write:
    a missing folder, a parent that is a file, no permission, a name that is too long."""
    path = Path(path).expanduser()
    try:
        _check_folder(path, field)
        if path.is_dir():
            raise StorageError("{field}: {path} is a folder", field=Phrase(field), path=path)
        limit = os.pathconf(path.parent, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    except OSError as exc:
        raise _os_error(exc, path, field) from exc
    except ValueError as exc:
        raise StorageError(
            "{field}: {path!r} is not a valid file name",
            field=Phrase(field), path=str(path)) from exc
    if len(os.fsencode(path.name)) > limit:
        raise StorageError(
            "{field}: the file name is too long (at most {limit} bytes)",
            field=Phrase(field), limit=limit)
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(
            "{field}: cannot write in {parent}: permission denied",
            field=Phrase(field), parent=path.parent)
    return path


def _os_error(exc: OSError, path: Path, field: str) -> StorageError:
    reason = {
        errno.ENOSPC: N_("the disk is full"),
        errno.EDQUOT: N_("the disk quota is used up"),
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("permission denied"),
        errno.EROFS: N_("the disk is read-only"),
        errno.EISDIR: N_("it is a folder"),
        errno.ENOTDIR: N_("a part of the path is not a folder"),
        errno.ENAMETOOLONG: N_("the name is too long"),
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return StorageError(
        "{field}: cannot write {path}: {reason}",
        field=Phrase(field), path=path, reason=Phrase(reason))


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fsync(fd)


def _link(source: str, target: Path) -> None:
    """linkat(..., AT_SYMLINK_FOLLOW): os.link only asks for it when given a folder fd."""
    folder = os.open(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(source, target.name, src_dir_fd=folder, dst_dir_fd=folder,
                follow_symlinks=True)
    finally:
        os.close(folder)


def _anonymous(path: Path, data: bytes, mode: int) -> bool:
    """Write through an O_TMPFILE file; False when the file system cannot do that."""
    if not _O_TMPFILE:
        return False
    try:
        fd = os.open(path.parent, _O_TMPFILE | os.O_WRONLY, mode)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return False
        raise
    try:
        os.fchmod(fd, mode)
        _write_all(fd, data)
        source = f"/proc/self/fd/{fd}"
        try:
            try:
                _link(source, path)  # a new file appears complete under its name at once
            except FileExistsError:
                temp = temp_name(path)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
                _link(source, temp)
                os.replace(temp, path)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP):
                return False  # no /proc, or a file system that cannot link it: fall back
            raise
    finally:
        os.close(fd)
    return True


def _named(path: Path, data: bytes, mode: int) -> None:
    temp = temp_name(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    os.close(fd)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_atomic(path: Path | str, data: bytes, mode: int = 0o600, *,
                 field: str = N_("file")) -> Path:
    """Write ``data`` to ``path`` atomically and durably, with file ``mode``.

    Errors (missing folder, a file where a folder should be, permissions, a full disk)
    become a :class:`StorageError` whose message starts with ``field``.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("write_atomic writes bytes")
    path = Path(path)
    try:
        _check_folder(path, field)
        if path.is_dir():
            raise StorageError("{field}: {path} is a folder", field=Phrase(field), path=path)
        if not _anonymous(path, bytes(data), mode):
            _named(path, bytes(data), mode)
    except OSError as exc:
        raise _os_error(exc, path, field) from exc
    except ValueError as exc:  # a NUL character in the name
        raise StorageError(
            "{field}: {path!r} is not a valid file name",
            field=Phrase(field), path=str(path)) from exc
    fsync_folder(path.parent)
    return path


def replace_atomic(temp: Path, path: Path, mode: int = 0o600) -> Path:
    """Give a finished temporary file (same folder) its final name, durably."""
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    fsync_folder(path.parent)
    return path


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_temp_files(folder: Path, *, recursive: bool = False) -> Iterator[Path]:
    """Temporary files left in ``folder`` by solebook processes that no longer run."""
    if not folder.is_dir():
        return
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if recursive and entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
                continue
            match = _TEMP_NAME.match(entry.name)
            if match and not _pid_alive(int(match["pid"])):
                yield Path(entry.path)


def remove_stale_temp_files(folder: Path, *, recursive: bool = False) -> int:
    """Delete what :func:`stale_temp_files` finds; returns how many were removed."""
    removed = 0
    for path in list(stale_temp_files(folder, recursive=recursive)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed
