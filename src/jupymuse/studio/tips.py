"""The Studio's tooltips: what each control does to the music, in plain words (not the maths).

One place for them so every control has one (a test checks that none is empty) and so they read
alike. The sampling fields' own one-line help (``FIELD_HELP``) is for the command line; these are for
someone who has never heard of top-p.
"""

from __future__ import annotations

TIPS: dict[str, str] = {
    "generate": "Write new notes after the melody: several candidates to choose from",
    "cancel": "Stop the Generate that is running; the melody stays as it was",
    "prev": "Show the previous candidate",
    "next": "Show the next candidate",
    "accept": "Keep the candidate shown as part of the melody",
    "regenerate": "A new idea: throw these candidates away and write new ones with a new seed (shown in Seed)",
    "fill": "Write new notes for the selected span that lead from the notes before it into the notes after it",
    "vary": "Write the selected phrase anew, keeping its rhythm or its pitches (choose under More)",
    "vary_keep": "What Vary keeps of the selected phrase: its rhythm (new pitches) or its pitches (a new rhythm)",
    "contour": "With new pitches on the same rhythm: each note still goes up, down or stays, as before",
    "new_from": "Make the selected notes the whole melody, moved to the first bar (Undo brings the rest back)",
    "abc_text": "Paste an ABC tune here (X:, T:, M:, L:, K: and the notes), then press Open ABC",
    "open_abc": "Open the ABC tune pasted on the left as the melody (of several tunes, the first)",
    "continue": "Select a note before the last to continue from it; Generate continues after the last note",
    "undo": "Nothing to undo",
    "redo": "Nothing to redo",
    "play": "Listen to the melody from the start",
    "style": "The kind of music to write: chorale, Irish, German or Chinese folk song (only the GRU knows styles)",
    "length": "How much music Generate writes: a number of bars, or the number of notes set under More",
    "more": "Show or hide the rest of the settings (the Studio remembers which)",
    "model": "Who writes the notes: the trained GRU network, or a Markov chain that copies note patterns",
    "corpus": "The songs the Markov chain learns its note patterns from",
    "seed": "The dice roll: the same seed and settings always give the same notes. Generate, Fill and Vary "
    "keep it, so changing one setting and pressing again changes only what that setting does; "
    "Regenerate draws a new one",
    "n": "How many different continuations to write at once",
    "temperature": "How adventurous the notes are: low is safe and repetitive, high is surprising and wild",
    "top_k": "Only choose among this many of the most likely notes (0 = any note). Lower is safer",
    "top_p": "Leave out the least likely notes: 1 keeps them all, lower keeps only the likely ones",
    "notes": "How many notes (and rests, which count too) Generate writes when Length is set to notes",
    "ending": "How the new music stops: where the length runs out, where the model ends a tune (on its home note), "
    "or on the home note with a cadence leading to it",
    "key": "The melody's key (its home note and scale); 'detected' uses the key most of its notes fit",
    "meter": "The time signature: how many beats make a bar, and which note gets the beat",
    "key_lock": "Only use notes of the melody's key (shown in brackets)",
    "range_lock": "Stay between the melody's lowest and highest notes, give or take a tone",
    "surprise": "Colour each note by how much it surprised the model: the more surprising, the stronger",
    "evidence": "Colour each note by how much it sounds like the style (your Style, else the one it is most like): "
    "purple like it, orange unlike it",
    "mix_with": "Blend the style with a second one ('none' for one style alone)",
    "train_corpus": "The songs a new GRU learns from when you press Train (the Markov chains' corpus too)",
    "epochs": "How many times training goes through all the songs: more learns more, and takes longer",
    "mix": "How much of the first style is in the blend: left is all the second, right all the first",
    "style_strength": "How hard the style leads: 1 as the model learned it, more to follow the style over notes "
    "from another style, 0 for no style",
}
"""The tooltip of each control, by the name the Studio gives it."""
NO_SPAN = (
    "Select a span first: click a note and Shift+click another (every note between is selected), "
    "or click or drag on the roll's ruler (a bar, or the steps dragged)"
)
"""Fill's, Vary's and New from selection's tooltip while no span is selected (they are disabled then)."""
NO_STYLES = "Style evidence needs a model that knows styles (the GRU); this model knows none"
"""The style-evidence switch's tooltip while the chosen model knows no styles (it is disabled then)."""
