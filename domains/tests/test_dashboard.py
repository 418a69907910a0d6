"""Owner dashboard: tables, wizards, permissions, bad input."""
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from domains.labels import answer_label_proposal
from domains.models import Domain, DomainLabel, Label, LabelProposal, OfferStatus
from domains.views import domain_wizard
from experiences.models import Experience, Period
from experiences.views import experience_wizard
from lodgings.models import Lodging, Suspension, Unit
from lodgings.views import lodging_wizard

from .factories import make_domain, make_experience, make_lodging


def test_empty_domain_table_invites_to_add_one(owner_client):
    page = owner_client.get(reverse("dashboard_domains")).content.decode()
    assert "pas encore de domaine" in page and reverse("domain_add") in page


def test_domain_table_shows_activities_and_continue_submission(owner_client, owner):
    domain = make_domain(owner)
    page = owner_client.get(reverse("dashboard_domains")).content.decode()
    for url in (reverse("lodging_list", args=[domain.pk]), reverse("experience_list", args=[domain.pk]),
                reverse("domain_continue", args=[domain.pk]), reverse("domain_wizard", args=[domain.pk, "infos"])):
        assert url in page
    assert "Brouillon" in page


@pytest.mark.parametrize("rows", [1, 6])
def test_dashboard_tables_use_a_fixed_number_of_queries(owner_client, owner, rows, django_assert_max_num_queries):
    domain = make_domain(owner)
    for _ in range(rows):
        other = make_domain(owner)
        make_lodging(domain)
        make_experience(domain)
        make_lodging(other)
    for url in (reverse("dashboard_domains"), reverse("lodging_list", args=[domain.pk]),
                reverse("experience_list", args=[domain.pk])):
        with django_assert_max_num_queries(9):
            assert owner_client.get(url).status_code == 200


def test_domain_wizard_saves_each_step_and_resumes(owner_client, owner):
    response = owner_client.post(reverse("domain_add"), {"name": "Prieuré de Saint-Cosme", "heritage_kind": "prieure",
                                                         "period": "XIe siècle", "history": "Ronsard y vécut."})
    domain = Domain.objects.get(owner=owner)
    assert response.url == reverse("domain_wizard", args=[domain.pk, "adresse"])
    assert owner_client.get(reverse("domain_continue", args=[domain.pk])).url == response.url
    owner_client.post(response.url, {"commune": "La Riche", "departement": "37", "region": "centre-val-de-loire",
                                     "postal_code": "37520", "latitude": "47.3853", "longitude": "0.6517"})
    domain.refresh_from_db()
    assert domain.wizard_step == "adresse" and domain.latitude == Decimal("47.385300")
    assert owner_client.get(reverse("domain_continue", args=[domain.pk])).url.endswith("/labels/")
    label, _created = Label.objects.get_or_create(slug="demeure-historique", defaults={"name": "Demeure Historique"})
    owner_client.post(reverse("domain_wizard", args=[domain.pk, "labels"]),
                      {"monument_protection": "classe", "merimee_reference": "pa00097869", "labels": [label.pk]})
    domain.refresh_from_db()
    assert domain.merimee_reference == "PA00097869" and not domain.monument_verified
    assert DomainLabel.objects.get(domain=domain).verified is False
    owner_client.post(reverse("domain_wizard", args=[domain.pk, "soumettre"]), {"action": "submit"})
    domain.refresh_from_db()
    assert domain.status == OfferStatus.SUBMITTED


def test_bad_merimee_reference_is_a_field_error(owner_client, owner):
    domain = make_domain(owner)
    response = owner_client.post(reverse("domain_wizard", args=[domain.pk, "labels"]),
                                 {"monument_protection": "inscrit", "merimee_reference": "MH-1234"})
    assert response.status_code == 200 and "PA suivi de 8 chiffres" in response.content.decode()
    domain.refresh_from_db()
    assert domain.merimee_reference == "" and domain.wizard_step == "photos"


