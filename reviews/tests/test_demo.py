import pytest
from django.core.management import call_command

from reviews.models import ComplaintStatus, Review, ReviewComplaint

pytestmark = pytest.mark.django_db


def test_the_demo_has_reviews_on_past_stays_a_reply_and_a_complaint_to_handle():
    call_command("seed_demo")
    reviews = list(Review.objects.select_related("booking"))
    assert len(reviews) == 3
    assert all(r.booking.status == "confirmed" and r.created_at > r.booking.service_end for r in reviews)
    assert sum(1 for r in reviews if r.reply) == 1
    assert ReviewComplaint.objects.filter(status=ComplaintStatus.OPEN).count() == 1
    call_command("seed_demo")
    assert Review.objects.count() == 3
