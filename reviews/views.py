"""Review pages: the traveller writes and edits (Mes voyages), the owner reads, answers
and complains (dashboard "Avis"). Views parse, call one service, render; a booking or a
review of someone else is a 404, a refusal is a message on the page, never a 500."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import owner_required
from bookings.models import Booking

from . import selectors, services
from .forms import ComplaintForm, ReplyForm, ReviewForm
from .models import Review

OWNER_PAGE_SIZE = 20
TRAVELLER_PAGE_SIZE = 20


def _own_booking(request, reference: str) -> Booking:
    return get_object_or_404(Booking.objects.select_related("unit__lodging__domain", "session__experience__domain"),
                             reference=reference, traveller=request.user)


@login_required
def review_write(request, reference: str):
    booking = _own_booking(request, reference)
    existing = Review.objects.filter(booking=booking).first()
    if existing is not None:
        return redirect("review_edit", existing.pk)
    now = timezone.now()
    problem = services.review_problem(booking=booking, now=now)
    form = ReviewForm(request.POST if request.method == "POST" and not problem else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.write_review(booking=booking, author=request.user, ratings=form.ratings(),
                                      text=form.cleaned_data["text"], now=now)
            except services.ReviewError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Merci ! Votre avis est publié. Vous pouvez le modifier pendant 48 heures."))
                return redirect("my_reviews")
    return render(request, "reviews/review_form.html",
                  {"booking": booking, "form": form, "problem": problem}, status=status)


@login_required
def review_edit(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("booking__unit__lodging__domain",
                                                             "booking__session__experience__domain"),
                               pk=pk, author=request.user)
    now = timezone.now()
    editable = services.can_edit(review=review, now=now)
    initial = {name: getattr(review, name) for name in ("rating", "cleanliness", "welcome", "heritage", "value",
                                                        "text")}
    form = ReviewForm(request.POST if request.method == "POST" and editable else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.edit_review(review=review, by=request.user, ratings=form.ratings(),
                                     text=form.cleaned_data["text"], now=now)
            except services.ReviewError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Votre avis est modifié."))
                return redirect("my_reviews")
    problem = "" if editable else _("Un avis se modifie pendant 48 heures après sa publication ; ce délai est passé.")
    return render(request, "reviews/review_form.html",
                  {"booking": review.booking, "review": review, "form": form, "problem": problem}, status=status)


@login_required
def my_reviews(request):
    """"Mes voyages > Mes avis": what is waiting for a review, and the reviews written."""
    now = timezone.now()
    pending = list(Booking.objects.filter(services.pending_for(traveller=request.user, now=now))
                   .select_related("unit__lodging__domain", "session__experience__domain")
                   .order_by("-service_end")[:20])
    page = Paginator(selectors.traveller_reviews(traveller=request.user), TRAVELLER_PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = [(review, services.can_edit(review=review, now=now)) for review in page.object_list]
    return render(request, "reviews/my_reviews.html", {"pending": pending, "page": page, "rows": rows})


# --- Owner: dashboard "Avis" --------------------------------------------------------------

@owner_required
def dashboard_reviews(request):
    now = timezone.now()
    offer = request.GET.get("offre", "")[:40]
    page = Paginator(selectors.owner_reviews(owner=request.user, offer=offer), OWNER_PAGE_SIZE).get_page(
        request.GET.get("page"))
    rows = [(review, services.can_reply(review=review, now=now)) for review in page.object_list]
    return render(request, "reviews/dashboard/reviews_list.html", {
        "tab": "reviews", "page": page, "rows": rows, "offer": offer,
        "offers": selectors.owner_offer_choices(owner=request.user)})


def _owner_review(request, pk: int) -> Review:
    return get_object_or_404(Review.objects.select_related("author", "booking", "lodging", "experience"),
                             pk=pk, owner=request.user)


def _detail(request, review: Review, *, reply_form=None, complaint_form=None, error="", status=200):
    now = timezone.now()
    can_reply = services.can_reply(review=review, now=now)
    can_complain = services.can_complain(review=review)
    if can_reply and reply_form is None:
        reply_form = ReplyForm(initial={"reply": review.reply})
    if can_complain and complaint_form is None:
        complaint_form = ComplaintForm()
    complaint = getattr(review, "complaint", None) if not can_complain else None
    return render(request, "reviews/dashboard/review_detail.html", {
        "tab": "reviews", "review": review, "author": selectors.author_name(review.author),
        "reply_form": reply_form if can_reply else None, "complaint_form": complaint_form if can_complain else None,
        "complaint": complaint, "events": review.events.select_related("actor"), "error": error}, status=status)


@owner_required
def dashboard_review(request, pk: int):
    return _detail(request, _owner_review(request, pk))


@require_POST
@owner_required
def dashboard_review_reply(request, pk: int):
    review = _owner_review(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(review=review, by=request.user, text=form.cleaned_data["reply"], now=timezone.now())
        except services.ReviewError as error:
            return _detail(request, review, error=error.message, status=400)
        messages.success(request, _("Votre réponse est publiée sous l'avis."))
        return redirect("dashboard_review", review.pk)
    return _detail(request, review, reply_form=form, status=400)


@require_POST
@owner_required
def dashboard_review_complaint(request, pk: int):
    review = _owner_review(request, pk)
    form = ComplaintForm(request.POST)
    if form.is_valid():
        try:
            services.file_complaint(review=review, by=request.user, reason=form.cleaned_data["reason"],
                                    explanation=form.cleaned_data["explanation"], now=timezone.now())
        except services.ReviewError as error:
            return _detail(request, review, error=error.message, status=400)
        messages.success(request, _("Votre réclamation est transmise à l'équipe, qui vous répondra par e-mail."))
        return redirect("dashboard_review", review.pk)
    return _detail(request, review, complaint_form=form, status=400)
