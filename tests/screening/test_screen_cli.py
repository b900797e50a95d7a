"""``lindungi screen`` (contract 2), ``lindungi check-offer`` (contract 3) and the SOP
document, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lindungi.cli import app

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parents[2] / "docs" / "sop-indicators.md"


def _db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    imported = runner.invoke(app, ["recruiters", "import", str(DATA / "registry.csv"), "--db", db])
    assert imported.exit_code == 0, imported.output
    return db


def test_screen_answers_every_line_in_order_and_names_each_bad_one(tmp_path: Path) -> None:
    db = _db(tmp_path)
    lines = [
        json.dumps(
            {
                "id": "T-1",
                "trip": {
                    "destination_country": "JP",
                    "visa_type": "tourist",
                    "purpose": "tourism",
                    "return_ticket": True,
                },
            }
        ),
        "{not json",
        json.dumps({"id": "T-3", "trip": {"visa_type": "holiday"}}),
        "",
        json.dumps({"trip": {}}),
        json.dumps(
            {
                "id": 4,
                "trip": {
                    "visa_type": "tourist",
                    "purpose": "work",
                    "destination_country": "KH",
                    "ticket_paid_by": "recruiter",
                },
                "recruiter": {"name": "PT Duta Putra Mandiri Global"},
                "extra": "ignored",
            }
        ),
        json.dumps(["a list"]),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run = CliRunner().invoke(app, ["screen", str(source), "--out", str(out), "--db", db])
    assert run.exit_code == 1
    assert "2 screened (1 low, 0 medium, 1 high); 4 lines with errors" in run.output
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g.get("id", g.get("line")) for g in got] == ["T-1", 2, "T-3", 5, "4", 7]
    assert got[0] == {"id": "T-1", "score": 0, "band": "low", "action": "proceed",
                      "indicators": [], "rulebook": got[0]["rulebook"]}  # fmt: skip
    assert got[1]["line"] == 2
    assert "not a JSON object" in got[1]["error"]
    assert "id" not in got[1]
    assert got[2]["id"] == "T-3"
    assert got[2]["line"] == 3
    assert got[2]["error"].startswith("trip.visa_type: Input should be 'tourist', 'visit'")
    assert "(got 'holiday')" in got[2]["error"]
    assert got[3] == {"line": 5, "error": "id: Field required"}
    high = got[4]
    assert (high["band"], high["action"]) == ("high", "refer")
    sanctioned = next(i for i in high["indicators"] if i["code"] == "recruiter_revoked")
    assert "PT Duta Putra Mandiri Global (revoked)" in sanctioned["evidence"]
    assert sanctioned["label"] == "Recruiter's licence revoked"
    assert isinstance(sanctioned["weight"], float)
    assert got[5]["error"] == "expected a JSON object, got list"


def test_screen_reads_stdin_writes_stdout_and_speaks_indonesian(tmp_path: Path) -> None:
    db = _db(tmp_path)
    line = json.dumps({"id": "A", "trip": {"visa_type": "tourist", "purpose": "work"}})
    run = CliRunner().invoke(app, ["screen", "-", "--lang", "id", "--db", db], input=line + "\n")
    assert run.exit_code == 0, run.output
    answer = json.loads(run.stdout.splitlines()[0])
    assert answer["indicators"][0]["label"] == "Visa kunjungan/turis untuk bekerja"
    wrong = CliRunner().invoke(app, ["screen", "-", "--lang", "fr", "--db", db], input=line)
    assert wrong.exit_code == 1
    assert "--lang 'fr': expected en or id" in wrong.output
    missing = CliRunner().invoke(app, ["screen", str(tmp_path / "nope.jsonl"), "--db", db])
    assert missing.exit_code == 1
    assert "nope.jsonl" in missing.output


def test_check_offer_from_a_file_and_from_text(tmp_path: Path) -> None:
    db = _db(tmp_path)
    source = tmp_path / "offers.jsonl"
    source.write_text(
        json.dumps({"id": "O1", "text": "Lowker admin Bavet gaji 1.000 USD, paspor ditahan"})
        + "\n" + json.dumps({"id": "O2", "text": "Admin toko Surabaya gaji 4jt"}) + "\n"
        + json.dumps({"id": "O3"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "checked.jsonl"
    run = CliRunner().invoke(app, ["check-offer", str(source), "--out", str(out), "--db", db])
    assert run.exit_code == 1
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert got[0]["band"] == "high"
    assert set(got[0]) == {"id", "score", "band", "indicators"}
    assert set(got[0]["indicators"][0]) == {"code", "label", "evidence"}
    assert got[1]["band"] == "low"
    assert got[1]["indicators"] == []
    assert got[2] == {"line": 3, "id": "O3", "error": "text: Field required"}
    one = CliRunner().invoke(
        app, ["check-offer", "--text", "kerja di Myawaddy, bilang aja liburan", "--db", db]
    )
    assert one.exit_code == 0
    assert json.loads(one.stdout)["band"] == "high"
    both = CliRunner().invoke(app, ["check-offer", str(source), "--text", "x", "--db", db])
    assert both.exit_code == 1
    assert "either INPUT" in both.output
    rate = CliRunner().invoke(app, ["check-offer", "--text", "x", "--rate", "USD", "--db", db])
    assert rate.exit_code == 1
    assert "expected CUR=IDR" in rate.output


def test_the_sop_document_is_generated_from_the_rulebook() -> None:
    run = CliRunner().invoke(app, ["screening", "rulebook"])
    assert run.exit_code == 0
    assert DOCS.read_text(encoding="utf-8") == run.stdout, (
        "docs/sop-indicators.md is stale: run "
        "`lindungi screening rulebook --out docs/sop-indicators.md`"
    )
    assert "## `secrecy` — Disuruh merahasiakan tujuan kerja / Told to hide" in run.stdout


def test_a_large_input_screened_by_worker_processes_matches_one_process(tmp_path: Path) -> None:
    db = _db(tmp_path)
    vignettes = (DATA / "departures.jsonl").read_text(encoding="utf-8").splitlines()
    lines = []
    for i in range(4600):  # more than the chunks read before workers start
        item = json.loads(vignettes[i % len(vignettes)])
        item["id"] = f"W-{i}"
        lines.append(json.dumps(item) if i % 997 else "{broken")
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        run = CliRunner().invoke(
            app, ["screen", str(source), "--out", str(out), "--workers", workers,
                  "--today", "2026-12-01", "--db", db],
        )  # fmt: skip
        assert run.exit_code == 1  # the broken lines
        assert "4,595 screened" in run.output
        assert "5 lines with errors" in run.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    got = [json.loads(line) for line in outs[1].decode().splitlines()]
    assert [g.get("id", g.get("line")) for g in got[:3]] == [1, "W-1", "W-2"]
    assert len(got) == 4600
