"""Where a YAML syntax error comes from: the parser stops where it got stuck, often a line or
more after the mistake; these rules work back to the mistake editors made."""

from __future__ import annotations

from generator.read.yaml_text import (
    BLOCK_SCALAR,
    KEY_BEFORE,
    KEY_LINE,
    ODD_NAMES,
    QUOTE_HINT,
    Cause,
    SourceText,
    closes_on_its_line,
    spaces,
)


class RootCause(SourceText):
    """Where a YAML syntax error comes from.

    The parser reports where it got stuck, which is often a line or more after the mistake:
    a key without its colon is noticed at the next line, a quote left open at the next
    quote or the end of the file. This works back to the mistake from the error, the text
    and the tokens read before it, for the mistakes editors make; anything else is
    reported where the parser stopped.
    """

    def find(self) -> Cause | None:
        for rule in (
            self._odd_break,
            self._tab,
            self._open_quote,
            self._text_after_quote,
            self._open_bracket,
            self._stray_closer,
            self._missing_colon,
            self._colon_in_text,
            self._out_of_line,
            self._reserved,
            self._escape,
            self._block_indicator,
        ):
            found = rule()
            if found is not None:
                return found
        return None

    # What the text holds

    # The rules, most certain first

    def _odd_break(self) -> Cause | None:
        """A NEL, LS or PS character that the parser took for a line break, where an editor
        shows none: the text after it is read as a line of its own."""
        if self.converter is None:
            return None
        for mark in (self.opened, self.at):
            if mark is None or mark[0] >= len(self.converter.parser_starts):
                continue
            start = self.converter.parser_starts[mark[0]]
            if start and self.text[start - 1] in ODD_NAMES:
                line, column = mark[0] - 1, len(self.lines[mark[0] - 1])
                return (
                    line,
                    column,
                    f"an invisible {ODD_NAMES[self.text[start - 1]]} breaks this line",
                    "YAML reads it as a line break, though editors show none: delete it, or "
                    "put the text in quotes",
                )
        return None

    def _tab(self) -> Cause | None:
        if self.at is None:
            return None
        line, column = self.at
        if self._char(line, column) != "\t":
            return None
        if not self.lines[line][:column].strip(" \t"):
            return (
                line,
                column,
                "tab character used for indentation",
                "YAML indents with spaces only: replace the tab with spaces",
            )
        return (
            line,
            column,
            "tab character where a space is needed",
            "YAML separates with spaces: replace the tab with a space",
        )

    def _open_quote(self) -> Cause | None:
        """A quote never closed: read up to the next quote mark (which was meant to open
        another text) or to the end of the file."""
        for token in self._quoted:
            start, end = token.start_mark, token.end_mark
            if start.line == end.line:
                continue
            opening = self._indent(start.line)
            swallowed = range(start.line + 1, end.line + 1)
            if any(KEY_LINE.match(self.lines[n]) and self._indent(n) <= opening for n in swallowed):
                return self._unclosed(start.line, start.column, token.style, end.line)
        if self.context == "while scanning a quoted scalar" and self.opened is not None:
            line, column = self.opened
            return self._unclosed(line, column, self._char(line, column), None)
        return None

    def _unclosed(self, line: int, column: int, quote: str, until: int | None) -> Cause:
        to = "the end of the file" if until is None else f"line {self._line_no(until)}"
        return (
            line,
            column,
            "unclosed quote",
            f"the quote opened here is never closed: end the text with {quote} "
            f"(as it is, the text runs on to {to})",
        )

    def _text_after_quote(self) -> Cause | None:
        """A text that goes on after its closing quote: most often an apostrophe or a quote
        mark inside the text, which closed it early."""
        if self.at is None:
            return None
        line, column = self.at
        for token in reversed(self._quoted):
            end = token.end_mark
            if end.line == line and not self.lines[line][end.column : column].strip():
                if column >= len(self.lines[line]) or self._char(line, column) in "#,]}:":
                    return None
                opened = token.start_mark
                where = "" if opened.line == line else f" on line {self._line_no(opened.line)}"
                return (
                    line,
                    end.column - 1,
                    "text goes on after its closing quote",
                    "this quote ends the text quoted at column "
                    f"{self._place(opened.line, opened.column)[1]}{where}: "
                    + QUOTE_HINT[token.style],
                )
            break
        return None

    def _open_bracket(self) -> Cause | None:
        """A '[' or '{' not closed on its line: the lines after it are read into it."""
        if self.opened is None or "flow" not in self.context:
            return None
        line, column = self.opened
        bracket = self._char(line, column)
        if bracket not in ("[", "{") or self.at is None or self.at[0] == line:
            return None
        if closes_on_its_line(self.lines[line][column:]):
            return None
        closer, what = ("]", "the list") if bracket == "[" else ("}", "the mapping")
        example = "[a, b]" if bracket == "[" else "{medium: TV news report}"
        return (
            line,
            column,
            f"unclosed '{bracket}'",
            f"the '{bracket}' opened here is never closed: end {what} with '{closer}' on "
            f"this line, e.g. {example}",
        )

    def _stray_closer(self) -> Cause | None:
        if self.at is None:
            return None
        line, column = self.at
        closer = self._char(line, column)
        if closer not in ("]", "}"):
            return None
        opener = "[" if closer == "]" else "{"
        if "flow" in self.context and self.opened is not None:
            other = self._char(*self.opened)
            if other == opener or other not in ("[", "{"):
                return None
            return (
                line,
                column,
                f"'{closer}' does not close the '{other}' at column {self._place(*self.opened)[1]}",
                f"remove it, or end with '{']' if other == '[' else '}'}'",
            )
        return (
            line,
            column,
            f"'{closer}' closes nothing",
            f"remove it, or open it with '{opener}' before the values",
        )

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

    def _reserved(self) -> Cause | None:
        """A plain value that starts with a character YAML keeps for itself."""
        if self.at is None:
            return None
        line, column = self.at
        char = self._char(line, column)
        if "block sequence entries are not allowed" in self.problem and char == "-":
            return (
                line,
                column,
                "a list on the line of its field",
                "start the list on the next line, each '- ' item on its own line and indented "
                "under the field; or write it in brackets: [a, b]",
            )
        if not (
            "cannot start any token" in self.problem
            and char in ("@", "`")
            or "expected node content" in self.problem
            and char == ","
            and "flow" not in self.context
        ):
            return None
        return (
            line,
            column,
            f"a value cannot start with '{char}'",
            f'put the text in quotes: "{char}…"',
        )

    def _escape(self) -> Cause | None:
        if self.at is None or "unknown escape character" not in self.problem:
            return None
        return (
            *self.at,
            'unknown escape in a "…" text',
            'in "…" a backslash starts an escape such as \\n: write \\\\ for a backslash '
            "itself, or quote the text with '…'",
        )

    def _block_indicator(self) -> Cause | None:
        if self.at is None or self.context != "while scanning a block scalar":
            return None
        return (
            *self.at,
            "text after '|' or '>' on its line",
            "'|' and '>' start a block of text on the lines below, indented; a value that "
            "starts with '|' or '>' must be put in quotes",
        )
