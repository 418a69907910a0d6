"""Downloads of the owner's lists: at once when short, through a worker when long."""
from pathlib import PurePath
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import owner_required

from . import services
from .models import ExportJob, ExportStatus
from .registry import build_table, get_kind
from .writers import CONTENT_TYPES, WRITERS, csv_chunks, output_extension


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@owner_required
def export_list(request, kind: str, fmt: str):
    """The list as the owner sees it (filter and search come in the form's hidden fields)."""
    export_kind = get_kind(kind)
    if export_kind is None or fmt not in WRITERS:
        raise Http404
    params = {**export_kind.parse_params(request.POST, timezone.localdate()), "language": translation.get_language()}
    table = build_table(kind=export_kind, owner=request.user, params=params)
    if services.pdf_refused(table.row_count, fmt):
        messages.error(request, _("Cette liste compte %(count)s lignes : un PDF en compte %(max)s au plus. "
                                  "Téléchargez-la en CSV ou en Excel (quelques secondes), ou filtrez-la pour la "
                                  "raccourcir.") % {"count": number_format(table.row_count, force_grouping=True),
                                                    "max": number_format(settings.EXPORT_PDF_MAX_ROWS,
                                                                         force_grouping=True)})
        return redirect(_back_to_list(request, export_kind))
    if services.runs_in_worker(table.row_count, fmt):
        job = services.start_export(owner=request.user, kind=export_kind, fmt=fmt, params=params, now=timezone.now())
        messages.info(request, _("Cette liste est longue : son export est préparé, vous pourrez le télécharger ici."))
        return redirect("export_job", pk=job.pk)
    name = export_kind.filename(params)
    extension = output_extension(fmt, table.row_count)
    if fmt == "csv":
        return _attachment(StreamingHttpResponse(csv_chunks(table), content_type=CONTENT_TYPES["csv"]),
                           f"{name}.csv")
    response = HttpResponse(content_type=CONTENT_TYPES[extension])
    WRITERS[fmt](table, response, **({"basename": name} if fmt == "pdf" else {}))
    return _attachment(response, f"{name}.{extension}")


def _back_to_list(request, kind) -> str:
    """The list the export was asked from, with its filter and search (the form's hidden fields)."""
    params = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken" and value}
    return reverse(kind.back_url) + (f"?{urlencode(params)}" if params else "")


def _owner_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, owner=request.user)


@require_GET
@owner_required
def export_job(request, pk):
    job = _owner_job(request, pk)
    kind = get_kind(job.kind)
    return render(request, "exports/job.html", {
        "job": job, "tab": kind.tab if kind else "", "title": kind.title(job.params) if kind else job.kind,
        "back_url": reverse(kind.back_url) if kind else reverse("dashboard"),
        "pdf_rows_per_file": number_format(settings.EXPORT_PDF_ROWS_PER_FILE, force_grouping=True),
    })


@require_GET
@owner_required
def export_job_status(request, pk):
    """What the job page polls to move its progress bar."""
    job = _owner_job(request, pk)
    return JsonResponse({"status": job.status, "progress": job.progress, "finished": job.is_finished})


@require_GET
@owner_required
def export_download(request, pk):
    job = _owner_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    name = PurePath(job.file.name).name
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name,
                        content_type=CONTENT_TYPES.get(PurePath(name).suffix.lstrip("."), CONTENT_TYPES[job.format]))
