"""Write the instructor edition's Jupyter Book configuration: the public ``_config.yml`` with a few overrides.

Usage: ``python book/course/instructor/config.py OUT.yml`` (``make instructor`` does this). The instructor
edition is the whole book plus the worked answers, the exit-ticket key and the discussion guide; it is
built from the committed notebook outputs (no execution) into ``_build/instructor`` and is never part of
the public site, which neither lists nor indexes these pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]

OVERRIDES = {
    "title": "Bits per Sample: instructor edition",
    # The public build executes every notebook; this edition shows the outputs committed with them,
    # which the test suite checks against a fresh execution (strict nbval).
    "execute": {"execute_notebooks": "off"},
    # Students must not land here from a search engine.
    "html": {"extra_footer": "<p>Instructor edition: not for students. Do not publish.</p>"},
}


def merged() -> dict:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for key, value in OVERRIDES.items():
        if isinstance(value, dict):
            config.setdefault(key, {}).update(value)
        else:
            config[key] = value
    # Jupyter Book finds local extensions relative to the configuration file, which lives elsewhere here.
    local = config.get("sphinx", {}).get("local_extensions", {})
    for name, path in local.items():
        local[name] = str((ROOT / path).resolve()) + "/"
    return config


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(yaml.safe_dump(merged(), sort_keys=False, allow_unicode=True), encoding="utf-8")
