"""Scripts nobody has seen: whatever a script holds, `import` writes drafts that `check` passes,
with every paragraph's words in a segment, or says why it cannot (no marker at all).

Scripts are drawn from the markers in every spelling a newsroom uses (brackets, spaces, case,
a colon after), captions or none, credits or none, and text with what breaks YAML, Markdown and
HTML, other scripts, control and bidirectional characters, CRLF and a byte-order mark.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import ContentError
from generator.edit.drafts import ScriptError, write_import
from generator.edit.importer import import_script
from generator.edit.script import clean, has_words
from generator.pipeline import check
from generator.read.outline import as_read

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "sample" / "content"

MARKERS = {
    "narration": ["【Commentary】", "[commentary]", "【 Commentary 】:", "【解说】", "［解说］："],
    "soundbite": [
        "【During the same period】",
        "【during the same period】",
        "【同期】",
        "【同期声】",
    ],
    "stand-up": ["【现场】", "[Stand-up]", "【On the scene】"],
}
HOSTILE = (
    "#: |>-&*!%@`{}[]<>\"'\\ <script>alert(1)</script> [x](javascript:alert(1)) ---  ...  "
    "1,<>00 <>.5 2019 3.5 million pairs 成都鞋业 \t \x00\x07\x1b\x7f\x85 \u202e\u2066 "
    "\ufeff\u200b é ß 🥿 ‘’ “” —"
)
words = st.text(alphabet=st.sampled_from(HOSTILE + "abcdefghij klmnop"), min_size=1, max_size=60)
sentence = words.filter(lambda t: t.strip() and "\n" not in t and "\r" not in t)
name = st.sampled_from(["Li Na", "Wang Jun", "张三", "O'Brien Li", "Mei <b>Lin</b>", "Tan Qijian"])
role = st.sampled_from(
    ["designer", "president of Sichuan Footwear Association", "founder of a shop"]
)


@st.composite
def scripts(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    paragraphs, texts = [], []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(sorted(MARKERS)))
        marker = draw(st.sampled_from(MARKERS[kind]))
        text = draw(sentence)
        if kind == "soundbite" and draw(st.booleans()):
            paragraphs += [f"{marker}{draw(name)}, {draw(role)}", text]
        elif draw(st.booleans()):
            paragraphs.append(f"{marker}{text}")
            if not marker.endswith((":", "：")):  # a colon right after a marker is the marker's
                text = re.sub(r"^\s*[:：]", "", clean(text)[0])
        else:
            paragraphs += [marker, text]
        texts.append(text)
    if draw(st.booleans()):
        paragraphs.append(f"Reporting by {draw(name)} in Chengdu, Sichuan")
    if draw(st.booleans()):
        paragraphs.append(f"责任编辑：[{draw(name)}]")
    body = "\n\n".join(paragraphs) + "\n"
    if draw(st.booleans()):
        body = body.replace("\n", "\r\n")
    raw = body.encode("utf-8")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw, texts


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scripts())
def test_any_script_imports_to_drafts_that_check_passes(
    tmp_path_factory: object, script: tuple[bytes, list[str]]
) -> None:
    raw, texts = script
    content = Path(str(tmp_path_factory.mktemp("content")))  # type: ignore[attr-defined]
    shutil.rmtree(content)
    shutil.copytree(SAMPLE, content)
    try:
        result = import_script(raw, content, "imported-story")
    except ScriptError as error:  # only a script whose every paragraph is empty or a credit
        assert "no segment found" in str(error)
        assert not any(has_words(clean(t)[0]) for t in texts)
        return
    write_import(result, content)
    try:
        check(content)
    except ContentError as error:
        story = (content / "stories" / "imported-story.yaml").read_text(encoding="utf-8")
        raise AssertionError(
            f"{error.format()}\n--- script:\n{raw!r}\n--- story:\n{story}"
        ) from None
    story = yaml.safe_load((content / "stories" / "imported-story.yaml").read_text("utf-8"))
    written = [  # as a reader reads them: Markdown's escapes undone
        as_read(s.get("narration") or s["soundbite"]["text"]).rstrip("\n")
        for s in story["segments"]
    ]
    for text in texts:
        words = clean(text)[0].strip()
        if has_words(words):
            assert words in written, (words, written)
