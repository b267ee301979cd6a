"""jupymuse.Score / melody.show(): verovio's SVG of a melody, its note ids, colours, limits and bad input."""

import base64
import re
import subprocess
import sys
from xml.etree import ElementTree

import pytest

import jupymuse
from jupymuse import Melody, Note, Score
from jupymuse.errors import ScoreError, SettingError
from jupymuse.music.engrave import fewest_pieces
from jupymuse.music.score import ACCENT, MAX_SCORE_NOTES, MAX_SCORE_PIECES, PAPER

NOTE_G = re.compile(r'<g id="([^"]+)" class="note"')
REST_G = re.compile(r'<g id="([^"]+)" class="(?:rest|mRest)"')


def chorale() -> Melody:
    """BWV 1.6, the first chorale (its file alone is converted: quick)."""
    [melody] = jupymuse.load_corpus("bach-chorales:bwv1.6", progress=False)
    return melody


def rests(melody: Melody) -> int:
    """The melody's rests: gaps between notes (a pickup's silence is no rest) and the last bar's filling."""
    gaps = sum(b.start > a.end for a, b in zip(melody.notes, melody.notes[1:], strict=False))
    return gaps + (melody.end % melody.steps_per_bar != 0)


def test_a_chorale_has_one_note_element_per_note_and_one_rest_element_per_rest() -> None:
    melody = chorale()
    score = Score(melody)
    notes = NOTE_G.findall(score.svg)
    assert len(notes) == len(melody) == 70  # no note of this chorale crosses a bar line
    assert len(REST_G.findall(score.svg)) == rests(melody) == 2
    assert sorted(score.note_ids[i] for i in notes) == list(range(len(melody)))
    assert REST_G.findall(score.svg) == list(score.rest_ids)


def test_tied_notes_map_back_to_one_melody_note() -> None:
    melody = Melody.from_notation("C5:12 D5:12 E5:4 r:16 F5:4", key="C major")  # D5 crosses the bar line
    score = Score(melody)
    ids = NOTE_G.findall(score.svg)
    assert [score.note_ids[i] for i in ids] == [0, 1, 1, 2, 3]
    assert [i.removeprefix(ids[0].removesuffix("n0")) for i in ids] == ["n0", "n1", "n1-1", "n2", "n3"]
    assert len(REST_G.findall(score.svg)) == len(score.rest_ids) == 2  # r:16: a quarter, a dotted half
    assert [i.removeprefix(ids[0].removesuffix("n0")) for i in score.rest_ids] == ["r0", "r0-1"]
    assert score.svg.count('class="tie"') == 1


def test_the_bundle_is_svg_on_white_paper_as_svg_and_html_with_a_line_of_text() -> None:
    score = chorale().show()
    bundle = score._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    assert f'<rect width="100%" height="100%" fill="{PAPER}"/>' in svg  # readable in a dark theme
    assert "<script" not in svg
    assert "<foreignObject" not in svg
    assert bundle["text/plain"] == "<Score 'BWV 1.6': 70 notes, 21 bars of 4/4, F major>"
    assert "BWV 1.6" in svg  # the title, engraved
    assert Score(chorale()).svg == svg  # the same score is the same text (stable notebook diffs)


