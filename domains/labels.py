"""Labels and networks of a domain: memberships the owner declares (staff verify them before
a badge shows) and the owners' proposals of missing labels, which staff answer."""
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .emails import send_owner_email
from .models import Domain, DomainLabel, Label, LabelProposal, ProposalStatus
from .moderation import OfferError
from .signals import content_changed
from .slugs import unique_slug


@transaction.atomic
def set_domain_labels(*, domain: Domain, labels: list[Label]) -> None:
    """Memberships the owner declares; new ones wait for staff verification before a badge shows."""
    wanted = {label.pk for label in labels}
    DomainLabel.objects.filter(domain=domain).exclude(label_id__in=wanted).delete()
    existing = set(DomainLabel.objects.filter(domain=domain).values_list("label_id", flat=True))
    DomainLabel.objects.bulk_create([DomainLabel(domain=domain, label_id=pk) for pk in wanted - existing])
    content_changed.send(sender=Domain, domain_id=domain.pk)  # bulk_create: no post_save


def propose_label(*, owner: User, name: str, website: str, reason: str) -> LabelProposal:
    return LabelProposal.objects.create(owner=owner, name=name.strip(), website=website, reason=reason)


@transaction.atomic
def answer_label_proposal(*, proposal: LabelProposal, accept: bool, answer: str, now: datetime) -> None:
    """Staff accept (the label becomes selectable) or refuse; the owner is told either way."""
    if proposal.status != ProposalStatus.PENDING:
        raise OfferError(_("Cette proposition a déjà reçu une réponse."))
    label = None
    if accept:
        label = Label.objects.filter(name__iexact=proposal.name).first() or Label.objects.create(
            name=proposal.name, slug=unique_slug(Label, proposal.name), website=proposal.website)
    status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REFUSED
    updated = LabelProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=status, label=label, staff_answer=answer, decided_at=now)
    if updated != 1:
        raise OfferError(_("Cette proposition a déjà reçu une réponse."))
    proposal.refresh_from_db()
    send_owner_email(user=proposal.owner, template="label_answer", context={"proposal": proposal})
