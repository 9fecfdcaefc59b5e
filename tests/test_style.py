"""Every text colour of the chat's own styles against the background it is drawn on, in both themes: at least
4.5:1 (WCAG AA). The browser test measures the computed colours of a real answer too."""
import re

import pytest

from assistant.app.style import CSS

# (text variable, background variable) as the style sheet pairs them
PAIRS = [("text", "card"), ("muted", "card"), ("accent", "card"), ("text", "quote"), ("accent", "quote"),
         ("mark-text", "mark"), ("text", "q"), ("text", "a"), ("muted", "a"), ("accent", "a"), ("text", "chip"),
         ("muted", "chip"), ("warn", "warn-bg"), ("err", "err-bg"), ("focus-text", "focus"), ("text", "btn"),
         ("text", "btn-on")]


def theme(selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r"\{([^}]*)\}", CSS).group(1)
    return dict(re.findall(r"--qa-([\w-]+):(#[0-9a-fA-F]{6})", block))


def luminance(hex_colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """Example: contrast("#000000", "#ffffff") -> 21.0."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0 and contrast("#777777", "#ffffff") < 4.5


@pytest.mark.parametrize("selector", [":root", ".dark"])
def test_every_pair_reaches_aa(selector):
    colours = theme(selector)
    assert len(colours) >= 18
    low = {(f, b): round(contrast(colours[f], colours[b]), 2) for f, b in PAIRS
           if contrast(colours[f], colours[b]) < 4.5}
    assert not low, f"{selector}: {low}"


def test_every_variable_has_a_dark_value():
    assert set(theme(":root")) == set(theme(".dark"))
    used = set(re.findall(r"var\(--qa-([\w-]+)\)", CSS))
    assert used <= set(theme(":root"))
