"""The packaged linkage model: trained on the synthetic multi-agency benchmark, used until
an index holds enough records to train on its own (``MIN_TRAINING_RECORDS``) and by
``lindungi link`` on small files. Rebuild it with ``python -m lindungi.identity.default_model``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

FILE = "default_model.json"
#: Below this many records the packaged model is used as is: too few pairs to estimate
#: the parameters of every comparison level.
MIN_TRAINING_RECORDS = 2_000
PEOPLE = 20_000
SEED = 5


@functools.cache
def _text() -> str:
    return resources.files("lindungi.identity").joinpath(FILE).read_text(encoding="utf-8")


def load() -> dict[str, Any]:
    """The packaged model (Splink's JSON); a fresh copy each call."""
    model: dict[str, Any] = json.loads(_text())
    return model


def build(people: int = PEOPLE, seed: int = SEED) -> dict[str, Any]:
    """Train the model on the synthetic benchmark (what the packaged file holds)."""
    from lindungi.demo.identities import generate_agency_records
    from lindungi.identity.features import facts_of
    from lindungi.identity.ingest import read_rows
    from lindungi.identity.linkage import link

    data = generate_agency_records(people, seed=seed)
    records = []
    for source, rows in data.records.items():
        for item in read_rows(rows, source=source).records:
            records.append(((source, item.record_id), facts_of(item)))
    return link(records).scored.model


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    target = Path(__file__).with_name(FILE)
    target.write_text(json.dumps(build(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {target}")
