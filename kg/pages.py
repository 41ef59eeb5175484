"""Page files -> decoded, clean page text: the one place text enters pingcheng-kg.

What is read: regular files only (a FIFO, device or socket is refused, so `kg build /dev/urandom`
or a page linked to /dev/zero cannot hang or fill memory), each at most `max_size` bytes.
Encodings: UTF-8 (with or without BOM), UTF-16 and UTF-32 (by BOM, or by the shape of their
NUL bytes), else GB18030/GBK.

The text policy (docs/reliability.md): every exporter writes the same text, so it is made
writable once, here. Line ends become "\\n"; a form feed (pdftotext's page break) becomes a
blank line, a paragraph break; the other characters that mean a line break to some reader
(\\v, \\x1c-\\x1f, NEL, U+2028, U+2029) become "\\n"; every other control character (C0 but
tab and line feed, DEL, C1: ESC and BEL among them, which a terminal would execute) and every
non-character (U+FDD0-U+FDEF, U+xFFFE, U+xFFFF) or lone surrogate, which neither XML 1.0 nor
an IRI can carry, becomes U+FFFD. Private-use characters are kept (GB18030 maps rare
characters there); RDF writes them escaped in IRIs. A file name that is not UTF-8 is kept
with its odd bytes written as \\xNN (see `safe_name`).
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from . import dates
from .errors import InputError
from .model import Page

MAX_PAGE_SIZE = 256 * 1024 * 1024  # bytes; the largest real pages are a few MB, test pages 50 MB

_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r
_BREAKS = re.compile("[\x0b\x1c-\x1f\x85\u2028\u2029]")
_ODD = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
                  "|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
                  "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
                  "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
                  "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
_ANY = re.compile("[\r\f\x0b\x1c-\x1f\x85\u2028\u2029\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
                  "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]|[\U0001fffe-\U0010ffff]")
_NAME_ODD = re.compile("[\x00-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\u2028\u2029]")
_BOMS = (  # longest first: a UTF-32-LE BOM starts with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def clean_text(text: str) -> str:
    """`text` made writable by every exporter, by the policy in this module's docstring."""
    if not _ANY.search(text):  # the common case: one C-level scan of the page
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _BREAKS.sub("\n", text)
    return _ODD.sub("\ufffd", text)


def safe_name(name: str) -> str:
    """A file name fit for every output and a terminal: bytes that are not UTF-8 (decoded by
    Python as lone surrogates) and control characters written as \\xNN, the rest kept.

        safe_name(os.fsdecode(b"bad\\xff.txt")) == "bad\\\\xff.txt"
    """
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _NAME_ODD.sub(lambda m: ascii(m.group())[1:-1], name)


