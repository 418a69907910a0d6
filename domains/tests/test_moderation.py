"""Offer lifecycle: submit, withdraw, approve, reject, revisions of published offers."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from domains import moderation
from domains.business_days import business_age, business_days_between
from domains.models import DomainLabel, Label, OfferStatus, Revision, RevisionStatus
from domains.queue import moderation_queue
from lodgings.models import Amenity, Unit

from .factories import make_domain, make_experience, make_lodging

PARIS = ZoneInfo("Europe/Paris")


def test_submitting_a_domain_emails_the_owner_and_waits_for_staff(owner, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    domain = make_domain(owner)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.submit_offer(offer=domain, now=timezone.now())
    domain.refresh_from_db()
    assert domain.status == OfferStatus.SUBMITTED
    assert len(mailoutbox) == 1 and domain.name in mailoutbox[0].subject
    assert mailoutbox[0].alternatives and "deux jours ouvrés" in mailoutbox[0].body


def test_incomplete_domain_cannot_be_submitted(owner):
    domain = make_domain(owner, commune="", history="")
    with pytest.raises(moderation.OfferError):
        moderation.submit_offer(offer=domain, now=timezone.now())
    domain.refresh_from_db()
    assert domain.status == OfferStatus.DRAFT


def test_owner_can_withdraw_a_submission(owner_client, owner):
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    url = reverse("domain_wizard", args=[domain.pk, "soumettre"])
    owner_client.post(url, {"action": "withdraw"})
    domain.refresh_from_db()
    assert domain.status == OfferStatus.DRAFT


def test_approval_publishes_and_emails_in_the_owner_language(owner, staff, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    owner.language = "en"
    owner.save()
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_offer(offer=domain, by=staff, now=timezone.now())
    domain.refresh_from_db()
    assert domain.status == OfferStatus.PUBLISHED and domain.published_at
    assert "Online" in mailoutbox[0].subject


def test_rejection_shows_the_reason_to_the_owner(owner, owner_client, staff, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject_offer(offer=domain, by=staff, reason="Photos trop sombres.", now=timezone.now())
    assert "Photos trop sombres." in mailoutbox[0].body
    page = owner_client.get(reverse("domain_wizard", args=[domain.pk, "infos"]))
    assert "Photos trop sombres." in page.content.decode()


def test_publishing_a_lodging_lists_its_units_only_when_the_domain_is_published(owner, staff):
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    lodging = make_lodging(domain, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    moderation.approve_offer(offer=lodging, by=staff, now=timezone.now())
    assert not Unit.objects.filter(lodging=lodging, is_listed=True).exists()
    moderation.approve_offer(offer=domain, by=staff, now=timezone.now())
    assert Unit.objects.filter(lodging=lodging, is_listed=True).count() == 2
    assert set(Unit.objects.filter(lodging=lodging).values_list("region", flat=True)) == {"centre-val-de-loire"}


def test_edit_of_published_lodging_keeps_public_text_until_approval(owner, owner_client, staff,
                                                                     django_capture_on_commit_callbacks, mailoutbox):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    lodging = make_lodging(domain, status=OfferStatus.PUBLISHED, title="La Tour")
    url = reverse("lodging_wizard", args=[lodging.pk, "description"])
    owner_client.post(url, {"title": "La Tour du Guet", "description": "Nouveau texte."})
    lodging.refresh_from_db()
    assert (lodging.title, lodging.description) == ("La Tour", "De belles chambres.")
    # The owner sees their proposal in the form, and staff see it side by side.
    assert "La Tour du Guet" in owner_client.get(url).content.decode()
    owner_client.post(reverse("lodging_wizard", args=[lodging.pk, "soumettre"]), {"action": "submit_revision"})
    revision = Revision.objects.get(object_id=lodging.pk, content_type=ContentType.objects.get_for_model(lodging))
    assert revision.submitted_at and revision.changes == {"title": "La Tour du Guet", "description": "Nouveau texte."}
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_revision(revision=revision, by=staff, now=timezone.now())
    lodging.refresh_from_db()
    assert (lodging.title, lodging.description) == ("La Tour du Guet", "Nouveau texte.")
    assert lodging.status == OfferStatus.PUBLISHED


def test_rejected_revision_keeps_the_public_version_and_shows_the_reason(owner, owner_client, staff):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    lodging = make_lodging(domain, status=OfferStatus.PUBLISHED, title="La Tour")
    owner_client.post(reverse("lodging_wizard", args=[lodging.pk, "description"]),
                      {"title": "Meilleur séjour de France !!!", "description": "x"})
    revision = moderation.pending_revision(lodging)
    moderation.submit_revision(revision=revision, now=timezone.now())
    moderation.reject_revision(revision=revision, by=staff, reason="Titre promotionnel refusé.", now=timezone.now())
    lodging.refresh_from_db()
    assert lodging.title == "La Tour"
    assert revision.status == RevisionStatus.REJECTED
    page = owner_client.get(reverse("lodging_wizard", args=[lodging.pk, "description"])).content.decode()
    assert "Titre promotionnel refusé." in page and 'value="La Tour"' in page


def test_revision_with_no_real_change_is_dropped(owner):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    assert moderation.record_revision(offer=domain, values={"name": domain.name}) is None


def test_business_days_skip_weekends_and_french_holidays():
    # Friday 1 May 2026 is Labour Day, Friday 8 May Victory Day.
    assert business_days_between(datetime(2026, 4, 30).date(), datetime(2026, 5, 4).date()) == 1  # noqa: DTZ001
    assert business_days_between(datetime(2026, 5, 7).date(), datetime(2026, 5, 11).date()) == 1  # noqa: DTZ001
    friday = datetime(2026, 11, 27, 17, tzinfo=PARIS)
    assert business_age(friday, now=datetime(2026, 11, 30, 9, tzinfo=PARIS)) == 1


def test_queue_flags_items_older_than_two_business_days(owner):
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=PARIS)):  # a Tuesday
        old = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=datetime(2026, 11, 26, 10, tzinfo=PARIS))
        fresh = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=datetime(2026, 11, 30, 10, tzinfo=PARIS))
        rows = {row.name: row for row in moderation_queue(now=timezone.now())}
    assert rows[old.name].age == 3 and rows[old.name].overdue
    assert rows[fresh.name].age == 1 and not rows[fresh.name].overdue


def test_admin_queue_and_revision_comparison_render(client, staff, owner):
    client.force_login(staff)
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    make_experience(domain, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    revision = moderation.record_revision(offer=domain, values={"history": "Histoire réécrite."})
    moderation.submit_revision(revision=revision, now=timezone.now())
    queue = client.get(reverse("admin:domains_moderationqueue_changelist")).content.decode()
    assert "Atelier" in queue and domain.name in queue
    change = client.get(reverse("admin:domains_revision_change", args=[revision.pk])).content.decode()
    assert "Bâti au XVIe siècle." in change and "Histoire réécrite." in change
    for name in ["domains_domain", "domains_label", "domains_labelproposal", "domains_revision",
                 "lodgings_lodging", "lodgings_unit", "experiences_experience", "experiences_session"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_admin_reject_action_requires_a_reason_and_tells_the_owner(client, staff, owner, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(staff)
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    url = reverse("admin:domains_domain_changelist")
    page = client.post(url, {"action": "reject_selected", "_selected_action": [domain.pk]})
    assert "Motif du refus" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject_selected", "_selected_action": [domain.pk], "apply": "1",
                          "reason": "Adresse introuvable."})
    domain.refresh_from_db()
    assert domain.status == OfferStatus.REJECTED and domain.rejection_reason == "Adresse introuvable."
    assert "Adresse introuvable." in mailoutbox[0].body


def test_queue_buttons_approve_and_reject_with_reason(client, staff, owner):
    client.force_login(staff)
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    published = make_domain(owner, status=OfferStatus.PUBLISHED)
    revision = moderation.record_revision(offer=published, values={"name": "Nouveau nom"})
    moderation.submit_revision(revision=revision, now=timezone.now())
    url = reverse("admin:domains_moderationqueue_decide")
    client.post(url, {"item": f"domains.domain:{domain.pk}", "decision": "approve"})
    client.post(url, {"item": f"domains.revision:{revision.pk}", "decision": "reject", "reason": ""})
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING  # a refusal needs its reason
    client.post(url, {"item": f"domains.revision:{revision.pk}", "decision": "reject", "reason": "Nom trompeur."})
    domain.refresh_from_db()
    revision.refresh_from_db()
    assert domain.status == OfferStatus.PUBLISHED
    assert revision.status == RevisionStatus.REJECTED and revision.rejection_reason == "Nom trompeur."
    assert client.post(url, {"item": "accounts.user:1", "decision": "approve"}).status_code == 302


def test_amenities_and_conditions_of_a_published_lodging_wait_for_approval(owner, owner_client, staff):
    wifi, _created = Amenity.objects.get_or_create(code="wifi", defaults={"name": "Wi-Fi"})
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    lodging = make_lodging(domain, status=OfferStatus.PUBLISHED)
    owner_client.post(reverse("lodging_wizard", args=[lodging.pk, "equipements"]),
                      {"amenities": [wifi.pk], "accessibility_notes": "Pas d'ascenseur."})
    assert not lodging.amenities.exists()
    page = owner_client.get(reverse("lodging_wizard", args=[lodging.pk, "equipements"])).content.decode()
    assert f'value="{wifi.pk}"' in page and "checked" in page
    revision = moderation.pending_revision(lodging)
    moderation.submit_revision(revision=revision, now=timezone.now())
    moderation.approve_revision(revision=revision, by=staff, now=timezone.now())
    lodging.refresh_from_db()
    assert list(lodging.amenities.all()) == [wifi] and lodging.accessibility_notes == "Pas d'ascenseur."


def test_new_merimee_reference_must_be_verified_again(owner, staff):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED, monument_protection="classe",
                         merimee_reference="PA00097151", monument_verified=True)
    revision = moderation.record_revision(offer=domain, values={"merimee_reference": "PA00097152"})
    moderation.submit_revision(revision=revision, now=timezone.now())
    domain.refresh_from_db()
    assert domain.monument_verified and domain.merimee_reference == "PA00097151"
    moderation.approve_revision(revision=revision, by=staff, now=timezone.now())
    domain.refresh_from_db()
    assert domain.merimee_reference == "PA00097152" and not domain.monument_verified


def test_owner_withdraws_pending_changes(owner, owner_client):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    moderation.record_revision(offer=domain, values={"history": "Brouillon de texte."})
    owner_client.post(reverse("domain_wizard", args=[domain.pk, "soumettre"]), {"action": "withdraw_revision"})
    assert moderation.pending_revision(domain) is None
    domain.refresh_from_db()
    assert domain.history == "Bâti au XVIe siècle."


def test_staff_verify_credentials_in_admin(client, staff, owner):
    label, _created = Label.objects.get_or_create(slug="vmf", defaults={"name": "VMF"})
    domain = make_domain(owner, status=OfferStatus.SUBMITTED, monument_protection="inscrit",
                         merimee_reference="PA00097151")
    DomainLabel.objects.create(domain=domain, label=label)
    client.force_login(staff)
    client.post(reverse("admin:domains_domain_changelist"),
                {"action": "verify_credentials", "_selected_action": [domain.pk]})
    domain.refresh_from_db()
    assert domain.monument_verified and DomainLabel.objects.get(domain=domain).verified


def test_an_offer_approved_before_its_domain_is_announced_online_only_with_the_domain(
        owner, staff, mailoutbox, django_capture_on_commit_callbacks):
    domain = make_domain(owner, name="Manoir de Kervoas", status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    lodging = make_lodging(domain, title="Le Pigeonnier", status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_offer(offer=lodging, by=staff, now=timezone.now())
    waiting = mailoutbox[-1]
    assert "En ligne" not in waiting.subject and "est en ligne" not in waiting.body
    assert "dès que votre domaine « Manoir de Kervoas » sera validé" in waiting.body
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_offer(offer=domain, by=staff, now=timezone.now())
    online = mailoutbox[-1]
    assert online.subject.endswith("En ligne : Manoir de Kervoas") and "- Le Pigeonnier" in online.body
    # No gender agreement guessed from "offre": « Le Pigeonnier est validée » was written.
    assert "est validée" not in waiting.body + online.body
