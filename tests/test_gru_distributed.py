"""Scale-out: GRUModel.fit under a MirroredStrategy over two logical CPU devices.

Logical devices must be set before TensorFlow starts, so this runs in a fresh interpreter.
"""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

SCRIPT = """
import json
import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])

from jupymuse import load_corpus
from jupymuse.models import GRUConfig, GRUModel

melodies = list(load_corpus("essen:kinder", progress=False))[:16]
config = GRUConfig(embedding_size=8, hidden_units=16, duration_units=8, dropout=0.0)
model = GRUModel(config, seed=0)
before = [w.copy() for w in model.network.get_weights()]
model.fit(melodies, epochs=3, batch_size=8, learning_rate=1e-2, strategy=strategy, progress=False)
changed = any(not np.array_equal(a, b) for a, b in zip(before, model.network.get_weights()))
[melody] = model.generate("C4:4 D4:4", 8, seed=0)
print(json.dumps({
    "replicas": strategy.num_replicas_in_sync,
    "losses": [row["loss_bits"] for row in model.history.epochs],
    "val": [row["val_bits"] for row in model.history.epochs],
    "changed": changed,
    "generated": len(melody),
}))
"""


def test_fit_under_mirrored_strategy_on_two_cpus() -> None:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["replicas"] == 2
    assert result["changed"]
    assert len(result["losses"]) == 3
    assert result["losses"][-1] < result["losses"][0]
    assert all(v > 0 for v in result["val"])
    assert result["generated"] > 0