def read_page_file(path: Path, max_size: int = MAX_PAGE_SIZE) -> bytes:
    """The bytes of one page file: a regular file of at most `max_size` bytes, else an InputError."""
    where = safe_name(str(path))
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{where}: {_kind(st.st_mode)}, not a regular file (不是普通文件); give page files only")
        # O_NONBLOCK: a file swapped for a FIFO after the stat above cannot block the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise InputError(f"{where}: {_kind(st.st_mode)}, not a regular file (不是普通文件); give page files only")
            if st.st_size > max_size:
                raise InputError(_too_big(where, st.st_size, max_size))
            chunks = []
            size = 0
            while size <= max_size:  # the size can grow while it is read
                chunk = os.read(fd, min(1 << 24, max_size + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > max_size:
                raise InputError(_too_big(where, size, max_size))
            return b"".join(chunks)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise InputError(f"{where}: no such file (文件不存在)") from None
    except IsADirectoryError:
        raise InputError(f"{where}: is a directory, not a page file (是目录)") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot be read (无法读取): {exc.strerror or exc}") from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _too_big(where: str, size: int, limit: int) -> str:
    return (f"{where}: {size:,} bytes or more, above the page size limit of {limit:,} bytes (超过单页大小上限); "
            "split the file, or raise --max-page-size")


def decode(path: Path, max_size: int = MAX_PAGE_SIZE) -> Page:
    """Read one page file: see the module docstring for what is read and how it is cleaned."""
    raw = read_page_file(path, max_size)
    return decode_bytes(raw, safe_name(path.name), safe_name(str(path)))


def _wide(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) of UTF-16 or UTF-32 without a BOM, told by where its NUL bytes fall."""
    candidates = []
    if len(raw) % 4 == 0:
        candidates += ["utf-32-le", "utf-32-be"]
    if len(raw) % 2 == 0:
        candidates += ["utf-16-le", "utf-16-be"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and len(_BINARY_CONTROLS.findall(text)) <= max(2, len(text) // 100):
            return text, encoding
    return None


def decode_bytes(raw: bytes, name: str, where: str | None = None) -> Page:
    """Decode page bytes; `where` names the file in error messages."""
    where = where or name
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    text: str | None = None
    if encoding is not None and encoding != "utf-8-sig":
        try:
            text = raw[len(next(b for b, e in _BOMS if e == encoding)):].decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"{where}: starts with a {encoding} byte-order mark but is not {encoding} "
                             f"(编码错误) at offset {exc.start}; re-save it as UTF-8") from None
    elif b"\x00" in raw:
        found = _wide(raw)
        if found is None:
            at = raw.index(b"\x00")
            raise InputError(f"{where}: binary data, not a text page (二进制文件): NUL byte at offset {at}")
        text, encoding = found
    if text is None:
        if not raw.strip():
            raise InputError(f"{where}: empty file, nothing to build (空文件)")
        encoding = encoding or "utf-8"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as utf8_error:
            try:
                text, encoding = raw.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                raise InputError(
                    f"{where}: neither UTF-8 nor GB18030 text (编码无法识别): invalid byte "
                    f"0x{raw[utf8_error.start]:02x} at offset {utf8_error.start}; re-save it as UTF-8"
                ) from None
    if not text.strip():
        raise InputError(f"{where}: empty file, nothing to build (空文件)")
    if not _ANY.search(text):  # no control character at all (_ANY matches every binary one): the common case
        return Page(name=name, text=text, encoding=encoding or "utf-8")
    controls = len(_BINARY_CONTROLS.findall(text))  # a regex, not a loop per character: 50 MB pages exist
    if controls > max(2, len(text) // 100):
        raise InputError(f"{where}: binary data, not a text page (二进制文件): {controls} control characters")
    return Page(name=name, text=clean_text(text), encoding=encoding or "utf-8")


@dataclass(frozen=True)
class ManifestEntry:
    """What a build manifest says of one page file: where it was published, and when."""

    url: str | None
    date: str | None  # ISO


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """A manifest of pages: TSV or CSV with columns file, url, date (a header row may name them
    in any order; other columns are ignored). Keys are the file names as written."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such manifest (清单文件不存在)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: manifest cannot be read as UTF-8 text (清单无法读取): {exc}") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        return {}
    delimiter = "\t" if "\t" in lines[0] else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    columns = {"file": 0, "url": 1, "date": 2}
    if rows[0] and rows[0][0].strip().lower() in ("file", "文件"):
        header = [c.strip().lower() for c in rows.pop(0)]
        columns = {name: header.index(name) for name in ("file", "url", "date") if name in header}
    out: dict[str, ManifestEntry] = {}
    for row in rows:
        def cell(name: str) -> str:
            at = columns.get(name)
            return row[at].strip() if at is not None and at < len(row) else ""

        name, url, when = cell("file"), cell("url"), cell("date")
        if not name:
            continue
        date = dates.full_date(when) if when else None
        if when and date is None:
            raise InputError(f"{path}: {name}: date {when!r} is not a date (日期无效); write it as 2024-05-11")
        out[name] = ManifestEntry(url or None, date)
    return out


def with_manifest(page: Page, path: Path, manifest: dict[str, ManifestEntry]) -> Page:
    """The page with the url and date its manifest entry gives (by file name or by path)."""
    entry = manifest.get(path.name) or next(
        (e for name, e in manifest.items() if "/" in name and path.as_posix().endswith("/" + name.lstrip("./"))), None
    )
    if entry is None:
        return page
    return replace(page, url=entry.url, date=entry.date)


def identify(pages: Sequence[Page]) -> list[Page]:
    """The pages, those that share their identity (address or file name) with another page of
    another text marked `shares_identity`, so that each page keeps an id of its own.

    Two such pages are the same file name in two folders, or one address a manifest gives two
    files; nothing but the text tells them apart, so their ids hash it too.
    """
    count = Counter(p.identity for p in pages)
    return [replace(p, shares_identity=True) if count[p.identity] > 1 else p for p in pages]


def collect(paths: Iterable[Path]) -> tuple[list[Path], list[InputError]]:
    """Expand files and directories into page files (*.txt); report paths that give none.

    Symlinked sub-directories are followed (a loop is reported once); a sub-directory that
    cannot be read is reported, never skipped in silence. A symlink that cannot be followed is
    kept, so that decode() reports it instead of it vanishing.
    """
    files: list[Path] = []
    errors: list[InputError] = []
    for path in paths:
        if path.is_dir():
            found = _walk(path, errors)
            if not found:
                errors.append(InputError(f"{safe_name(str(path))}: directory has no .txt pages (目录中没有 .txt 文件)"))
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            errors.append(InputError(f"{safe_name(str(path))}: no such file or directory (路径不存在)"))
    unique = sorted(set(files), key=lambda p: (p.name, str(p)))
    return unique, errors


def _walk(root: Path, errors: list[InputError]) -> list[Path]:
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        errors.append(InputError(f"{safe_name(str(exc.filename))}: directory cannot be read (目录无法读取): "
                                 f"{exc.strerror or exc}"))

    for top, dirs, names in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(top)
        except OSError as exc:
            unreadable(exc)
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            errors.append(InputError(f"{safe_name(top)}: a directory already read, linked again (目录循环链接); "
                                     "its pages are read once"))
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs.sort()
        found.extend(Path(top) / n for n in sorted(names) if n.endswith(".txt"))
    return found
