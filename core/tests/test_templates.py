"""Rules every template keeps, checked on the sources."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def templates():
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            yield path


def test_a_scrolling_table_can_be_reached_with_the_keyboard():
    """axe's scrollable-region-focusable: a region that scrolls sideways (at 390 px) must take focus."""
    unreachable = [f"{path.relative_to(ROOT)}: {tag}" for path in templates()
                   for tag in re.findall(r'<div class="table-wrap"[^>]*>', path.read_text())
                   if 'tabindex="0"' not in tag or "aria-label" not in tag]
    assert not unreachable, unreachable


def test_no_style_attribute_in_a_page_template():
    """The Content-Security-Policy refuses inline styles; emails and PDFs (not pages) may use them."""
    styled = [str(path.relative_to(ROOT)) for path in templates()
              if "/emails/" not in str(path) and "/email/" not in str(path) and "pdf" not in path.name
              and re.search(r'\sstyle="', path.read_text())]
    assert not styled, styled
