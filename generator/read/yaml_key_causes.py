"""Root causes of a YAML syntax error around keys: a key without its colon, a colon inside text
that reads as a key, and a line indented out of its place. RootCause (yaml_causes.py) tries these
among its rules."""

from __future__ import annotations

from generator.read.yaml_text import (
    BLOCK_SCALAR,
    KEY_BEFORE,
    Cause,
    SourceText,
    spaces,
)


class KeyRules(SourceText):
    """The rules about keys and indentation, for RootCause."""

    def _missing_colon(self) -> Cause | None:
        """A line that should be a key: the parser notices only at the next line."""
        if "could not find expected ':'" not in self.problem or self.opened is None:
            return None
        line, column = self.opened
        return self._not_a_key(line, column)

    def _not_a_key(self, line: int, column: int) -> Cause:
        """What is wrong with a line that starts (at ``column``) where a key should be."""
        text = self.lines[line][column:]
        word = self._word(line, column)
        for above in self._content_before(line):
            block = BLOCK_SCALAR.match(self.lines[above])
            if block and self._indent(above) >= column:
                return (
                    line,
                    column,
                    "the text of a '|' or '>' block is not indented",
                    f"indent every line of the text more than '{block.group(1).strip()}' "
                    f"on line {self._line_no(above)}",
                )
            break
        if len(text) > 1 and text[0] == "-" and not text[1].isspace():
            return (
                line,
                column,
                f"'{word}' is not a list item",
                f"a list item needs a space after '-': write '- {text[1:].split()[0]}'",
            )
        colon = word.find(":")
        if 0 < colon < len(word) - 1:
            return (
                line,
                column + colon,
                "':' without a space after it",
                f"a field is written 'name: value', with a space: '{word[:colon]}: "
                f"{word[colon + 1 :]}'",
            )
        for above in self._content_before(line):
            indent = self._indent(above)
            if indent == column and self.lines[above][indent:].startswith("- "):
                return (
                    line,
                    column,
                    f"'{word}' is neither a list item nor a field",
                    f"missing '- ' before '{word}'? Or ':' after it?",
                )
            if indent <= column:
                break
        return (
            line,
            column + len(word),
            f"'{word}' is not followed by ':'",
            f"missing ':' after '{word}'? Each field is written 'name: value'",
        )

    def _colon_in_text(self) -> Cause | None:
        """A ': ' inside a text that began on an earlier line: a key without its colon
        above, or a key indented deeper than the one before it."""
        if "mapping values are not allowed" not in self.problem or self.at is None:
            return None
        line, column = self.at
        plain = [t for t in self._tokens if not t.style]
        if not plain or plain[-1].end_mark.line != line or plain[-1].start_mark.line == line:
            return None
        start = plain[-1].start_mark
        before = self.lines[start.line][: start.column]
        if not before.strip():
            return self._not_a_key(start.line, start.column)
        indent = self._indent(line)
        key = self.lines[line][indent:column].strip()
        first = self.lines[start.line]
        opening = self._indent(start.line)
        if first[opening : opening + 1] == "-" and first[opening + 1 : opening + 2].strip():
            return self._not_a_key(start.line, opening)  # '-key: value': no space after '-'
        if before.strip() == "-":
            if indent == start.column:  # lined up with the item's text: a field, its colon lost
                return self._not_a_key(start.line, start.column)
            return (
                line,
                indent,
                f"'{key}' is indented under the list item on line {self._line_no(start.line)}",
                "line it up with the fields above it; if the line goes on the item's text, "
                "put that text in quotes",
            )
        named = KEY_BEFORE.search(before)
        parent = named.group(1).strip() if named else self._label(start.line)
        after = next(self._content_after(line), None)
        if after is not None and self._indent(after) == indent and opening < indent:
            # The fields below line up with this one: the line above is the one out of line.
            return (
                start.line,
                opening,
                f"'{parent}' is indented less than the fields below it",
                f"line it up with '{key}' on line {self._line_no(line)} ({spaces(indent)})",
            )
        return (
            line,
            indent,
            f"'{key}' is indented more than '{parent}' on line {self._line_no(start.line)}",
            f"fields of one mapping line up: indent '{key}' as '{parent}' is; if the line "
            f"goes on the text of '{parent}', put that text in quotes",
        )

    def _out_of_line(self) -> Cause | None:
        """A line the parser cannot place: indented between two levels, a '- ' item where
        a field is expected, or a first line with spaces before it."""
        if self.at is None or "flow" in self.context:
            return None
        line, column = self.at
        if line >= len(self.lines) or column != self._indent(line) or not self._is_content(line):
            return None
        earlier = list(self._content_before(line))
        if not earlier:
            return None
        if all(self._indent(n) > column for n in earlier):
            first = earlier[-1]
            return (
                first,
                self._indent(first),
                "the first line is indented",
                "an item's fields start at the left margin, with no space before them",
            )
        scope: list[tuple[int, int, str]] = []
        """Where the lines of this block and the one that holds it start: (column, line,
        label); a list item's line starts twice, at its '- ' and at what follows it."""
        shapes: set[tuple[int, bool]] = set()
        for n in earlier:
            indent = self._indent(n)
            shape = (indent, self.lines[n][indent : indent + 2] == "- ")
            if shape not in shapes:  # the nearest line of each shape is the one a hint names
                shapes.add(shape)
                scope.extend((start, n, label) for start, label in self._starts(n))
            if indent < column:
                break
        if all(start != column for start, _, _ in scope):
            inner = [s for s in scope if s[0] > column]
            outer = [s for s in scope if s[0] < column]
            nearest = [min(inner, key=lambda s: (s[0], -s[1]))] if inner else []
            after = next(self._content_after(line), None)
            if (
                nearest
                and nearest[0][1] == earlier[0]
                and after is not None
                and self._indent(after) == column
            ):  # the lines below line up with this one: the line above is the one out of line
                start, above, label = nearest[0]
                shift = start - column
                return (
                    above,
                    self._indent(above),
                    f"'{self._label(above)}' does not line up with the lines below it",
                    f"move it {spaces(shift).replace('space', 'column')} left, so that "
                    f"'{label}' lines up with '{self._label(line)}' on line {self._line_no(line)}",
                )
            if outer:
                nearest.append(max(outer))
            choices = [
                f"as '{label}' on line {self._line_no(n)} ({spaces(start)})"
                for start, n, label in nearest
            ]
            return (
                line,
                column,
                f"'{self._label(line)}' does not line up with the lines above it",
                f"indent it {', or '.join(choices)}",
            )
        text = self.lines[line]
        if text[column : column + 1] == "-" and text[column + 1 : column + 2].strip():
            return self._not_a_key(line, column)  # '-item': a list item needs its space
        if "expected '-' indicator" in self.problem:
            item = next((n for n in earlier if self.lines[n][column:].startswith("- ")), None)
            if item is not None:
                field = self._starts(item)[-1]
                return (
                    line,
                    column,
                    f"'{self._label(line)}' is in a list but is not a list item",
                    f"indent it as '{field[1]}' on line {self._line_no(item)} "
                    f"({spaces(field[0])}) if it "
                    "belongs to that item, or start it with '- ' if it is an item of its own",
                )
        if self._char(line, column) != "-":
            return None
        for n in earlier:
            if self._indent(n) < column:
                break
            text = self.lines[n][column:]
            if self._indent(n) == column and len(text) > 1 and text[0] == "-" and text[1] != " ":
                return self._not_a_key(n, column)
        return (
            line,
            column,
            "a list item where a field is expected",
            "a '- ' item belongs in a list, indented under its field (such as 'topics:'): "
            "put it there, or remove the '- '",
        )