def test_width_highlight_and_generated_notes() -> None:
    melody = Melody.from_notation("G4:4 A4:4 B4:4 C5:4 D5:4 E5:4 F#5:4 G5:4", key="G major")
    narrow, wide = Score(melody, width=300), Score(melody, width=1200)
    assert narrow.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ')
    assert 'width="300px"' in narrow.svg.split(">", 1)[0]
    assert 'width="1200px"' in wide.svg.split(">", 1)[0]
    coloured = Score(melody, accent_from=16, highlight={1: "#e91e63"})
    colours = dict(re.findall(r'<g id="[^"]+n(\d+)" class="note" color="(#\w+)"', coloured.svg))
    assert colours == {"1": "#e91e63", "4": ACCENT, "5": ACCENT, "6": ACCENT, "7": ACCENT}
    assert NOTE_G.findall(coloured.svg)[0] != NOTE_G.findall(Score(melody).svg)[0]  # two scores, two id sets


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"width": 50}, "width must be a whole number of pixels from 200 to 4000"),
        ({"width": 720.5}, "width must be"),
        ({"highlight": {8: "#ff0000"}}, "8 is not a note index of this melody"),
        ({"highlight": {0: "red; fill: url(x)"}}, "must look like '#e91e63'"),
        ({"accent_from": "4"}, "accent_from must be a step"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(SettingError, match=re.escape(message)):
        Score("C4:4 D4:4 E4:4 F4:4 G4:4 A4:4 B4:4 C5:4", **options)  # type: ignore[arg-type]


def test_an_empty_melody_is_an_empty_staff() -> None:
    score = Score(Melody())
    assert NOTE_G.findall(score.svg) == []
    assert len(REST_G.findall(score.svg)) == 1  # one bar rest
    assert 'class="staff"' in score.svg
    assert 'class="clef"' in score.svg
    assert repr(score) == "<Score: 0 notes, 1 bars of 4/4, C major (guessed)>"


def test_a_melody_with_no_key_gets_a_guessed_key() -> None:
    melody = Melody.from_notation("G4:4 A4:4 B4:4 C5:4 D5:4 F#5:4 G5:8")
    assert melody.key is None
    score = Score(melody)
    assert "G major (guessed)" in repr(score)
    assert score.svg.count('class="keyAccid"') == 1  # one sharp


def test_a_huge_melody_is_refused_before_any_work() -> None:
    huge = Melody([Note(60 + i % 12, i, 1) for i in range(100_000)])
    with pytest.raises(ScoreError, match=r"at most 4,000 notes \(MAX_SCORE_NOTES\) and this melody has 100,000"):
        Score(huge)
    assert MAX_SCORE_NOTES == 4000
    quarters = Melody([Note(60 + i % 12, 4 * i, 4) for i in range(MAX_SCORE_NOTES)])  # 1,000 bars
    longest = Score(quarters, width=200)  # the limit itself engraves: verovio's pages stacked
    assert len(NOTE_G.findall(longest.svg)) == MAX_SCORE_NOTES
    assert len(re.findall(r'<svg x="0" y="[\d.]+"', longest.svg)) > 1
    ElementTree.fromstring(longest.svg)  # one well-formed document


def test_verovio_stays_quiet() -> None:
    code = (
        "import jupymuse; from jupymuse import Melody, Score;"
        "Score(Melody.from_notation('C4:1 D4:1 E4:1 F4:1 G4:1 A4:10', steps_per_quarter=5, time_signature=(7, 8)));"
        "Score(Melody())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("", "")


def test_a_melody_filling_too_many_bars_is_refused() -> None:
    one_long_note = Melody([Note(60, 0, (1 << 20) - 1)])
    with pytest.raises(ScoreError, match=r"at most 2,000 bars \(MAX_SCORE_BARS\) and this melody fills 65,536 bars"):
        Score(one_long_note)
    with pytest.raises(ScoreError, match="fills 8,388,600 bars of 1/128; at most 50,000 can be written out"):
        one_long_note.replace(time_signature=(1, 128)).to_musicxml()


def test_a_saved_score_shows_in_nbconvert_html_without_a_kernel() -> None:
    """IPython's own formatter takes the bundle; nbconvert's HTML keeps the SVG whole (no script, no kernel).

    nbconvert shows it as an image: the score's own white paper, not the page's colours, makes it readable.
    """
    import nbformat
    from IPython.core.formatters import DisplayFormatter
    from nbconvert import HTMLExporter

    score = Melody.from_notation("G4:4 A4:4 B4:8 C5:2 D5:2 E5:4 r:4 G4:16", meta={"title": "Saved"}).show()
    data, _ = DisplayFormatter().format(score)
    assert data["image/svg+xml"] == score.svg
    output = nbformat.v4.new_output("display_data", data=data)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("melody.show()", outputs=[output])])
    html, _ = HTMLExporter().from_notebook_node(notebook)
    [embedded] = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)  # nbconvert 7: an image
    assert base64.b64decode(embedded).decode() == score.svg
    assert [score.note_ids[i] for i in NOTE_G.findall(score.svg)] == [0, 1, 2, 3, 4, 5, 6, 6]  # G4:16 is tied


def test_values_counted_by_the_layout_are_bounded_before_engraving() -> None:
    """Found by the scores fuzz target: one note in 255/128 bars is 6,279 values although its lower bound
    says 1,042 (each odd bar splits it in several), 6 CPU-s of engraving: the layout's count refuses it."""
    odd = Melody([(88, 1, 50_000)], steps_per_quarter=4, time_signature=(255, 128))
    assert fewest_pieces(odd) < MAX_SCORE_PIECES
    with pytest.raises(ScoreError, match=r"at most 4,000 written notes and rests .* written with 6,279 in"):
        odd.show()


def test_one_very_long_note_is_refused_before_any_engraving() -> None:
    """Issue 21, case 2: 160,000 steps in bars of 255/1 would be 13,334 tied values (half a minute in verovio,
    holding its lock): refused by the piece count, found without laying anything out."""
    long_note = Melody([(60, 0, 160_000)], steps_per_quarter=1, time_signature=(255, 1))
    with pytest.raises(ScoreError, match=r"at most 4,000 written notes \(MAX_SCORE_PIECES\).*at least 13,334"):
        long_note.show()
    assert fewest_pieces(long_note) == 13_334
    assert fewest_pieces(Melody.from_notation("C4:4 D4:48 E4:49")) == 1 + 1 + 2  # 48 steps: one dotted breve


def test_highlight_takes_indices_or_colours_and_refuses_other_things() -> None:
    """Issue 21, case 7: a list of indices raised AttributeError."""
    from jupymuse.errors import SettingError
    from jupymuse.music.score import HIGHLIGHT

    m = Melody.from_notation("C4:4 D4 E4 F4")
    assert m.show(highlight=[1, 3]).svg == m.show(highlight={1: HIGHLIGHT, 3: HIGHLIGHT}).svg
    assert HIGHLIGHT in m.show(highlight=(2,)).svg
    for bad in ("1", 3, 2.5, object()):
        with pytest.raises(SettingError, match="highlight must be note indices"):
            m.show(highlight=bad)  # type: ignore[arg-type]
    with pytest.raises(SettingError, match="not a note index"):
        m.show(highlight=[9])
