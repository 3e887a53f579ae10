"""Strict YAML: the parser's events composed into plain data with the line and column of every
key and value; no duplicate keys, no YAML 1.1 guesses (yes, 010, 1:20), no aliases, bounded size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Location, Severity
from generator.read.yaml_causes import RootCause
from generator.read.yaml_scalars import Ambiguous, is_text, plain_value
from generator.read.yaml_text import ODD_BREAK, Lines, Loader, Position

_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


MAX_DEPTH = 32


MAX_NODES = 100_000


PathKey = tuple[str | int, ...]

NOT_SPACE = re.compile(r"\S")


class LoadError(Exception):
    """A file that cannot be read as content; carries every problem found in it, in order.

    A syntax error stops the parser, so it comes alone; the traps the parser survives
    (YAML 1.1 guesses, duplicate keys) are all collected, so one run reports them all.
    """

    def __init__(self, diagnostic: Diagnostic, *more: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.diagnostics = [diagnostic, *more]


class Retry(Exception):
    """The quick reading met something to report: read the file again, noting positions."""


def syntax_error(display: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Location(display, line, column), Severity.ERROR, message, hint)


class Composer:
    """Builds plain data from the parser's events, checking as it goes.

    With ``quick``, notes no positions and stops at the first problem (raising Retry) that
    needs them or that more problems may follow; a file without one is read in one pass.
    """

    def __init__(self, display: str, text: str, *, quick: bool = False) -> None:
        self.display = display
        self.text = text
        self.quick = quick
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.nodes = 0
        self.problems: list[Diagnostic] = []
        self.lines = Lines(text) if ODD_BREAK.search(text) else None
        """Set when the parser counts lines otherwise than editors (see Lines)."""

    def compose(self) -> Any:
        """The file's data; raises LoadError with every problem found, in order."""
        loader = Loader(self.text)
        # The parser's events, up to None once the stream has ended: a loop in C.
        events: Iterator[yaml.Event] = iter(loader.get_event, None)
        try:
            next(events)  # StreamStart
            start = next(events)
            if isinstance(start, yaml.StreamEndEvent):  # only comments
                raise LoadError(
                    syntax_error(
                        self.display,
                        1,
                        1,
                        "file is empty",
                        "write the item's fields, or delete the file",
                    )
                )
            if self.quick:
                data = self._quick_node(events, next(events), 0)
                if self.nodes > MAX_NODES:
                    raise Retry
            else:
                data = self._node(events, next(events), (), 0)
            next(events)  # DocumentEnd
            extra = next(events)
            if not isinstance(extra, yaml.StreamEndEvent):
                raise LoadError(
                    self._at(
                        extra.start_mark,
                        "file holds more than one YAML document",
                        "one item a file: remove the '---' and what follows, "
                        "or move it to its own file",
                    )
                )
        except yaml.MarkedYAMLError as exc:
            raise LoadError(self._syntax(exc)) from None
        except yaml.YAMLError as exc:
            raise LoadError(syntax_error(self.display, 1, 1, f"YAML error: {exc}")) from None
        finally:
            loader.dispose()
        if self.problems:
            raise LoadError(*self.problems)
        return data

    def _at(self, mark: Any, message: str, hint: str = "") -> Diagnostic:
        return syntax_error(self.display, *self._position(mark), message, hint)

    def _position(self, mark: Any) -> Position:
        """Where a mark is, as an editor counts lines and columns (from 1)."""
        if self.lines is None:
            return mark.line + 1, mark.column + 1
        return self.lines.at(mark.index)

    def _syntax(self, exc: yaml.MarkedYAMLError) -> Diagnostic:
        try:
            cause = RootCause(self.text, exc, self.lines).find()
        except Exception:  # pragma: no cover - a guess that fails must not cost the error
            cause = None
        if cause is not None:
            line, column, message, hint = cause
            if self.lines is not None:
                line, column = self.lines.of(line, column)
            else:
                line, column = line + 1, column + 1
            return syntax_error(self.display, line, column, f"YAML syntax error: {message}", hint)
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        hint = "check the indentation and the quotes around this place"
        if "mapping values are not allowed" in problem:
            hint = "a value that contains ': ' must be quoted, or written as a block with '|'"
        elif "could not find expected ':'" in problem:
            hint = "each field is written 'name: value'; a long text needs quotes or '|'"
        elif any(word in f"{problem} {exc.context}" for word in ("alias", "anchor")):
            hint = "anchors (&) and aliases (*) are not allowed in content"
        if mark is None:
            return syntax_error(self.display, 1, 1, f"YAML syntax error: {problem}", hint)
        if exc.context and exc.context not in problem:
            problem = f"{problem} ({exc.context})"
        return self._at(mark, f"YAML syntax error: {problem}", hint)

    def _too_much(self, event: yaml.Event, depth: int) -> None:
        if self.nodes > MAX_NODES:
            raise LoadError(
                self._at(
                    event.start_mark,
                    f"file has more than {MAX_NODES:,} values",
                    "a content item is small; split this list into separate items",
                )
            )
        if depth > MAX_DEPTH:
            raise LoadError(
                self._at(
                    event.start_mark,
                    f"nesting is deeper than {MAX_DEPTH} levels",
                    "content items are shallow: check the indentation",
                )
            )

    def _quick_node(self, events: Iterator[yaml.Event], event: yaml.Event, depth: int) -> Any:
        """As _node, noting no positions; anything unusual is read again by _node.

        Most values are text: a mapping or list takes those in its own loop, with no call.
        How many values there were is checked once the file is read (see compose).
        """
        self.nodes += 1
        kind = event.__class__
        # At the deepest level allowed, a container's values would be too deep: let _node say.
        if depth >= MAX_DEPTH or kind is _ALIAS or event.anchor:
            raise Retry
        if kind is _SCALAR:
            return event.value if is_text(event) else self._scalar(event)
        if kind is _MAPPING:
            mapping: dict[str, Any] = {}
            for child in events:
                if child.__class__ is _MAPPING_END:
                    return mapping
                if child.__class__ is _SCALAR and child.value and not child.anchor:
                    name = child.value  # a plain key, as _key reads it
                else:
                    name = self._key(child)
                if name in mapping:
                    raise Retry
                value = next(events)
                if value.__class__ is _SCALAR and not value.anchor and is_text(value):
                    self.nodes += 1
                    mapping[name] = value.value
                else:
                    mapping[name] = self._quick_node(events, value, depth + 1)
        if kind is _SEQUENCE:
            items: list[Any] = []
            for child in events:
                if child.__class__ is _SEQUENCE_END:
                    return items
                if child.__class__ is _SCALAR and not child.anchor and is_text(child):
                    self.nodes += 1
                    items.append(child.value)
                else:
                    items.append(self._quick_node(events, child, depth + 1))
        raise Retry  # pragma: no cover

    def _node(
        self, events: Iterator[yaml.Event], event: yaml.Event, key: PathKey, depth: int
    ) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            self._too_much(event, depth)
        kind = event.__class__
        if kind is yaml.AliasEvent:
            raise LoadError(
                self._at(
                    event.start_mark,
                    "aliases (*name) are not allowed in content",
                    "write the value out in full",
                )
            )
        if getattr(event, "anchor", None):
            raise LoadError(
                self._at(
                    event.start_mark,
                    "anchors (&name) are not allowed in content",
                    "remove the anchor and write each value out in full",
                )
            )
        mark = event.start_mark
        self.values[key] = self._position(mark)
        if kind is yaml.ScalarEvent:
            return self._scalar(event)
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            for child in events:
                if child.__class__ is yaml.SequenceEndEvent:
                    return items
                items.append(self._node(events, child, (*key, len(items)), depth + 1))
        if kind is yaml.MappingStartEvent:
            mapping: dict[str, Any] = {}
            for child in events:
                if child.__class__ is yaml.MappingEndEvent:
                    return mapping
                name = self._key(child)
                path = (*key, name)
                if name in mapping:
                    first = self.keys[path]
                    self.problems.append(
                        self._at(
                            child.start_mark,
                            f"duplicate key '{name}'",
                            f"'{name}' is already set at line {first[0]}; keep one of them",
                        )
                    )
                    self._node(events, next(events), (*key, f"{name} (again)"), depth + 1)
                    continue
                mark = child.start_mark
                self.keys[path] = self._position(mark)
                mapping[name] = self._node(events, next(events), path, depth + 1)
        raise LoadError(self._at(event.start_mark, "unexpected YAML structure"))  # pragma: no cover

    def _key(self, event: yaml.Event) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            raise LoadError(
                self._at(
                    event.start_mark, "a key must be a plain name", "write keys as 'name: value'"
                )
            )
        if getattr(event, "anchor", None):
            raise LoadError(
                self._at(event.start_mark, "anchors (&name) are not allowed in content")
            )
        value = event.value
        if not value:
            raise LoadError(self._at(event.start_mark, "empty key", "write keys as 'name: value'"))
        return value

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        value = event.value
        if event.tag not in (None, "!"):
            raise LoadError(
                self._at(
                    event.start_mark,
                    f"YAML tags such as '{event.tag}' are not allowed",
                    "remove the tag; write the plain value",
                )
            )
        if not event.implicit[0]:  # quoted or block: always text
            return value
        found = plain_value(value)
        if found.__class__ is Ambiguous:
            return self._trap(event, self._at(event.start_mark, found.message, found.hint))
        return found

    def _trap(self, event: yaml.ScalarEvent, problem: Diagnostic) -> str:
        """Note a value YAML 1.1 would misread, and read on so the rest of the file is checked."""
        if self.quick:
            raise Retry
        self.problems.append(problem)
        return str(event.value)
