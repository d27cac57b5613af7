"""Copy GOV.UK Frontend's prebuilt assets into static/vendor/, without GOV.UK branding.

Run after `npm ci`:  python -m csp_events.assets

The GDS Transport typeface and the crown are licensed for gov.uk services only, so the
fonts are never copied, every @font-face rule is dropped and the font family is replaced
by a system stack. Stdlib only, so it can run before the app's dependencies are importable.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path("node_modules/govuk-frontend/dist/govuk")
TARGET_DIR = Path("static/vendor/govuk")
PUBLIC_PREFIX = "/static/vendor/govuk/assets/"

SYSTEM_FONT_STACK = (
    'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Helvetica,Arial,sans-serif'
)

_FONT_FACE = re.compile(r"@font-face\s*\{[^{}]*\}")
# The licence banner for the GDS Transport cut, and source-map links to files we don't copy.
_FONT_LICENCE_COMMENT = re.compile(r"/\*!?[^*]*Margaret Calvert.*?\*/", re.DOTALL)
_CSS_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
_JS_SOURCE_MAP = re.compile(r"//# sourceMappingURL=\S+\s*$")
_GDS_FAMILY = re.compile(
    r"font-family:\s*(?:\"GDS Transport\"|'GDS Transport'|GDS Transport)(?:\s*,[^;}]*)?"
)
_ASSET_URL = re.compile(r"url\((['\"]?)/assets/")


class AssetError(RuntimeError):
    """The npm package is missing or no longer looks the way this script expects."""


def rewrite_css(css: str) -> str:
    """Unbrand GOV.UK Frontend's CSS and point its asset URLs at our static folder."""
    css = _FONT_LICENCE_COMMENT.sub("", css)
    css = _FONT_FACE.sub("", css)
    css = _GDS_FAMILY.sub("font-family:" + SYSTEM_FONT_STACK, css)
    css = _ASSET_URL.sub(lambda m: f"url({m.group(1)}{PUBLIC_PREFIX}", css)
    css = _CSS_SOURCE_MAP.sub("", css).rstrip() + "\n"
    for leftover in ("GDS Transport", "/assets/fonts", "@font-face"):
        if leftover in css:
            raise AssetError(f"rewritten CSS still contains {leftover!r}: update assets.py")
    return css


def build(root: Path = REPO_ROOT) -> Path:
    """Rebuild static/vendor/govuk from node_modules; returns the target directory."""
    source = root / SOURCE_DIR
    if not (source / "govuk-frontend.min.css").is_file():
        raise AssetError(
            f"{source} not found: run `npm ci` in {root} first "
            "(govuk-frontend is pinned in package.json)."
        )
    target = root / TARGET_DIR
    if target.exists():
        shutil.rmtree(target)  # start clean so removed upstream files don't linger
    target.mkdir(parents=True)

    css = (source / "govuk-frontend.min.css").read_text(encoding="utf-8")
    (target / "govuk-frontend.min.css").write_text(rewrite_css(css), encoding="utf-8")

    js = (source / "govuk-frontend.min.js").read_text(encoding="utf-8")
    (target / "govuk-frontend.min.js").write_text(
        _JS_SOURCE_MAP.sub("", js).rstrip() + "\n", encoding="utf-8"
    )

    assets = source / "assets"
    if (assets / "images").is_dir():
        shutil.copytree(assets / "images", target / "assets" / "images")
    if (assets / "manifest.json").is_file():
        (target / "assets").mkdir(exist_ok=True)
        shutil.copy2(assets / "manifest.json", target / "assets" / "manifest.json")
    # assets/fonts is deliberately never copied.
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]).resolve() if args else REPO_ROOT
    try:
        target = build(root)
    except AssetError as error:
        print(f"csp_events.assets: {error}", file=sys.stderr)
        return 1
    print(f"GOV.UK Frontend assets written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