def test_chambres_d_hotes_wizard_with_two_rooms(owner_client, owner):
    domain = make_domain(owner)
    owner_client.post(reverse("lodging_add", args=[domain.pk]),
                      {"kind": "chambres_hotes", "title": "Les chambres du Prieuré", "description": "Calme."})
    lodging = Lodging.objects.get(domain=domain)
    url = reverse("lodging_wizard", args=[lodging.pk, "chambres"])
    base = {"units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "0", "units-0-name": "Chambre Ronsard",
            "units-0-adults_capacity": "2", "units-0-children_capacity": "0", "units-0-nightly_price": "110"}
    page = owner_client.post(url, {**base, "add_row": "1"}).content.decode()
    assert 'name="units-1-name"' in page and not Unit.objects.exists()
    owner_client.post(url, {**base, "units-TOTAL_FORMS": "2", "units-1-name": "Chambre Cassandre",
                            "units-1-adults_capacity": "2", "units-1-children_capacity": "1",
                            "units-1-nightly_price": "130"})
    assert list(lodging.units.values_list("name", flat=True)) == ["Chambre Ronsard", "Chambre Cassandre"]
    lodging.refresh_from_db()
    assert lodging.wizard_step == "chambres"


def test_negative_price_and_zero_capacity_are_field_errors(owner_client, owner):
    lodging = make_lodging(make_domain(owner), rooms=0)
    response = owner_client.post(reverse("lodging_wizard", args=[lodging.pk, "chambres"]), {
        "units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "0", "units-0-name": "Chambre",
        "units-0-adults_capacity": "0", "units-0-children_capacity": "0", "units-0-nightly_price": "-5"})
    assert response.status_code == 200 and not Unit.objects.exists()
    assert response.content.decode().count("errorlist") >= 2
    experience = make_experience(make_domain(owner))
    response = owner_client.post(reverse("experience_wizard", args=[experience.pk, "prix"]),
                                 {"capacity": "0", "min_participants": "1", "price_per_person": "-10"})
    assert response.status_code == 200
    experience.refresh_from_db()
    assert experience.capacity == 10 and experience.price_per_person == Decimal("35.00")


def test_gite_has_one_unit_only(owner_client, owner):
    lodging = make_lodging(make_domain(owner), kind="gite", rooms=0)
    data = {"units-TOTAL_FORMS": "2", "units-INITIAL_FORMS": "0"}
    for i in (0, 1):
        data.update({f"units-{i}-name": f"Gîte {i}", f"units-{i}-adults_capacity": "4",
                     f"units-{i}-children_capacity": "0", f"units-{i}-nightly_price": "200"})
    response = owner_client.post(reverse("lodging_wizard", args=[lodging.pk, "chambres"]), data)
    assert response.status_code == 200 and not Unit.objects.exists()


def period_data(experience, **fields):
    data = {"duration_minutes": "90", "periods-TOTAL_FORMS": "1", "periods-INITIAL_FORMS": "0",
            "periods-0-experience": str(experience.pk)}
    data.update({f"periods-0-{name}": value for name, value in fields.items()})
    return data


@pytest.mark.parametrize(("fields", "message"), [
    ({"start_date": "+10", "end_date": "+3", "weekdays": ["6"], "slot_0": "15:00"}, "après la date de début"),
    ({"start_date": "-30", "end_date": "-3", "weekdays": ["6"], "slot_0": "15:00"}, "déjà passée"),
    ({"start_date": "+3", "end_date": "+30", "slot_0": "15:00"}, "au moins un jour"),
    ({"start_date": "+3", "end_date": "+30", "weekdays": ["6"]}, "au moins un créneau"),
])
def test_bad_periods_are_field_errors_and_nothing_is_saved(owner_client, owner, fields, message):
    experience = make_experience(make_domain(owner), period=False)
    today = timezone.localdate()
    for key in ("start_date", "end_date"):
        if key in fields:
            fields[key] = (today + timedelta(days=int(fields[key]))).isoformat()
    response = owner_client.post(reverse("experience_wizard", args=[experience.pk, "periode"]),
                                 period_data(experience, **fields))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Period.objects.exists()
    experience.refresh_from_db()
    assert experience.duration_minutes == 120 and experience.wizard_step == ""


def test_period_with_two_slots_added_without_javascript(owner_client, owner):
    experience = make_experience(make_domain(owner), period=False)
    start = timezone.localdate() + timedelta(days=5)
    fields = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=60)).isoformat(),
              "weekdays": ["6", "7"], "slot_0": "15:00"}
    url = reverse("experience_wizard", args=[experience.pk, "periode"])
    page = owner_client.post(url, {**period_data(experience, **fields), "add_slot": "periods-0"}).content.decode()
    assert 'name="periods-0-slot_1"' in page
    owner_client.post(url, period_data(experience, **fields, slot_1="17:00"))
    period = Period.objects.get(experience=experience)
    assert (period.weekdays, period.start_times) == ("67", ["15:00", "17:00"])


