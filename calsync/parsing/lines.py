"""Decoding the bytes and reading content lines into a component tree, tolerantly."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from .model import MAX_COMPONENTS, MAX_DEPTH, MAX_LINE_LENGTH, MAX_NESTING, Clock, NotACalendar, TooComplex, Warn

# --------------------------------------------------------------------------- decoding


def _legacy_bytes(error: UnicodeError) -> tuple[str, int]:
    # Invalid UTF-8 byte runs are read as Windows-1252/Latin-1 so that one stray
    # ISO-8859-1 accent does not garble the valid UTF-8 around it.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    chars = []
    for byte in bad:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(bytes([byte]).decode("latin-1"))
    return "".join(chars), error.end


codecs.register_error("calsync-legacy", _legacy_bytes)


def _decode(content: bytes, warn: Warn) -> str:
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    for bom, encoding in boms:
        if content.startswith(bom):
            body = content[len(bom) :]
            if encoding == "utf-8":
                break
            return body.decode(encoding, errors="replace").replace("\x00", "")
    else:
        body = content
        # UTF-16 without BOM: "B\0E\0..." or "\0B\0E..."
        if body[:2] == b"B\x00":
            return body.decode("utf-16-le", errors="replace").replace("\x00", "")
        if body[:2] == b"\x00B":
            return body.decode("utf-16-be", errors="replace").replace("\x00", "")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        warn("Some text in the feed is not valid UTF-8; it was read as Latin-1.")
        text = body.decode("utf-8", errors="calsync-legacy")
    return text.lstrip("\ufeff").replace("\x00", "")


# ---------------------------------------------------------------------- content lines


@dataclass
class _Prop:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class _Component:
    name: str
    props: list[_Prop] = field(default_factory=list)
    children: list[_Component] = field(default_factory=list)

    def first(self, name: str) -> _Prop | None:
        for prop in self.props:
            if prop.name == name:
                return prop
        return None

    def all(self, name: str) -> list[_Prop]:
        return [p for p in self.props if p.name == name]

    def text(self, name: str) -> str:
        prop = self.first(name)
        return _unescape(prop.value).strip() if prop else ""


_NAME_RE = re.compile(r"[A-Za-z0-9-]+")


def _unfold(text: str, warn: Warn, clock: Clock | None = None) -> list[str]:
    """Split on CRLF/LF/CR, drop blank lines, join space- or TAB-folded lines.

    Linear: the pieces of a folded line are collected and joined once (appending to the
    last string copied it every time: a 5 MB folded line took 43 s), and a line longer than
    MAX_LINE_LENGTH is skipped with a warning (no property we read is that long)."""
    lines: list[str] = []
    pieces: list[str] = []
    size = 0
    after_blank = False

    def flush() -> None:
        if not pieces:
            return
        if size > MAX_LINE_LENGTH:
            warn(f"A line longer than {MAX_LINE_LENGTH // 1024} KB was ignored: {pieces[0][:40]!r}.")
        else:
            lines.append("".join(pieces))

    for count, raw in enumerate(re.split(r"\r\n|\r|\n", text)):
        if clock is not None and not count % 4096:
            clock.check()
        if not raw.strip():
            after_blank = True  # blank lines are skipped, even inside a folded property
            continue
        if raw[0] in " \t":
            if after_blank and pieces:
                warn("Blank lines inside folded properties were ignored.")
            if pieces and size <= MAX_LINE_LENGTH:
                pieces.append(raw[1:])
                size += len(raw) - 1
        else:
            flush()
            pieces, size = [raw], len(raw)
        after_blank = False
    flush()
    return lines


def _parse_line(line: str, warn: Warn) -> _Prop | None:
    """``NAME;P=V;Q="a:b":value`` -> _Prop. Quoted parameters may hold ':' and ';'."""
    match = _NAME_RE.match(line)
    if not match:
        return None
    name, pos, params = match.group().upper(), match.end(), {}
    if line.startswith(":", pos):  # no parameters: most lines
        return _Prop(name, params, line[pos + 1 :])
    while pos < len(line) and line[pos] == ";":
        pos += 1
        start, quoted = pos, False
        while pos < len(line):
            char = line[pos]
            if char == '"':
                quoted = not quoted
            elif not quoted and char in ";:":
                break
            pos += 1
        raw = line[start:pos]
        if not raw.strip():
            warn(f"Empty parameter in property {name}: ignored.")
            continue
        key, _, val = raw.partition("=")
        params[key.strip().upper()] = val.strip().strip('"')
    if pos >= len(line) or line[pos] != ":":
        return None
    return _Prop(name, params, line[pos + 1 :])


def _build_tree(lines: list[str], warn: Warn, clock: Clock | None = None) -> list[_Component]:
    """Nest BEGIN/END blocks; returns the top-level VCALENDARs.

    Linear with caps: the names open on the stack are counted (looking through the stack
    at each END was quadratic on deep nesting), at most MAX_NESTING blocks may be open and
    MAX_COMPONENTS exist, else the file is refused."""
    calendars: list[_Component] = []
    stack: list[_Component] = []
    open_count: dict[str, int] = {}
    components = 0
    for count, line in enumerate(lines):
        if clock is not None and not count % 4096:
            clock.check()
        prop = _parse_line(line, warn)
        if prop is None:
            warn(f"Content line without a colon ignored: {line[:40]!r}.")
            continue
        if prop.name == "BEGIN":
            comp = _Component(prop.value.strip().upper())
            components += 1
            if len(stack) >= MAX_NESTING:
                raise TooComplex(f"The calendar nests components more than {MAX_NESTING} deep.")
            if components > MAX_COMPONENTS:
                raise TooComplex(f"The calendar has more than {MAX_COMPONENTS} components.")
            if stack:
                if len(stack) < MAX_DEPTH:
                    stack[-1].children.append(comp)
            elif comp.name == "VCALENDAR":
                calendars.append(comp)
            stack.append(comp)
            open_count[comp.name] = open_count.get(comp.name, 0) + 1
        elif prop.name == "END":
            name = prop.value.strip().upper()
            if not open_count.get(name):
                warn(f"END:{name[:20]} without a matching BEGIN ignored.")
                continue
            while stack:
                closed = stack.pop()
                open_count[closed.name] -= 1
                if closed.name == name:
                    break
                warn(f"{closed.name[:20]} closed implicitly by END:{name[:20]}.")
        elif stack:
            stack[-1].props.append(prop)
    if stack:
        raise NotACalendar("The calendar is incomplete (a VCALENDAR is not closed).")
    return calendars


def _unescape(text: str) -> str:
    return re.sub(
        r"\\(.)",
        lambda m: {"n": " ", "N": " "}.get(m.group(1), m.group(1)),
        text,
    )


def _check_envelope(lines: list[str]) -> None:
    if not lines:
        raise NotACalendar("The feed is empty.")
    first = lines[0].strip().upper()
    if first != "BEGIN:VCALENDAR":
        if first.startswith("<"):
            raise NotACalendar("The feed is a web page (HTML), not a calendar.")
        raise NotACalendar("The feed is not an iCalendar file (no BEGIN:VCALENDAR).")
    if lines[-1].strip().upper() != "END:VCALENDAR":
        raise NotACalendar(
            "The calendar is incomplete (it does not end with END:VCALENDAR): probably a truncated download."
        )
