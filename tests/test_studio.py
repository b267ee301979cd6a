"""Studio from Python: generation and candidates, settings, surprise shading, why-views, live training."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

import jupymuse
from jupymuse import JupymuseError, MarkovModel, Studio
from jupymuse.corpus import Corpus
from jupymuse.models import GRUConfig

from helpers import Gated, in_own_thread, mel

PRIMER = "G4:4 G4:4 D5:4 D5:4"


def test_generate_continues_after_the_primer_and_leaves_it_alone() -> None:
    studio = Studio(melody=PRIMER)
    studio.length.value = 16
    studio.n.value = 3
    candidates = studio.generate()
    assert len(candidates) == 3
    melody = studio.melody
    assert melody.notes[:4] == mel(PRIMER).notes
    assert len(melody) > 4
    assert all(n.start >= 16 for n in melody.notes[4:])
    assert studio.roll.accent_from == 16
    studio.show_candidate(1)
    assert studio.melody.notes[4:] == candidates[1].shift(16).notes
    studio.accept()
    assert studio.roll.accent_from == -1
    assert studio.melody.notes[4:] == candidates[1].shift(16).notes


def test_same_seed_same_result_other_temperature_other_result() -> None:
    studio = Studio(melody=PRIMER)
    a = studio.generate(24, n=1, seed=5, temperature=1.0)
    studio.undo()
    assert studio.melody == mel(PRIMER)
    b = studio.generate(24, n=1, seed=5, temperature=1.0)
    studio.undo()
    c = studio.generate(24, n=1, seed=5, temperature=1.6)
    assert a == b
    assert a != c


def test_markov_order_two_and_a_model_object(chorales: Corpus) -> None:
    studio = Studio("markov-2", PRIMER, corpus="bach-chorales:pearce185")
    [m] = studio.generate(8, n=1, seed=0)
    assert isinstance(studio.model, MarkovModel)
    assert studio.model.order == 2
    assert len(m) > 0
    mine = MarkovModel(1).fit(list(chorales)[:20])
    studio.model = mine
    assert studio.model is mine
    studio.surprise.value = False
    studio.explain()
    assert "jm-heatmap" in studio.matrix.value
    assert "jm-current-row" in studio.matrix.value
    with pytest.raises(JupymuseError):
        Studio("markov-9")


def test_key_lock_keeps_the_continuation_in_key() -> None:
    studio = Studio(melody=PRIMER)
    studio.key_lock.value = True
    studio.temperature.value = 1.5
    candidates = studio.generate(32, n=4, seed=1)
    g_major = {7, 9, 11, 0, 2, 4, 6}
    assert all(p % 12 in g_major for m in candidates for p in m.pitches)


def test_surprise_shading_matches_log_prob() -> None:
    studio = Studio(melody=PRIMER + " B4:4 A4:4 G4:8")
    studio.surprise.value = True
    shown = np.frombuffer(studio.roll.shading, dtype="<f4")
    expected = studio.model.log_prob(studio.melody).note_surprise
    np.testing.assert_allclose(shown, expected, rtol=1e-5)
    assert "surprise in bits" in studio.legend.value  # the scale and its unit, while shaded
    studio.surprise.value = False
    assert studio.roll.shading == b""
    assert studio.legend.value == ""


def test_probability_strip_follows_the_selected_note_and_the_temperature() -> None:
    studio = Studio(melody=PRIMER)
    studio.explain()
    assert "for the next note" in studio.strip.value
    studio.roll.selected = 2
    assert "before note 3" in studio.strip.value
    cool = studio.strip.value
    studio.temperature.value = 0.3
    assert studio.strip.value != cool


@pytest.mark.slow
def test_live_training_draws_a_curve_and_offers_the_model_which_use_swaps_in() -> None:
    kinder = jupymuse.load_corpus("essen:kinder", progress=False)
    studio = Studio("markov-1", PRIMER)
    tiny = GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)
    model = studio.train(list(kinder)[:40], epochs=1, background=False, config=tiny, batch_size=16)
    batches, vals = studio.curve
    assert len(batches) > 0
    assert len(vals) == 1
    assert 'data-epochs="1"' in studio.train_view.value
    markov = studio.model
    assert markov is not model  # the chain stays in use until the student chooses
    assert studio.model_picker.value == "Markov order 1"
    tab = studio.training_tab
    assert studio.train_progress.value == 1.0
    assert "finished: 100%" in tab.percent.value
    offer = studio.controller.offer
    assert offer is not None
    assert tab.offer.layout.display == ""
    assert f'data-new-bits="{offer.new_bits:.2f}"' in tab.offer_view.value
    assert f'data-current-bits="{offer.current_bits:.2f}"' in tab.offer_view.value
    assert "Current model: Markov order 1" in tab.offer_view.value
    assert "fitted on bach-chorales" not in tab.offer_view.value  # trained on kinder: not a flattering figure
    assert not tab.use_button.disabled
    assert not tab.keep_button.disabled
    tab.use_button.click()
    assert studio.model is model
    assert studio.model_picker.value == "yours: GRU (1 x 16 units)"
    assert tab.use_button.disabled
    assert tab.use_button.layout.display == "none"
    assert 'data-chosen="new"' in tab.offer_view.value
    assert "Now using the new model" in studio.status.value
    assert studio.generate(4, n=1, seed=0)


@pytest.mark.slow
def test_stop_during_training_offers_the_best_so_far_and_keep_leaves_the_model_alone() -> None:
    kinder = jupymuse.load_corpus("essen:kinder", progress=False)
    studio = Studio("markov-1", PRIMER)
    markov = studio.model
    tiny = GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)
    stopper = {"n": 0}

    def stop_soon(event: object) -> None:
        stopper["n"] += 1
        if stopper["n"] == 3:
            studio._stop_training()

    model = studio.train(
        list(kinder)[:60], epochs=5, background=False, config=tiny, batch_size=8, callbacks=[stop_soon]
    )
    assert model.history is not None
    assert model.history.stopped == "stopped"
    assert studio.model is markov
    end = studio.controller.last_end
    assert end is not None
    assert end.batches == 3
    assert end.percent is not None
    assert end.percent < 20
    assert end.total is not None
    assert studio.train_progress.value == pytest.approx(3 / end.total)  # where it stopped, not 100%
    tab = studio.training_tab
    assert f"stopped at {end.percent}%" in tab.percent.value
    assert f"Training stopped at {end.percent}% (epoch 1 of 5)" in studio.status.value
    assert 'data-how="stopped"' in tab.offer_view.value
    tab.keep_button.click()
    assert studio.model is markov
    assert studio.model_picker.value == "Markov order 1"
    assert 'data-chosen="current"' in tab.offer_view.value
    assert tab.keep_button.layout.display == "none"
    assert "Kept the current model, Markov order 1." in studio.status.value
    studio._stop_training()  # after the end: harmless
    assert studio.model is markov
    assert studio.generate(4, n=1, seed=0)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_markov_heatmap_outlines_the_current_context(order: int) -> None:
    studio = Studio(f"markov-{order}", PRIMER, corpus="bach-chorales:pearce185")
    studio.explain()
    picture = studio.matrix.value
    assert "jm-heatmap" in picture
    assert "jm-current-row" in picture
    assert len(picture) < 60_000  # small enough to live in saved widget state


@pytest.mark.slow
def test_background_work_reaches_the_widgets_on_the_main_thread_only(chorales: Corpus) -> None:
    """In a kernel (a running asyncio loop) no worker writes a trait: the loop shows what the worker did."""
    mine = MarkovModel(1).fit(list(chorales)[:20])
    tiny = GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)
    writers: set[str] = set()

    async def scenario() -> Studio:
        studio = Studio(mine, PRIMER)
        mine_label = studio.model_picker.value
        watched = [(studio.roll, "notes"), (studio.roll, "accent_from"), (studio.roll, "shading")]
        tab = studio.training_tab
        watched += [(studio.model_picker, "options"), (studio.train_progress, "value"), (tab.percent, "value")]
        watched += [(tab.offer_view, "value"), (tab.use_button, "disabled")]
        watched += [
            (w, "value")
            for w in (studio.status, studio.candidate_label, studio.strip, studio.matrix, studio.train_view)
        ]
        watched += [(w, "disabled") for w in (studio.cancel_button, studio.accept_button, studio.stop_button)]
        watched += [(studio.seed, "value"), (studio.undo_button, "disabled")]
        for widget, name in watched:
            widget.observe(lambda _: writers.add(threading.current_thread().name), name)
        studio.surprise.value = True
        studio.generate_button.click()
        while studio.controller.busy:
            time.sleep(0.01)
        assert len(studio.candidates) == 4  # the controller has them at once...
        assert studio.candidate_label.value == ""  # ...the widgets when the loop runs
        for _ in range(500):
            await asyncio.sleep(0.01)
            if studio.candidate_label.value:
                break
        assert studio.candidate_label.value == "1 / 4"
        studio.regenerate_button.click()
        studio.wait()  # in the same cell: wait, and the widgets show the result now
        assert not studio.generate_button.disabled
        assert "Regenerate" in studio.status.value
        assert studio.seed.value == studio.controller.settings.seed != 0  # Regenerate's new seed, shown
        thread = studio.train(list(chorales)[:30], epochs=1, config=tiny, batch_size=16)
        thread.join()  # joining the thread train returns does the same
        assert 'data-epochs="1"' in studio.train_view.value
        assert studio.model_picker.value == mine_label  # offered, not swapped in
        assert 'data-chosen=""' in tab.offer_view.value
        studio.use_trained()
        assert studio.model_picker.value == "yours: GRU (1 x 16 units)"
        return studio

    studio = in_own_thread(lambda: asyncio.run(scenario()), name="kernel-main")  # the kernel's thread and loop
    assert studio.roll.melody == studio.melody
    assert studio.melody.notes[:4] == mel(PRIMER).notes
    assert studio.roll.accent_from == 16
    assert studio.cancel_button.disabled
    assert not studio.accept_button.disabled
    assert studio.stop_button.disabled
    np.testing.assert_allclose(
        np.frombuffer(studio.roll.shading, dtype="<f4"), studio.model.log_prob(studio.melody).note_surprise, rtol=1e-5
    )
    assert writers == {"kernel-main"}


def test_regenerate_shows_its_seed_and_buttons_are_enabled_when_they_do_something(chorales: Corpus) -> None:
    gated = Gated(MarkovModel(1).fit(list(chorales)[:20]))
    gated.gate.set()

    def scenario() -> None:  # no asyncio loop in this thread: events reach the widgets where they happen
        studio = Studio(gated, PRIMER)
        studio.length.value = 8
        studio.n.value = 2
        candidate_buttons = (studio.prev_button, studio.next_button, studio.accept_button, studio.regenerate_button)
        assert all(b.disabled for b in (*candidate_buttons, studio.undo_button, studio.cancel_button))
        before = studio.melody
        studio.generate()
        assert not any(b.disabled for b in (*candidate_buttons, studio.undo_button))
        studio.regenerate_button.click()
        studio.wait()
        seed = studio.seed.value
        assert seed != 0
        assert studio.controller.settings.seed == seed  # the Seed box is what Generate uses
        result = studio.candidates
        assert studio.undo_button.tooltip.startswith("Undo Regenerate")
        studio.undo_button.click()  # the Regenerate, then the Generate
        studio.undo_button.click()
        assert studio.melody == before
        assert all(b.disabled for b in (*candidate_buttons, studio.undo_button))
        assert not studio.redo_button.disabled
        assert studio.generate() == result  # its seed, typed back (here: still there), gives it again
        assert studio.redo_button.disabled  # a new change: nothing to redo
        studio.accept_button.click()
        assert all(b.disabled for b in candidate_buttons)
        assert not studio.undo_button.disabled  # Undo after Accept really undoes it
        studio.undo_button.click()
        assert studio.melody == before
        assert studio.undo_button.disabled
        assert "Undone: Generate" in studio.status.value
        studio.redo_button.click()
        assert studio.melody != before
        assert studio.redo_button.disabled
        studio.undo_button.click()
        studio.generate(n=1)  # one candidate: nothing to browse
        assert studio.prev_button.disabled
        assert studio.next_button.disabled
        assert not studio.accept_button.disabled
        gated.gate.clear()
        gated.started.clear()
        studio.generate_button.click()  # while it runs, the candidate buttons wait and Cancel is offered
        assert gated.started.wait(10)
        assert all(b.disabled for b in (*candidate_buttons, studio.undo_button, studio.redo_button))
        assert not studio.cancel_button.disabled
        studio.cancel_button.click()
        assert studio.cancel_button.disabled  # asked once
        gated.gate.set()
        studio.wait()
        assert not studio.accept_button.disabled  # the single candidate from before is still shown
        assert "Cancelled" in studio.status.value

    in_own_thread(scenario)


def test_the_roll_shares_the_studios_history_and_status_line(chorales: Corpus) -> None:
    studio = Studio(MarkovModel(1).fit(list(chorales)[:20]), PRIMER, warm_up=False)
    assert studio.roll.kernel_undo  # Ctrl+Z on the roll walks the studio's history
    assert not studio.roll.show_status  # one status line: the studio's
    studio.generate(8, n=1, seed=0)
    studio.roll._on_page_message(studio.roll, {"type": "undo"}, [])
    assert studio.melody == mel(PRIMER)
    studio.roll._on_page_message(studio.roll, {"type": "redo"}, [])
    assert len(studio.melody) > 4
    studio.roll._on_page_message(studio.roll, {"type": "import-midi", "name": "bad.mid"}, [b"not a MIDI file"])
    assert "bad.mid" in studio.status.value  # what the roll refused is said in the studio's line
    studio.roll.audio_status = "fallback: no SoundFont"
    assert "Sound: fallback: no SoundFont" in studio.status.value
