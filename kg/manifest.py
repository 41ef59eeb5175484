"""Atomic output directories: a build is staged beside OUT, sealed by a manifest, switched in whole.

    with locked(out):                       # one writer per output directory (fcntl lock file)
        stage = staging(out)                # fresh .OUT.staging-*; leftovers of killed builds removed
        ... exporters write into `stage` ...
        seal(stage, written, inputs=..., formats=...)   # manifest.json, written last
        switch(stage, out)                  # one rename: readers see the old build or the new one

Readers call `check(directory)`: a directory whose manifest is missing, unreadable or does not
match the files (a size, or the digest of the file about to be read) is refused with a one-line
message naming the problem. Entries of OUT that no build wrote (the page cache .cache/, an
Oxigraph store, a view.html, anything of the user's) are carried over into the new directory.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__
from .errors import InputError, OutputError

MANIFEST = "manifest.json"
FORMAT = 1
# Top-level names a build owns in OUT: replaced by every build, never carried over. A build
# with fewer formats drops the others' files, so no reader finds a stale graph.nt beside a new graph.ttl.
OUTPUTS = frozenset({"graph", "graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "graph.graphml", "neo4j", MANIFEST})


@dataclass(frozen=True)
class Entry:
    """One output file as the manifest lists it."""

    path: str  # relative to the output directory, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What a complete build holds: its files, and what it was built from and by."""

    files: tuple[Entry, ...]
    inputs: str  # sha256 over the pages read (names and texts)
    version: str
    formats: tuple[str, ...]

    def entry(self, path: str) -> Entry | None:
        return next((e for e in self.files if e.path == path), None)


def _sibling(out: Path, kind: str) -> str:
    return f".{out.name}.{kind}"


def lock_path(out: Path) -> Path:
    """The lock file of `out`: beside it, so that it outlives the switch of the directory."""
    return out.parent / _sibling(out, "lock")


