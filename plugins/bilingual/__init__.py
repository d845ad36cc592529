"""Two equal languages: pairing, language links and per-language pages.

A Pelican plugin. Every page links to the same page in the other language;
each language has its own home; ``/`` lets a reader choose a language.
"""

from __future__ import annotations

from pelican import signals

from .pages import LanguagePagesGenerator
from .pairing import link_translations


def get_generators(pelican: object) -> type[LanguagePagesGenerator]:
    """Add the generator of homes, the language chooser and the 404 page."""
    return LanguagePagesGenerator


def install_gettext(generator: object) -> None:
    """Make ``_()`` and ``{% trans %}`` available to every template."""
    env = getattr(generator, "env", None)
    if env is not None and hasattr(env, "install_null_translations"):
        env.install_null_translations(newstyle=True)


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.generator_init.connect(install_gettext)
    signals.all_generators_finalized.connect(link_translations)
    signals.get_generators.connect(get_generators)
