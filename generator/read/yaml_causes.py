"""Where a YAML syntax error comes from: the parser stops where it got stuck, often a line or
more after the mistake; these rules work back to the mistake editors made."""

from __future__ import annotations

from generator.read.yaml_key_causes import KeyRules
from generator.read.yaml_text import (
    KEY_LINE,
    ODD_NAMES,
    QUOTE_HINT,
    Cause,
    closes_on_its_line,
)


class RootCause(KeyRules):
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