@contextlib.contextmanager
def locked(out: Path, wait: bool = False) -> Iterator[None]:
    """Hold `out`'s lock: a second writer fails at once (or waits, with `wait`).

    An fcntl lock dies with its process, so a build killed by SIGKILL never leaves `out` locked.
    """
    out = Path(os.path.abspath(out))
    if out.exists() and not out.is_dir():  # before the work, not after it
        raise OutputError(f"{out}: exists and is not a directory (不是目录); choose another -o")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(out), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the lock file (无法加锁): {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise OutputError(
                f"{out}: another build or load is writing this directory (另一个构建正在写入此目录); "
                "wait for it to finish, or pass --wait"
            ) from None
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A fresh staging directory beside `out` (see `staging`), removed again if the block fails;
    an OSError in the block becomes an OutputError naming `out`. The block seals and switches it."""
    stage = staging(out)
    try:
        yield stage
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise OutputError(f"{out}: cannot write output (无法写入): {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def moved(paths: Iterable[Path], stage: Path, out: Path) -> list[Path]:
    """Paths written in `stage`, as they are in `out` once it is switched in."""
    absolute = Path(os.path.abspath(stage))
    return [out / Path(os.path.abspath(p)).relative_to(absolute) for p in paths]


def staging(out: Path) -> Path:
    """A fresh, empty staging directory beside `out`; call it holding `out`'s lock.

    Staging and swapped-out directories left by a killed build are removed first.
    """
    out = Path(os.path.abspath(out))
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory (不是目录); choose another -o")
    for prefix in (_sibling(out, "staging-"), _sibling(out, "old-")):
        for left in out.parent.glob(prefix + "*"):
            shutil.rmtree(left, ignore_errors=True)
    try:
        return fresh_dir(out, "staging-")
    except OSError as exc:
        raise OutputError(f"{out.parent}: cannot create a staging directory (无法创建暂存目录): {exc.strerror or exc}") from None


def fresh_dir(target: Path, kind: str) -> Path:
    """A new empty directory beside `target`, to become `target`: with `target`'s mode when it
    exists, else the mode mkdir gives. (mkdtemp's 0700 made a build or a store unreadable to a
    web server or another user once switched in.)"""
    target = Path(os.path.abspath(target))
    path = Path(tempfile.mkdtemp(dir=target.parent, prefix=_sibling(target, kind)))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o777 & ~umask
    os.chmod(path, mode)
    return path


def owned(out: Path) -> set[str]:
    """The top-level names of `out` that its last build wrote (or that a build may write)."""
    names = set(OUTPUTS)
    try:
        found = read(out)
    except InputError:
        return names
    return names | {e.path.split("/", 1)[0] for e in found.files}


def prune(stage: Path, written: Iterable[Path]) -> None:
    """Remove from `stage` every file the exporters left there but did not report writing."""
    keep = {os.path.abspath(p) for p in written}
    for path in sorted(stage.rglob("*"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()  # only when empty
        elif os.path.abspath(path) not in keep:
            path.unlink()


def file_digest(path: Path) -> str:
    with path.open("rb") as f:
        # file_digest reads into one buffer it reuses: no new megabyte object per chunk, the seal
        # of a rebuild's 150 MB 5% faster
        return hashlib.file_digest(f, "sha256").hexdigest()


def seal(stage: Path, written: Iterable[Path], inputs: str, formats: Iterable[str],
         known: dict[Path, tuple[str, int]] | None = None) -> Path:
    """Write `stage`'s manifest, last: its presence says every file it lists is complete.

    `known`: the sha256 and size of files another process wrote and digested as it wrote them
    (kg.cluster's shards, on a worker or in a remote OUT), not read again here."""
    given = {Path(os.path.abspath(p)): v for p, v in (known or {}).items()}
    files = []
    for path in sorted({Path(os.path.abspath(p)) for p in written}):
        rel = path.relative_to(os.path.abspath(stage)).as_posix()
        sha, size = given[path] if path in given else (file_digest(path), path.stat().st_size)
        files.append({"path": rel, "sha256": sha, "size": size})
    data = {"files": files, "format": FORMAT, "formats": sorted(set(formats)), "inputs": inputs,
            "version": __version__}
    target = stage / MANIFEST
    tmp = stage / f".{MANIFEST}.tmp"
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=True, indent=1, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target


def _sync_tree(root: Path) -> None:
    """fsync every file and directory under `root`, so a power cut after the switch cannot
    leave a manifest that names files whose blocks never reached the disk."""
    for path in [*sorted(root.rglob("*"), reverse=True), root]:  # children before their directory
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def replace_dir(new: Path, target: Path) -> None:
    """Put directory `new` in the place of `target` (which may not exist) in one step; the old
    one is removed after."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=_sibling(target, "old-")))
    os.rename(target, old / "old")
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def switch(stage: Path, out: Path) -> None:
    """Put `stage` in the place of `out`; what `out` held that no build wrote moves along."""
    out = Path(os.path.abspath(out))
    _sync_tree(stage)
    if not out.exists():
        os.rename(stage, out)
        return
    mine = owned(out)
    for entry in sorted(out.iterdir()):
        # Temporary files of an output (.graph.ttl.x1y2), left in OUT by builds before staging, die here.
        if entry.name not in mine and not _temporary(entry.name, mine) and not (stage / entry.name).exists():
            os.rename(entry, stage / entry.name)
    if not _exchange(stage, out):
        # Two renames: a build killed between them leaves `out` missing and the old build in
        # .OUT.old-*; the next build or reader names it (see check).
        old = Path(tempfile.mkdtemp(dir=out.parent, prefix=_sibling(out, "old-")))
        os.rename(out, old / "build")
        os.rename(stage, out)
        shutil.rmtree(old, ignore_errors=True)
        return
    shutil.rmtree(stage, ignore_errors=True)  # now the old build


def _temporary(name: str, outputs: set[str]) -> bool:
    return name.startswith(".") and any(name.startswith(f".{output}.") for output in outputs)


def read(directory: Path) -> Manifest:
    """The manifest of a build directory, or an InputError naming what is wrong with it."""
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_bytes())
        files = tuple(Entry(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in data["files"])
        return Manifest(files, str(data["inputs"]), str(data["version"]), tuple(data.get("formats", ())))
    except FileNotFoundError:
        raise InputError(
            f"{directory}: no {MANIFEST}, not a complete build (没有清单，构建不完整); run `kg build -o {directory}`"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read (无法读取): {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError(f"{path}: damaged manifest (清单已损坏); run `kg build -o {directory}` again") from None


def check(directory: Path, verify: Iterable[str] = ()) -> Manifest:
    """The manifest of `directory` once every file it lists is there at its size, and the files
    named in `verify` (relative paths) also match their digests; else an InputError in one line.

    Sizes catch a truncated or missing file at the cost of a stat; digests are checked for the
    files a reader is about to read.
    """
    found = read(directory)
    for e in found.files:
        path = directory / e.path
        try:
            size = path.stat().st_size
        except OSError:
            raise InputError(f"{path}: listed in {MANIFEST} but missing (文件缺失); run `kg build -o {directory}` again") from None
        if size != e.size:
            raise InputError(
                f"{path}: {size:,} bytes, the manifest says {e.size:,} (与清单不符); "
                f"the build was changed or cut short, run `kg build -o {directory}` again"
            )
    for rel in verify:
        listed = found.entry(rel)
        if listed is None:
            raise InputError(f"{directory / rel}: not part of this build (不在清单中); run `kg build -o {directory}`")
        if file_digest(directory / rel) != listed.sha256:
            raise InputError(
                f"{directory / rel}: content differs from the manifest (内容与清单不符); "
                f"the file was changed after the build, run `kg build -o {directory}` again"
            )
    return found


def check_file(path: Path) -> None:
    """Check a graph file given directly: against its directory's manifest when it has one."""
    directory = path.parent
    if (directory / MANIFEST).exists():
        check(directory, [path.name])


def inputs_digest(items: Iterable[tuple[str, str]]) -> str:
    """A digest of the pages read, as (name, text) pairs in any order."""
    h = hashlib.sha256()
    for name, text in sorted(items):
        for part in (name, text):
            data = part.encode("utf-8", "surrogateescape")
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
    return h.hexdigest()