def test_suspensions_list_add_remove_and_validate(owner_client, owner):
    lodging = make_lodging(make_domain(owner))
    url = reverse("lodging_suspensions", args=[lodging.pk])
    today = timezone.localdate()
    bad = owner_client.post(url, {"start": (today + timedelta(days=9)).isoformat(),
                                  "end": (today + timedelta(days=2)).isoformat()})
    assert "après la date de début" in bad.content.decode()
    past = owner_client.post(url, {"start": (today - timedelta(days=2)).isoformat(),
                                   "end": (today + timedelta(days=2)).isoformat()})
    assert "dans le passé" in past.content.decode() and not Suspension.objects.exists()
    owner_client.post(url, {"start": (today + timedelta(days=2)).isoformat(),
                            "end": (today + timedelta(days=9)).isoformat(), "reason": "Travaux de toiture"})
    suspension = Suspension.objects.get(lodging=lodging)
    assert "Travaux de toiture" in owner_client.get(url).content.decode()
    owner_client.post(reverse("lodging_suspension_delete", args=[lodging.pk, suspension.pk]))
    assert not Suspension.objects.exists()


def test_owner_proposes_a_missing_label_and_staff_answer(owner_client, owner, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    owner_client.post(reverse("label_propose"), {"name": "Sites et Cités remarquables",
                                                 "website": "https://www.sites-cites.fr/",
                                                 "reason": "Notre commune en fait partie."})
    proposal = LabelProposal.objects.get(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        answer_label_proposal(proposal=proposal, accept=True, answer="Bienvenue !", now=timezone.now())
    assert Label.objects.filter(name="Sites et Cités remarquables").exists()
    assert "Sites et Cités remarquables" in mailoutbox[0].subject


def test_photos_upload_resize_reorder_caption_delete(owner_client, owner, django_capture_on_commit_callbacks):
    domain = make_domain(owner)
    url = reverse("domain_wizard", args=[domain.pk, "photos"])
    for colour in ("red", "blue"):
        buffer = BytesIO()
        Image.new("RGB", (3000, 2000), colour).save(buffer, "JPEG")
        with django_capture_on_commit_callbacks(execute=True):  # the worker resizes (eager in tests)
            owner_client.post(url, {"action": "upload", "caption": colour,
                                    "image": SimpleUploadedFile(f"{colour}.jpg", buffer.getvalue(), "image/jpeg")})
    red, blue = domain.photos.all()
    assert (red.caption, blue.caption) == ("red", "blue")
    assert max(Image.open(red.full.path).size) == 1600 and max(Image.open(red.thumb.path).size) == 240
    owner_client.post(url, {"action": "up", "photo": blue.pk})
    assert [p.caption for p in domain.photos.all()] == ["blue", "red"]
    owner_client.post(url, {"action": "caption", "photo": red.pk, "caption": "La façade"})
    owner_client.post(url, {"action": "delete", "photo": blue.pk})
    assert [p.caption for p in domain.photos.all()] == ["La façade"]
    junk = owner_client.post(url, {"action": "upload", "image": SimpleUploadedFile("x.jpg", b"not an image")})
    assert junk.status_code == 200 and domain.photos.count() == 1


def test_another_owner_gets_404_on_every_url(client, owner, other_owner):
    domain = make_domain(owner)
    lodging = make_lodging(domain)
    experience = make_experience(domain)
    photo_owner_domain = domain
    suspension = Suspension.objects.create(lodging=lodging, start=timezone.localdate() + timedelta(days=3),
                                           end=timezone.localdate() + timedelta(days=5))
    client.force_login(other_owner)
    urls = [reverse("lodging_list", args=[domain.pk]), reverse("experience_list", args=[domain.pk]),
            reverse("lodging_add", args=[domain.pk]), reverse("experience_add", args=[domain.pk]),
            reverse("domain_continue", args=[domain.pk]), reverse("lodging_continue", args=[lodging.pk]),
            reverse("experience_continue", args=[experience.pk]), reverse("lodging_suspensions", args=[lodging.pk]),
            reverse("lodging_suspension_delete", args=[lodging.pk, suspension.pk])]
    for wizard, offer in ((domain_wizard, photo_owner_domain), (lodging_wizard, lodging),
                          (experience_wizard, experience)):
        urls += [wizard.step_url(offer, step.slug) for step in wizard.steps]
    for url in urls:
        assert client.get(url).status_code == 404, url
        for action in ("submit", "withdraw", "delete", "upload", "next"):
            assert client.post(url, {"action": action, "start": "2030-01-01", "end": "2030-01-09"}).status_code \
                == 404, url
    assert Suspension.objects.count() == 1 and Experience.objects.get().status == OfferStatus.DRAFT
    assert Domain.objects.get(pk=domain.pk).status == OfferStatus.DRAFT
    assert "Château" not in client.get(reverse("dashboard_domains")).content.decode()


def test_travellers_are_sent_to_become_owner(client, traveller):
    client.force_login(traveller)
    assert client.get(reverse("dashboard_domains")).url == reverse("become_owner")


def test_tampered_posts_are_answered_without_a_500(owner_client, owner):
    domain = make_domain(owner)
    lodging = make_lodging(domain)
    experience = make_experience(domain)
    photos = reverse("domain_wizard", args=[domain.pk, "photos"])
    assert owner_client.post(photos, {"action": "delete", "photo": "abc"}).status_code == 404
    units = reverse("lodging_wizard", args=[lodging.pk, "chambres"])
    assert owner_client.post(units, {"units-TOTAL_FORMS": "x", "add_row": "1"}).status_code == 200
    assert owner_client.post(units, {}).status_code == 200
    periods = reverse("experience_wizard", args=[experience.pk, "periode"])
    assert owner_client.post(periods, {"add_slot": "nope", "periods-TOTAL_FORMS": "1"}).status_code == 200
    assert owner_client.post(reverse("domain_wizard", args=[domain.pk, "soumettre"]),
                             {"action": "bogus"}).status_code == 302
    assert owner_client.get(reverse("domain_wizard", args=[domain.pk, "inconnue"])).status_code == 404


def test_domain_table_counts_each_domains_own_lodgings_and_experiences(owner_client, owner):
    """Counted by subqueries (issue 14): a domain with 3 lodgings and 2 experiences shows 3
    and 2, not 6 and 6, and an empty one shows 0 and 0."""
    full, empty = make_domain(owner, name="A plein"), make_domain(owner, name="B vide")
    for _ in range(3):
        make_lodging(full)
    for _ in range(2):
        make_experience(full)
    rows = {domain.name: domain for domain in owner_client.get(reverse("dashboard_domains")).context["page"]}
    assert (rows[full.name].lodging_count, rows[full.name].experience_count) == (3, 2)
    assert (rows[empty.name].lodging_count, rows[empty.name].experience_count) == (0, 0)


def _domains_with_offers(owner, domains: int, offers: int) -> None:
    first = make_domain(owner, name="A premier")
    for _ in range(offers):
        make_lodging(first, rooms=1)
        make_experience(first)
    for _ in range(domains - 1):
        make_domain(owner)


def test_domain_table_pages_by_20_with_the_same_queries_at_two_sizes(owner_client, owner, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _domains_with_offers(owner, 2, 2)
    owner_client.get(reverse("dashboard_domains"))
    with CaptureQueriesContext(connection) as few:
        owner_client.get(reverse("dashboard_domains"))
    _domains_with_offers(owner, 23, 12)
    with django_assert_num_queries(len(few)):
        response = owner_client.get(reverse("dashboard_domains"))
    assert len(response.context["page"].object_list) == 20
    second = owner_client.get(reverse("dashboard_domains"), {"page": 2})
    assert len(second.context["page"].object_list) == 25 - 20


def test_experience_table_shows_the_next_session_and_counts_future_periods_only(owner_client, owner):
    from datetime import UTC, datetime

    from experiences.models import Period, Session

    domain = make_domain(owner)
    experience = make_experience(domain)  # one future period
    Period.objects.create(experience=experience, start_date=timezone.localdate() - timedelta(days=60),
                          end_date=timezone.localdate() - timedelta(days=30), weekdays="6", start_times=["10:00"])
    soon = datetime.combine(timezone.localdate() + timedelta(days=3), datetime.min.time(), tzinfo=UTC)
    for days in (9, 0, 5):
        Session.objects.create(experience=experience, start=soon + timedelta(days=days, hours=9),
                               end=soon + timedelta(days=days, hours=11), capacity=8)
    bare = make_experience(domain, period=False)
    rows = {e.pk: e for e in owner_client.get(reverse("experience_list", args=[domain.pk])).context["page"]}
    assert rows[experience.pk].future_periods == 1 and rows[experience.pk].next_session == soon + timedelta(hours=9)
    assert rows[bare.pk].future_periods == 0 and rows[bare.pk].next_session is None


# --- Rows written from Python (domains/templatetags/offer_table.py, lodgings/templatetags/lodging_table.py) ---

# The per-row templates the two tables used before (issue 14).
DOMAIN_ROWS = """{% load i18n %}  {% for domain in page.object_list %}
    <tr>
      <td><a href="{% url 'domain_wizard' domain.pk 'infos' %}">{{ domain.name }}</a><br><small>{{ domain.commune }}{% if domain.departement %} ({{ domain.departement }}){% endif %}</small></td>
      <td>{% include "domains/includes/status.html" with offer=domain has_revision=domain.has_revision %}</td>
      <td class="pictograms">
        {% url 'calsync_domain' domain.pk as sync_url %}
        {% if sync_url %}<a class="pictogram" href="{{ sync_url }}" title="{% translate 'Calendrier et synchronisation' %}">{% include "domains/includes/icon.html" with name="calendar" %}<span class="visually-hidden">{% blocktranslate with name=domain.name %}Calendrier et synchronisation de {{ name }}{% endblocktranslate %}</span></a>
        {% else %}<span class="pictogram pictogram-off" title="{% translate 'Calendrier et synchronisation (bientôt)' %}">{% include "domains/includes/icon.html" with name="calendar" %}</span>{% endif %}
        <a class="pictogram" href="{% url 'lodging_list' domain.pk %}" title="{% translate 'Hébergements' %}">{% include "domains/includes/icon.html" with name="bed" %}<span class="visually-hidden">{% blocktranslate with name=domain.name %}Hébergements de {{ name }}{% endblocktranslate %}</span><span class="count">{{ domain.lodging_count }}</span></a>
        <a class="pictogram" href="{% url 'experience_list' domain.pk %}" title="{% translate 'Expériences' %}">{% include "domains/includes/icon.html" with name="experience" %}<span class="visually-hidden">{% blocktranslate with name=domain.name %}Expériences de {{ name }}{% endblocktranslate %}</span><span class="count">{{ domain.experience_count }}</span></a>
      </td>
      <td><a class="pictogram" href="{% url 'domain_continue' domain.pk %}" title="{% translate "Continuer la saisie" %}">{% include "domains/includes/icon.html" with name="edit" %}<span class="visually-hidden">{% blocktranslate with name=domain.name %}Continuer la saisie de {{ name }}{% endblocktranslate %}</span></a></td>
    </tr>
  {% endfor %}
"""
EXPERIENCE_ROWS = """{% load i18n %}  {% for experience in page.object_list %}
    <tr>
      <td><a href="{% url 'experience_wizard' experience.pk 'description' %}">{{ experience.title }}</a></td>
      <td>{{ experience.get_category_display }}</td>
      <td>{% if experience.next_session %}{{ experience.next_session|long_date:"j F Y H:i" }}{% elif not experience.future_periods %}<span class="status-badge status-rejected">{% translate "Aucune période à venir" %}</span>{% else %}—{% endif %}</td>
      <td>{% include "domains/includes/status.html" with offer=experience has_revision=experience.has_revision %}</td>
      <td><a class="pictogram" href="{% url 'experience_continue' experience.pk %}" title="{% translate "Continuer la saisie" %}">{% include "domains/includes/icon.html" with name="edit" %}<span class="visually-hidden">{% blocktranslate with name=experience.title %}Continuer la saisie de {{ name }}{% endblocktranslate %}</span></a></td>
    </tr>
  {% endfor %}
"""
LODGING_ROWS = """{% load i18n money %}  {% for lodging in page.object_list %}
    <tr>
      <td><a href="{% url 'lodging_wizard' lodging.pk 'description' %}">{{ lodging.title }}</a></td>
      <td>{{ lodging.get_kind_display }}</td>
      <td>{% for unit in lodging.units.all %}{% if unit.is_active %}{{ unit.name }} <small>({{ unit.nightly_price|eur }})</small>{% if not forloop.last %}<br>{% endif %}{% endif %}{% empty %}—{% endfor %}</td>
      <td>{% include "domains/includes/status.html" with offer=lodging has_revision=lodging.has_revision %}</td>
      <td class="pictograms">
        <a class="pictogram" href="{% url 'lodging_continue' lodging.pk %}" title="{% translate "Continuer la saisie" %}">{% include "domains/includes/icon.html" with name="edit" %}<span class="visually-hidden">{% blocktranslate with name=lodging.title %}Continuer la saisie de {{ name }}{% endblocktranslate %}</span></a>
        {% with units=lodging.units.all %}
        {% if lodging.kind == "gite" %}
          {% for unit in units %}<a class="pictogram pictogram-bed" href="{% url 'calsync_unit_feeds' unit.pk %}" title="{% translate 'Configuration iCal' %}">{% include "domains/includes/icon.html" with name="bed" %}<span class="visually-hidden">{% blocktranslate with name=unit.name %}Configuration iCal de {{ name }}{% endblocktranslate %}</span></a>{% endfor %}
        {% elif units %}
          <details class="ical-picker"><summary title="{% translate 'Configuration iCal' %}">{% include "domains/includes/icon.html" with name="bed" %}<span class="visually-hidden">{% blocktranslate with name=lodging.title %}Configuration iCal de {{ name }}{% endblocktranslate %}</span></summary>
            <ul>{% for unit in units %}<li><a href="{% url 'calsync_unit_feeds' unit.pk %}">{{ unit.name }}</a></li>{% endfor %}</ul>
          </details>
        {% endif %}
        {% endwith %}
        <a class="pictogram" href="{% url 'lodging_suspensions' lodging.pk %}" title="{% translate 'Suspendre la visibilité' %}">{% include "domains/includes/icon.html" with name="pause" %}<span class="visually-hidden">{% blocktranslate with name=lodging.title %}Suspendre la visibilité de {{ name }}{% endblocktranslate %}</span></a>
      </td>
    </tr>
  {% endfor %}
"""


def _squeezed(html: str) -> str:
    return " ".join(html.split()).replace("> <", "><").replace('" >', '">')


@pytest.mark.parametrize("language", ["fr", "en"])
def test_offer_tables_written_from_python_are_the_template_rows(owner_client, owner, language):
    """Same cells, links, labels, pictograms and escaping as the templates they replace:
    gîtes and chambres d'hôtes, inactive rooms (the <br> after them), a lodging without
    rooms, a pending revision, names with markup."""
    from django.template import Context, Template
    from django.utils import translation

    from domains.templatetags.offer_table import domain_table_rows
    from experiences.templatetags.experience_table import experience_table_rows
    from lodgings.templatetags.lodging_table import lodging_table_rows

    domain = make_domain(owner, name='<i>Château</i> "d\'Ô" & fils', commune="Saint-Aignan <b>", departement="")
    make_domain(owner, status=OfferStatus.PUBLISHED)
    make_lodging(domain, title='Chambres <script>x</script>', rooms=3)
    gite = make_lodging(domain, kind="gite", title="Gîte d'Orée", rooms=1)
    make_lodging(domain, title="Sans chambre", rooms=0)
    rooms = make_lodging(domain, title="Inactives", rooms=3)
    Unit.objects.filter(lodging=rooms, position=2).update(is_active=False)
    Unit.objects.filter(lodging=gite).update(name="Le <gîte>")
    with_session = make_experience(domain)
    Experience.objects.filter(pk=with_session.pk).update(title="Atelier <plume> & encre")
    start = timezone.now() + timedelta(days=3)
    with_session.sessions.create(start=start, end=start + timedelta(hours=2), capacity=8)
    make_experience(domain, period=False)  # « Aucune période à venir »
    make_experience(domain)  # a period, no session yet: —
    prefix = "/en" if language == "en" else "/fr"
    for url, loop, tag in ((reverse("dashboard_domains"), DOMAIN_ROWS, domain_table_rows),
                           (reverse("lodging_list", args=[domain.pk]), LODGING_ROWS, lodging_table_rows),
                           (reverse("experience_list", args=[domain.pk]), EXPERIENCE_ROWS, experience_table_rows)):
        url = prefix + url[3:]
        response = owner_client.get(url)
        assert response.status_code == 200
        with translation.override(language):
            page = response.context["page"]
            expected = Template(loop).render(Context({"page": page}))
            written = tag(page.object_list)
        assert written.count("<tr>") == len(page.object_list) > 1
        assert _squeezed(written) == _squeezed(expected)
        assert _squeezed(written) in _squeezed(response.content.decode())
        assert "<script>" not in written and "<i>Château" not in written
