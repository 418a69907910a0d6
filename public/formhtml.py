"""The search form's fields written straight to HTML. Django renders each widget and each
option through a template, which cost the search page about 5 ms a request; this writes
the same markup (label, errors, control, in the project's field layout) in f-strings, each
value escaped (core.escaping): format_html's lazy-aware escaping cost ~0.5 ms more."""
from datetime import date
from functools import lru_cache

from django import forms
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.escaping import escape


def _errors(bound: forms.BoundField) -> str:
    if not bound.errors:
        return ""
    items = "".join(f"<li>{escape(error)}</li>" for error in bound.errors)
    return f'<ul class="errorlist" id="{escape(bound.auto_id)}_error">{items}</ul>'


def _described(bound: forms.BoundField) -> str:
    return f' aria-describedby="{escape(bound.auto_id)}_error" aria-invalid="true"' if bound.errors else ""


def _text(value) -> str:
    if value is None:
        return ""
    return escape(value.isoformat() if isinstance(value, date) else value)


def field_html(bound: forms.BoundField) -> SafeString:
    widget, value = bound.field.widget, bound.value()
    wrapper = "field has-error" if bound.errors else "field"
    name, auto_id = escape(bound.html_name), escape(bound.auto_id)
    if isinstance(widget, forms.HiddenInput):
        return mark_safe(f'<input type="hidden" name="{name}" value="{_text(value)}" id="{auto_id}">')
    label = escape(bound.label)
    if isinstance(widget, forms.CheckboxSelectMultiple):
        chosen = {str(v) for v in (value or [])}
        options = "".join(
            f'<div><label for="{auto_id}_{index}"><input type="checkbox" name="{name}" value="{escape(v)}" '
            f'id="{auto_id}_{index}"{" checked" if str(v) in chosen else ""}> {escape(text)}</label></div>'
            for index, (v, text) in enumerate(bound.field.choices))
        return mark_safe(f'<div class="{wrapper}"><fieldset><legend>{label}</legend>{_errors(bound)}'
                         f'<div id="{auto_id}">{options}</div></fieldset></div>')
    if isinstance(widget, forms.CheckboxInput):
        checked = " checked" if widget.check_test(value) else ""
        return mark_safe(f'<div class="{wrapper}"><input type="checkbox" name="{name}" id="{auto_id}"{checked}'
                         f'{_described(bound)}> <label for="{auto_id}">{label}</label>{_errors(bound)}</div>')
    if isinstance(widget, forms.Select):
        current = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
        options = "".join(f'<option value="{escape(v)}"{" selected" if str(v) == current else ""}>{escape(text)}</option>'
                          for v, text in bound.field.choices)
        return mark_safe(f'<div class="{wrapper}"><label for="{auto_id}">{label}</label>{_errors(bound)}'
                         f'<select name="{name}" id="{auto_id}"{_described(bound)}>{options}</select></div>')
    input_type = escape(widget.attrs.get("type") or getattr(widget, "input_type", "text"))
    return mark_safe(f'<div class="{wrapper}"><label for="{auto_id}">{label}</label>{_errors(bound)}'
                     f'<input type="{input_type}" name="{name}" value="{_text(value)}" id="{auto_id}"'
                     f'{_described(bound)}></div>')


class FastFields:
    """`f["region"]` renders that field of the form."""

    def __init__(self, form: forms.Form):
        self.form = form

    def __getitem__(self, name: str) -> SafeString:
        return field_html(self.form[name])


@lru_cache(maxsize=8)
def _bar_texts(language: str, script_prefix: str) -> dict:
    """The search bar's fixed words in `language`, escaped, and its suggestions address: the
    same on every page, so translated once (outside f-strings, where makemessages reads them)."""
    return {
        "kind": escape(_("Je cherche")), "stay": escape(_("Un séjour")), "experience": escape(_("Une expérience")),
        "where": escape(_("Où")), "placeholder": escape(_("Commune, département, région")),
        "places": escape(reverse("api_place_suggestions")), "none": escape(_("Aucun lieu de ce nom")),
        "count": escape(_("%(n)s suggestions : flèches haut et bas pour choisir")),
        "region": escape(_("Région")), "departement": escape(_("Département")), "commune": escape(_("Commune")),
        "submit": escape(_("Rechercher")), "near": escape(_("Autour de moi")),
        "filters": escape(_("Filtres")), "apply": escape(_("Appliquer les filtres")),
    }


def _texts() -> dict:
    return _bar_texts(get_language() or "", get_script_prefix())


