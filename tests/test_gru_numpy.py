"""The numpy engine computes the Keras network: same next-step probabilities, same scores, without TensorFlow."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import jupymuse
from jupymuse.corpus import Corpus
from jupymuse.models import GRUConfig, GRUModel
from jupymuse.models.gru_io import read_gru, write_gru
from jupymuse.models.gru_numpy import NumpyGRU
from jupymuse.models.gru_weights import GRUWeights, weight_layout
from jupymuse.music import Melody
from jupymuse.music.events import melody_events

from helpers import mel

TINY = {"embedding_size": 8, "hidden_units": 24, "duration_units": 8, "max_len": 64}
KINDS = {
    "plain": GRUConfig(**TINY, end_event=False),
    "end": GRUConfig(**TINY),
    "styles": GRUConfig(**TINY, styles=("a", "b"), style_size=4, end_event=False),
    "styles+end, 2 layers": GRUConfig(**TINY, styles=("a", "b"), style_size=4, layers=2),
}
MELODIES = ["G4:4 G4:4 D5:4 D5:4 E5:2 F#5:2 G5:8 r:4 D5:4", "C4:4 D4 E4 F4 G4:8 r:2 A4:6 C2:4 B4:4 C5:16"]


@pytest.fixture(scope="module", params=list(KINDS))
def trained(request: pytest.FixtureRequest, chorales: Corpus) -> GRUModel:
    """A tiny network of every kind, freshly trained (a few batches) so its weights are not the initial ones."""
    config = KINDS[request.param]
    model = GRUModel(config, seed=3)
    melodies = list(chorales)[:12]
    data = {"a": melodies[:6], "b": melodies[6:]} if config.styles else melodies
    return model.fit(data, epochs=1, validation=0, augment_transpose=False, progress=False)


def keras_probabilities(model: GRUModel, melody: Melody, style: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The Keras network's own P(pitch head) (T, outputs) and P(duration | the true next pitch) (T, durations)."""
    ts = model.config.tokens
    enc = ts.encode(melody)
    inputs = {
        "pitch": enc.pitch_in[None],
        "duration": enc.duration_in[None],
        "position": enc.position_in[None],
        "next_pitch": (enc.target // ts.n_durations)[None],
    }
    if model.styles:
        row = np.zeros(len(model.styles)) if style is None else style
        inputs["style"] = np.broadcast_to(row, (1, len(enc), len(row))).astype(np.float32)
    out = model.network(inputs, training=False)

    def softmax(x: object) -> np.ndarray:
        a = np.asarray(x, np.float64)[0]
        e = np.exp(a - a.max(axis=-1, keepdims=True))
        return np.asarray(e / e.sum(axis=-1, keepdims=True))

    return softmax(out["pitch"]), softmax(out["duration"])


def numpy_probabilities(model: GRUModel, melody: Melody, style: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The same from the numpy engine, built from the weights alone."""
    ts = model.config.tokens
    net = NumpyGRU(model.config, GRUWeights.from_list(model.config, model.network.get_weights()))
    enc = ts.encode(melody)
    h, _ = net.run(enc.pitch_in, enc.duration_in, enc.position_in, style)
    logits = net.pitch_logits(h)
    pitch = np.exp(logits - logits.max(axis=1, keepdims=True))
    return pitch / pitch.sum(axis=1, keepdims=True), np.exp(net.duration_logp(h, enc.target // ts.n_durations))


def styles_of(model: GRUModel) -> list[np.ndarray | None]:
    if not model.styles:
        return [None]
    return [None, np.array([1.0, 0.0]), np.array([0.3, 0.7])]


@pytest.mark.slow
def test_next_step_probabilities_equal_the_keras_networks(trained: GRUModel) -> None:
    for melody in MELODIES:
        for style in styles_of(trained):
            keras_p, keras_d = keras_probabilities(trained, mel(melody), style)
            numpy_p, numpy_d = numpy_probabilities(trained, mel(melody), style)
            assert keras_p.shape == numpy_p.shape == (len(mel(melody)) + 1, trained.config.n_outputs)  # a rest too
            np.testing.assert_allclose(numpy_p, keras_p, atol=1e-5, rtol=0)
            np.testing.assert_allclose(numpy_d, keras_d, atol=1e-5, rtol=0)


def test_the_shipped_model_computes_what_keras_computes() -> None:
    model = jupymuse.load_default()
    primer = mel("G4:4 G4:4 D5:4 D5:4 E5:2 F#5:2 G5:8")
    melody = primer.then(model.generate(primer, 40, seed=1)[0])
    for style in [None, np.eye(4)[3], np.array([0.5, 0.0, 0.0, 0.5])]:
        keras_p, keras_d = keras_probabilities(model, melody, style)
        numpy_p, numpy_d = numpy_probabilities(model, melody, style)
        np.testing.assert_allclose(numpy_p, keras_p, atol=1e-5, rtol=0)
        np.testing.assert_allclose(numpy_d, keras_d, atol=1e-5, rtol=0)


def engines(model: GRUModel) -> tuple[GRUModel, GRUModel]:
    """The same trained model twice: on the numpy engine and on the TensorFlow one."""
    other = GRUModel(model.config, seed=model.seed, engine="tensorflow")
    other.network.set_weights(model.network.get_weights())
    other._fitted = True
    return model, other


def test_scores_agree_between_the_engines(trained: GRUModel) -> None:
    on_numpy, on_tf = engines(trained)
    ln2 = math.log(2)
    for melody in map(mel, MELODIES):
        for style in [None, *trained.styles, *([{"a": 1, "b": 1}] if trained.styles else [])]:
            a, b = on_numpy.log_prob(melody, style=style), on_tf.log_prob(melody, style=style)
            assert np.abs(a.note - b.note).max() / ln2 < 1e-5  # bits
            assert np.abs(a.pitch - b.pitch).max() / ln2 < 1e-5
            for view in ("pitch_distributions", "end_probabilities") if trained.can_end else ("pitch_distributions",):
                ours, theirs = (getattr(m, view)(melody, style=style) for m in (on_numpy, on_tf))
                np.testing.assert_allclose(ours, theirs, atol=1e-5)
        if trained.styles:
            numpy_scores, tf_scores = on_numpy.style_scores(melody), on_tf.style_scores(melody)
            assert list(numpy_scores) == list(tf_scores)
            np.testing.assert_allclose(list(numpy_scores.values()), list(tf_scores.values()), atol=1e-5)


def test_log_prob_of_the_shipped_model_agrees_to_1e_5_bits() -> None:
    on_numpy = jupymuse.load_default()
    on_tf = jupymuse.load_default(fresh=True)
    on_tf.engine = "tensorflow"
    melody = mel("G4:4 G4:4 D5:4 D5:4 E5:2 F#5:2 G5:8 r:4 F#5:4 E5:4 D5:4 C5:3 B4:1 A4:4 G4:16")
    for style in (None, "chorale", "irish"):
        a, b = on_numpy.log_prob(melody, style=style), on_tf.log_prob(melody, style=style)
        assert np.abs(a.note - b.note).max() / math.log(2) < 1e-5


def test_the_weights_file_is_read_where_keras_writes_each_weight(tmp_path: Path) -> None:
    """The numpy reader's layout is Keras's own naming, for every kind of network (a Keras upgrade that
    renames its layers in the file fails here)."""
    for i, config in enumerate(KINDS.values()):
        net = GRUModel(config, seed=i).network
        assert [tuple(w.shape) for w in net.weights] == [shape for _, _, shape in weight_layout(config)]
        path = write_gru(tmp_path / f"m{i}.keras", net, config=config, seed=i, history=[])
        for ours, theirs in zip(read_gru(path).weights, net.get_weights(), strict=True):
            np.testing.assert_array_equal(ours, theirs)


def test_loading_generating_and_scoring_use_no_tensorflow(tmp_path: Path) -> None:
    """In a fresh interpreter: load the shipped model, compose, score, explain, refuse a bad save path;
    TensorFlow stays out."""
    import subprocess
    import sys

    code = (
        "import sys, jupymuse\n"
        "m = jupymuse.load_default()\n"
        "[c] = m.generate('G4:4 A4:4', 16, seed=0, style='irish', ending='cadence')\n"
        "m.log_prob(c); m.pitch_distributions(c); m.end_probabilities(c); m.style_scores(c)\n"
        "m.generate('G4:4', bars=2, n=3, seed=1, top_k=5, return_probs=True)\n"
        "for bad in (None, '', 3.5):  # a bad path is refused before the network (TensorFlow) is touched\n"
        "    try: m.save(bad)\n"
        "    except jupymuse.JupymuseError as exc: assert 'path' in str(exc), exc\n"
        "    else: raise AssertionError(f'save({bad!r}) was not refused')\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'tensorflow was imported'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_same_seed_same_melody_and_candidates_do_not_depend_on_n() -> None:
    model = jupymuse.load_default()
    options = {"seed": 7, "temperature": 1.1, "top_p": 0.9, "style": {"german": 1, "irish": 1}}
    four = model.generate("G4:4 A4:4 B4:4", 24, n=4, **options)
    assert four == model.generate("G4:4 A4:4 B4:4", 24, n=4, **options)
    assert model.generate("G4:4 A4:4 B4:4", 24, n=1, **options)[0] == four[0]
    assert len({m.to_notation() for m in four}) > 1  # the candidates differ from each other


def test_every_generate_option_runs_on_the_numpy_engine() -> None:
    model = jupymuse.load_default()
    primer = "G4:4 G4:4 D5:4 D5:4"
    melodies, probs = model.generate(
        primer,
        12,
        n=3,
        seed=2,
        temperature=0.8,
        top_k=6,
        top_p=0.9,
        duration_temperature=0.5,
        duration_top_p=0.8,
        pitch_range=(60, 80),
        scale="G major",
        style="chorale",
        return_probs=True,
    )
    assert probs.model.shape == probs.sampled.shape == (3, 12, 129)
    np.testing.assert_allclose(probs.model.sum(axis=-1), 1.0)  # the model's own distribution
    for c, melody in enumerate(melodies):
        assert all(60 <= note.pitch <= 80 for note in melody.notes)
        assert all(note.pitch % 12 in {7, 9, 11, 0, 2, 4, 6} for note in melody.notes)
        assert ((probs.sampled[c] > 0).sum(axis=-1) <= 6).all()  # top-k
    ended = model.generate(primer, 200, n=8, seed=0, ending="model")
    assert min(len(m) for m in ended) < 200  # the model ended some early
    [cadence] = model.generate(primer, bars=4, seed=0, ending="cadence")
    assert cadence.notes[-1].pitch % 12 == 7  # G major's tonic
    assert cadence.end % cadence.steps_per_bar == 0
    greedy = model.generate(primer, 16, n=2, temperature=0)
    assert greedy[0] == greedy[1]  # nothing random at temperature 0


@pytest.mark.slow
def test_the_compiled_sampler_draws_from_the_numpy_engines_distributions() -> None:
    """The two loops sample the same distributions: along the compiled loop's own notes, the numpy
    engine's next-pitch distributions are what the compiled loop reported (its random draws differ)."""
    on_tf = jupymuse.load_default(fresh=True)
    on_tf.engine = "tensorflow"
    on_numpy = jupymuse.load_default()
    primer = mel("G4:4 G4:4 D5:4 D5:4 E5:2 F#5:2 G5:8")  # durations the token scheme knows
    melodies, probs = on_tf.generate(primer, 16, n=2, seed=0, temperature=0.9, top_p=0.95, return_probs=True)
    for c, melody in enumerate(melodies):
        rows = on_numpy.pitch_distributions(primer.then(melody))
        start, steps = len(melody_events(primer)), len(melody_events(melody))  # a rest at the end is no event
        assert steps >= 12
        np.testing.assert_allclose(rows[start : start + steps], probs.model[c, :steps], atol=1e-5)
    assert on_tf.generate(primer, 16, temperature=0) == on_numpy.generate(primer, 16, temperature=0)
