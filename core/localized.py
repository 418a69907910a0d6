"""Offer texts written in French and, optionally, in English (`title` and `title_en`…).

An English page shows the English text when the owner gave one, else the French one, which
the page marks `lang="fr"` so screen readers and translators read it as French. `localized()`
returns the text with its language; templates use `{% localized offer "title" as title %}` and
`{{ title.lang_attr }}` (core/templatetags/localized.py)."""
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

SOURCE_LANGUAGE = settings.LANGUAGE_CODE  # offers are written in French first


@dataclass(frozen=True)
class LocalizedText:
    text: str
    lang: str  # the language the text is written in
    page_lang: str  # the language of the page showing it

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def foreign(self) -> bool:
        """Written in another language than the page's."""
        return self.lang != self.page_lang

    @property
    def lang_attr(self) -> SafeString:
        """' lang="fr"' on an English page showing French, else nothing."""
        return format_html(' lang="{}"', self.lang) if self.foreign else SafeString("")


def page_language(language: str | None = None) -> str:
    return (language or get_language() or SOURCE_LANGUAGE).split("-")[0]


def localized(obj, field: str, language: str | None = None) -> LocalizedText:
    """`obj.<field>_<language>` when that translation exists and is filled, else `obj.<field>`."""
    language = page_language(language)
    if language != SOURCE_LANGUAGE:
        translated = getattr(obj, f"{field}_{language}", "")
        if translated:
            return LocalizedText(translated, language, language)
    return LocalizedText(getattr(obj, field) or "", SOURCE_LANGUAGE, language)
