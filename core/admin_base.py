"""The admin's base classes: every ModelAdmin and inline of the project derives from these
(core/tests/test_admin_base.py checks it), so hostile parameters staff may be sent to (a
link in a phishing email, a mistyped URL) give a form error or the admin's own "invalid
lookup" page, never a 500 (docs/development.md#the-fuzz-test).

Django leaves three holes, each a class of input rather than one page:

* a changelist with out-of-range values in its date hierarchy or filters
  (``?arrival__year=99999999999999999999``, ``?start__year=9999``: ``datetime`` overflows)
  raises ValueError/OverflowError instead of Django's ``IncorrectLookupParameters``;
* a foreign key or many-to-many field posted (or given as ``?field=`` initial data) with a
  non-numeric or huge id: the autocomplete widget queries with it (ValueError) and the
  multiple-choice field's ``__in`` query overflows SQLite's integers (OverflowError);
* an action posted with selected ids that are not ids (``_selected_action=abc`` or a huge
  number): the ``pk__in`` filter raises ValueError, ValidationError (UUID) or OverflowError;
* an add page for a model whose required relations the form does not show (IntegrityError
  on save): such admins must refuse ``add`` (checked by the same test).
"""
from __future__ import annotations

from datetime import datetime, time

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, models, transaction
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.dates import PARIS

# What a hostile query string can make Django's changelist raise while it builds its filters.
LOOKUP_ERRORS = (ValueError, OverflowError, TypeError, ValidationError, DataError)


def fits(key, value) -> bool:
    """True if ``value`` could be a value of the model field ``key`` (a primary key…): right
    type and inside the column's range (the field's validators know the database's range)."""
    while key.is_relation:  # a primary key that is a one-to-one link (OwnerProfile.user…)
        key = key.target_field
    try:
        key.run_validators(key.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


def usable_key(field: ModelChoiceField, value) -> bool:
    """True if ``value`` could be a key of the form field's model (or is empty, or an object)."""
    if value in field.empty_values or hasattr(value, "_meta"):
        return True
    opts = field.queryset.model._meta
    return fits(opts.get_field(field.to_field_name) if field.to_field_name else opts.pk, value)


class KeyCheckedChoiceField(ModelChoiceField):
    """A foreign key field that refuses a malformed id with its form error before any query,
    and never hands one to its widget (autocomplete and raw-id widgets query with it)."""

    def to_python(self, value):
        if not usable_key(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": value})
        return super().to_python(value)

    def prepare_value(self, value):
        value = super().prepare_value(value)
        return value if usable_key(self, value) else None


class KeyCheckedMultipleChoiceField(ModelMultipleChoiceField):
    def clean(self, value):
        # Before Django's clean, which passes the values through prepare_value (below) and
        # would silently drop the bad ones.
        if isinstance(value, list | tuple):
            for pk in value:
                if not usable_key(self, pk):
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": pk})
        return super().clean(value)

    def prepare_value(self, value):
        value = super().prepare_value(value)
        if isinstance(value, list | tuple):
            return [pk for pk in value if usable_key(self, pk)]
        return value if usable_key(self, value) else None


class InputGuard:
    """The mixin shared by model admins and inlines: relation fields check their ids."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):  # Django 6's default, said now (no warning)
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeyCheckedChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeyCheckedMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AdminGuard(InputGuard):
    """The mixin of model admins: relation fields check their ids, changelists their lookups.
    Third-party admins (auth's Group, allauth's EmailAddress, sites' Site) are registered
    again with it (accounts/admin.py)."""

    def get_changelist_instance(self, request):
        """Out-of-range filter and date-hierarchy values are "wacky lookup parameters": the
        changelist redirects to itself with ``?e=1`` as Django does for the ones it catches.
        The savepoint keeps a refused query (PostgreSQL) from spoiling the request's others."""
        self._read_dates_in_paris(request)
        try:
            with transaction.atomic():
                return super().get_changelist_instance(request)
        except LOOKUP_ERRORS as error:
            raise IncorrectLookupParameters(error) from error

    def _read_dates_in_paris(self, request) -> None:
        """A date typed into a date-time lookup (``?start__lt=2026-12-31``) is read in Paris, as
        Django's own date filters do, not as a naive value Django warns about."""
        query = None
        for key, value in request.GET.items():
            try:
                field = self.model._meta.get_field(key.split("__")[0])
            except FieldDoesNotExist:
                continue
            if not isinstance(field, models.DateTimeField):
                continue
            try:
                moment = parse_datetime(value)
                day = None if moment else parse_date(value)
                moment = moment or (datetime.combine(day, time()) if day else None)
                if moment is None or not timezone.is_naive(moment):
                    continue
                query = query or request.GET.copy()
                query[key] = timezone.make_aware(moment, PARIS).isoformat()
            except (ValueError, OverflowError):
                continue  # left as typed: the changelist's own check refuses it
        if query is not None:
            request.GET = query

    def response_action(self, request, queryset):
        """Selected ids that cannot be ids are dropped; with none left Django answers "Items
        must be selected…", as for an empty selection."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        usable = [pk for pk in selected if fits(self.model._meta.pk, pk)]
        if usable != selected:
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, usable)
            request.POST = post
        return super().response_action(request, queryset)


class ModelAdmin(AdminGuard, admin.ModelAdmin):
    def staff_view(self, view, *, change: bool = False):
        """An admin page of this model's own (a report, a PDF, a decision): staff with the
        model's view (or change) permission only — `admin_view` alone lets any staff member in,
        whatever their group."""
        def guarded(request, *args, **kwargs):
            allowed = self.has_change_permission(request) if change else self.has_view_permission(request)
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return self.admin_site.admin_view(guarded)


class TabularInline(InputGuard, admin.TabularInline):
    pass


class StackedInline(InputGuard, admin.StackedInline):
    pass
