"""Text of input files: decoding bytes with a clear error when the encoding is unknown, and
finding a CSV header's separator."""

from __future__ import annotations

import codecs

from ..errors import InputError, Text


def text_encoding(head: bytes, *, file: str, encoding: str | None = None) -> str:
    """The codec to read a file with: ``encoding`` (checked), else its BOM's, else UTF-8."""
    if encoding:
        try:
            name = codecs.lookup(encoding).name
            b" ".decode(name, "replace")  # refuses codecs that are not text encodings (base64, zlib)
        except LookupError:
            raise InputError(Text("encoding.unknown_encoding", encoding=encoding), file=file) from None
        return name
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def decode(data: bytes, *, file: str, encoding: str | None = None) -> str:
    """Decode ``data``: the given encoding, else a BOM's (UTF-8/UTF-16), else UTF-8."""
    name = text_encoding(data[:4], file=file, encoding=encoding)
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        if encoding:
            raise InputError(
                Text("encoding.not_valid_byte", encoding=encoding, start=exc.start),
                file=file,
                hint=Text("encoding.check_encoding_hint"),
            ) from None
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            Text("encoding.not_valid_text_byte", upper=name.upper(), start=exc.start),
            file=file,
            line=line,
            hint=Text("encoding.save_file_as_utf_hint"),
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """The separator of a CSV header line: the one of ``,`` ``;`` and tab found most often outside
    quotes (``,`` on a tie, and when none is found)."""
    counts = {d: 0 for d in (",", ";", "\t")}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","
