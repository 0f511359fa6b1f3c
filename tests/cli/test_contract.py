"""The command line keeps its shape: commands, options, choices and defaults (see contract.py)."""

import json
from pathlib import Path

from tests.cli.contract import current

CONTRACT = Path(__file__).with_name("contract.json")


def test_every_command_and_option_is_as_published() -> None:
    published = json.loads(CONTRACT.read_text(encoding="utf-8"))
    now = current()
    missing = sorted(set(published) - set(now))
    assert not missing, f"commands gone: {missing}"
    for path, shape in published.items():
        assert now[path]["runs"] == shape["runs"], path
        have = {tuple(o["flags"]) or (o["dest"],): o for o in now[path]["options"]}
        for option in shape["options"]:
            key = tuple(option["flags"]) or (option["dest"],)
            assert key in have, f"{path}: option {key} gone"
            assert have[key] == option, f"{path}: option {key} changed"


def test_the_contract_is_read_from_the_real_parser() -> None:
    now = current()
    assert now["invoice issue"]["runs"] and not now["invoice"]["runs"]
    assert any(o["flags"] == ["--json"] for o in now["report year"]["options"])
