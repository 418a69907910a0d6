"""« Mon compte > Mes données » and « Supprimer mon compte »."""
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import AccountDeletionForm

from . import sections, services
from .models import DataExport, DataExportStatus


def _page(request, *, export: DataExport | None, expired_link: bool = False, status: int = 200):
    now = timezone.now()
    return render(request, "privacy/my_data.html", {
        "export": export, "now": now, "downloadable": export is not None and export.is_downloadable(now),
        "expired_link": expired_link, "sections": sections.EXPORT_SECTIONS, "account_tab": "data",
    }, status=status)


@require_GET
@login_required
def my_data(request):
    return _page(request, export=services.latest_export(request.user))


@require_POST
@login_required
def request_data_export(request):
    try:
        services.request_export(user=request.user, now=timezone.now())
    except services.PrivacyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre export est demandé : il est préparé en quelques minutes, cette page "
                                    "vous dira quand le télécharger."))
    return redirect("my_data")


def _own_export(request, pk) -> DataExport:
    # Someone else's export is a 404, like one that never existed: its id says nothing.
    return get_object_or_404(DataExport, pk=pk, user=request.user)


@require_GET
@login_required
def data_export_status(request, pk):
    """What the page polls to move its progress bar."""
    export = _own_export(request, pk)
    return JsonResponse({"status": export.status, "progress": export.progress, "finished": not export.is_open})


@require_GET
@login_required
def download_data_export(request, pk):
    export = _own_export(request, pk)
    now = timezone.now()
    if export.status in (DataExportStatus.READY, DataExportStatus.EXPIRED) and not export.is_downloadable(now):
        return _page(request, export=export, expired_link=True, status=410)
    if not export.is_downloadable(now):
        raise Http404
    response = FileResponse(export.file.open("rb"), as_attachment=True,
                            filename=f"alma-heritage-mes-donnees-{timezone.localdate(export.finished_at):%Y-%m-%d}.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request):
    now = timezone.now()
    problems = services.deletion_problems(user=request.user, now=now)
    form = AccountDeletionForm(request.POST or None, user=request.user)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            services.delete_person(user=request.user, now=now)
        except services.PrivacyError as error:  # something opened between the page and the click
            problems = [error.message]
        else:
            logout(request)
            messages.success(request, _("Votre compte est supprimé : un e-mail de confirmation vous est envoyé. "
                                        "Merci d'avoir fait vivre le patrimoine avec nous."))
            return redirect("home")
    return render(request, "privacy/account_delete.html",
                  {"form": form, "problems": problems, "account_tab": "delete"},
                  status=409 if request.method == "POST" and problems else 200)