def search_bar_html(form: forms.Form, place_label: str) -> SafeString:
    """The search bar « Où / Quand / Voyageurs » (home and search pages). A suggestion of « Où »
    fills the hidden region / departement / commune (geo/places.js, public/search.js)."""
    t, f = _texts(), FastFields(form)
    errors = f'<div class="form-errors" role="alert">{form.non_field_errors()}</div>' if form.non_field_errors() else ""
    experience = (form["kind"].value() or "stay") == "experience"
    where_error = " has-error" if form["ou"].errors else ""
    return mark_safe(
        f'{errors}\n{f["lat"]}{f["lng"]}{f["region"]}{f["departement"]}{f["commune"]}\n'
        f'<fieldset class="search-kind">\n  <legend class="visually-hidden">{t["kind"]}</legend>\n'
        f'  <label><input type="radio" name="kind" value="stay"{"" if experience else " checked"}> {t["stay"]}</label>\n'
        f'  <label><input type="radio" name="kind" value="experience"{" checked" if experience else ""}> '
        f'{t["experience"]}</label>\n</fieldset>\n'
        f'<div class="search-bar">\n  <div class="search-bar-where field{where_error}">\n'
        f'    <label for="id_ou">{t["where"]}</label>\n'
        f'    <input type="text" name="ou" id="id_ou" value="{escape(place_label)}" maxlength="120" autocomplete="off" '
        f'spellcheck="false"\n           placeholder="{t["placeholder"]}"\n'
        f'           data-places="{t["places"]}" data-places-types="region,departement,commune"\n'
        f'           data-t-none="{t["none"]}" data-t-count="{t["count"]}"\n'
        f'           data-t-region="{t["region"]}" data-t-departement="{t["departement"]}" '
        f'data-t-commune="{t["commune"]}">\n  </div>\n'
        f'  <div class="search-bar-when" data-kind="stay">{f["arrival"]}{f["departure"]}</div>\n'
        f'  <div class="search-bar-when" data-kind="experience">{f["day"]}</div>\n'
        f'  <div class="search-bar-guests">{f["guests"]}</div>\n'
        f'  <button type="submit" class="button search-bar-submit">{t["submit"]}</button>\n</div>\n'
        f'<p class="search-near"><button type="button" class="link-button" data-near-me hidden>{t["near"]}</button>\n'
        f'  <span class="calendar-status" data-near-me-status aria-live="polite"></span></p>\n')


# The filters' fields, and what else their markup depends on (search_filters_html's key).
_FILTERS_SHOWN = ("q", "heritage_kind", "radius", "protection", "price_min", "price_max", "instant", "sort",
                  "label", "amenity")
_FILTERS_KEPT = 512
_filters_kept: dict[tuple, SafeString] = {}


def _filters_key(form: forms.Form, open_: bool, active: int) -> tuple | None:
    """Everything the filters' markup is made of: the language, the fields' submitted values,
    the labels and amenities offered. None when the form shows errors (never kept)."""
    if form.is_bound and form.errors:
        return None
    data, fields = form.data, form.fields
    getlist = getattr(data, "getlist", None)
    values = tuple(tuple(getlist(name)) if getlist else data.get(name) for name in _FILTERS_SHOWN)
    return (get_language(), get_script_prefix(), form.is_bound, open_, active, bool(data.get("lat")), values,
            tuple(fields["label"].choices), tuple(fields["amenity"].choices))


def search_filters_html(form: forms.Form, *, open_: bool, active: int) -> SafeString:
    """The other filters, behind « Filtres »: on a phone the results start on the first screen.
    Most searches leave them as they are: their markup is kept per key (~0.8 ms of a search
    page, issue 14), a few hundred at most."""
    key = _filters_key(form, open_, active)
    html = _filters_kept.get(key) if key is not None else None
    if html is None:
        html = _search_filters_html(form, open_=open_, active=active)
        if key is not None:
            if len(_filters_kept) >= _FILTERS_KEPT:
                _filters_kept.clear()
            _filters_kept[key] = html
    return html


def _search_filters_html(form: forms.Form, *, open_: bool, active: int) -> SafeString:
    t, f = _texts(), FastFields(form)
    badge = f' <span class="badge">{active}</span>' if active else ""
    radius = f["radius"] if form["lat"].value() else ""
    labels = f["label"] if form.fields["label"].choices else ""
    amenities = f["amenity"] if form.fields["amenity"].choices else ""
    return mark_safe(
        f'<details class="search-filters"{" open" if open_ else ""}>\n'
        f'  <summary>{t["filters"]}{badge}</summary>\n  <div class="search-filters-body">\n'
        f'    {f["q"]}{f["heritage_kind"]}{radius}\n'
        f'    {f["protection"]}{f["price_min"]}{f["price_max"]}{f["instant"]}{f["sort"]}\n'
        f'    {labels}\n    {amenities}\n'
        f'    <button type="submit" class="button">{t["apply"]}</button>\n  </div>\n</details>\n')
