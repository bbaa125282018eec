"""Launch links and QR codes for the course's printed material, computed from ``_config.yml``.

The worksheet and the slides point students at the in-class exercises on Binder and Colab. Those URLs
are built here from the repository that ``_config.yml`` names (``repository.url`` and ``.branch``) and
from its launch-button services, so a fork or a term branch changes one file and every link follows.
The worksheet uses them through MyST substitutions (``{{ exercises_binder }}`` and ``{{ exercises_colab }}``,
each a whole Markdown link, ``{{ exercises_qr }}``, ``{{ repository_short }}``); ``book/course/build/slides.py`` calls
:func:`links` for the first slide. QR codes are SVG data URIs from ``segno``, so nothing is written
into the source tree and the printed page needs no network.
"""

from __future__ import annotations

import html
from typing import Any

#: The notebook the worksheet and the first slide open (the reader edition: plain Jupyter, no MyST), relative to the repository root.
EXERCISES = "readers/course/exercises.ipynb"


def links(repository_url: str, branch: str, binderhub_url: str = "https://mybinder.org",
          colab_url: str = "https://colab.research.google.com", path: str = EXERCISES) -> dict[str, str]:
    """Binder and Colab URLs of ``path`` in the GitHub repository ``repository_url`` at ``branch``.

    Returns a dict with ``binder``, ``colab`` and ``repository_short`` (the repository URL without its
    scheme: the short address to write on a board or a slide). Raises ``ValueError`` for a repository
    that is not on GitHub (Colab opens notebooks from GitHub only).
    """
    prefix = "https://github.com/"
    if not repository_url.startswith(prefix):
        raise ValueError(f"the launch links need a GitHub repository URL, got {repository_url!r}")
    slug = repository_url.removeprefix(prefix).strip("/")
    return {
        "binder": f"{binderhub_url.rstrip('/')}/v2/gh/{slug}/{branch}?urlpath=lab/tree/{path}",
        "colab": f"{colab_url.rstrip('/')}/github/{slug}/blob/{branch}/{path}",
        "repository_short": repository_url.removeprefix("https://").rstrip("/"),
    }


def qr_img(url: str, alt: str, size_px: int = 110) -> str:
    """An ``<img>`` holding a QR code of ``url`` as an SVG data URI (medium error correction)."""
    import segno

    uri = segno.make(url, error="m").svg_data_uri(border=2)
    return (f'<img class="qr-code" src="{uri}" width="{size_px}" height="{size_px}" '
            f'alt="{html.escape(alt, quote=True)}">')


def _from_config(config: Any) -> dict[str, str]:
    options = config.html_theme_options or {}
    launch = options.get("launch_buttons", {}) or {}
    return links(options["repository_url"], options.get("repository_branch", "main"),
                 launch.get("binderhub_url") or "https://mybinder.org",
                 launch.get("colab_url") or "https://colab.research.google.com")


def _add_substitutions(app: Any, config: Any) -> None:
    urls = _from_config(config)
    # Whole Markdown links: MyST substitutes text, not the target of a link written around it.
    subs = {
        "exercises_binder": f"[Binder]({urls['binder']})",
        "exercises_colab": f"[Colab]({urls['colab']})",
        "repository_short": urls["repository_short"],
        "exercises_qr": qr_img(urls["binder"], "QR code: the in-class exercises on Binder"),
    }
    config.myst_substitutions = {**subs, **(config.myst_substitutions or {})}


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _add_substitutions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
