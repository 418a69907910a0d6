"""The owner's offer tables read as plain values with SQL built once per process
(domains/offer_rows.py): the same queries whatever the number of offers and the page, the
same pages, statuses, pending changes and counts, and another owner's domain still a 404."""
import pytest
from django.urls import reverse

from domains.models import OfferStatus, Revision, RevisionStatus
from domains.moderation import record_revision

from .factories import make_domain, make_experience, make_lodging

pytestmark = pytest.mark.django_db

# Session, user with their owner profile (one query), the double-booking banner; then each table's own.
FRAME = 3
OWN = {"dashboard_domains": 2, "lodging_list": 4, "experience_list": 3}  # count + page (+ domain, + rooms)


def _urls(domain):
    return {"dashboard_domains": reverse("dashboard_domains"),
            "lodging_list": reverse("lodging_list", args=[domain.pk]),
            "experience_list": reverse("experience_list", args=[domain.pk])}


def test_the_tables_make_the_same_queries_at_two_sizes_and_on_every_page(owner_client, owner,
                                                                         django_assert_num_queries):
    domain = make_domain(owner)

    def grow(count):
        for _ in range(count):
            make_domain(owner)
            make_lodging(domain, rooms=2)
            make_experience(domain)

    grow(2)
    for url in _urls(domain).values():
        owner_client.get(url)  # ContentType's cache, per process, is emptied between tests
    for name, url in _urls(domain).items():
        with django_assert_num_queries(FRAME + OWN[name]):
            assert owner_client.get(url).status_code == 200
    grow(30)
    for name, url in _urls(domain).items():
        for query in ("", "?page=2", "?page=abc", "?page=99"):
            with django_assert_num_queries(FRAME + OWN[name]):
                html = owner_client.get(url + query).content.decode()
            assert "Page 2 sur 2" in html or "Page 1 sur 2" in html


def test_the_rows_say_what_the_models_say(owner_client, owner):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    lodging = make_lodging(domain, status=OfferStatus.PUBLISHED, rooms=3)
    make_lodging(domain, rooms=0)
    make_experience(domain)
    record_revision(offer=domain, values={"name": "Nouveau nom"})
    record_revision(offer=lodging, values={"title": "Nouveau titre"})
    assert Revision.objects.filter(status=RevisionStatus.PENDING).count() == 2
    [row] = owner_client.get(reverse("dashboard_domains")).context["page"].object_list
    assert (row.pk, row.name, row.lodging_count, row.experience_count, row.has_revision) == (
        domain.pk, domain.name, 2, 1, True)
    assert row.get_status_display() == "Publié"
    lodgings = owner_client.get(reverse("lodging_list", args=[domain.pk])).context["page"].object_list
    rows = {row.title: (row.has_revision, len(row.units.all()), row.get_kind_display()) for row in lodgings}
    assert [row.title for row in lodgings] == sorted(rows) and rows[lodging.title] == (True, 3, "Chambres d'hôtes")
    assert sorted(rows.values()) == [(False, 0, "Chambres d'hôtes"), (True, 3, "Chambres d'hôtes")]
    [experience] = owner_client.get(reverse("experience_list", args=[domain.pk])).context["page"].object_list
    assert (experience.has_revision, experience.future_periods, experience.get_category_display()) == (
        False, 1, "Atelier")


def test_another_owners_domain_is_a_404(client, owner, other_owner):
    domain = make_domain(owner)
    client.force_login(other_owner)
    for name in ("lodging_list", "experience_list"):
        assert client.get(reverse(name, args=[domain.pk])).status_code == 404
    assert "pas encore de domaine" in client.get(reverse("dashboard_domains")).content.decode()
