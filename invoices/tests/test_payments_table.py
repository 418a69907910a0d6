"""The « Paiements » tab written from Python (invoices/templatetags/payments_table.py and the
plain-row selectors) against the template and the ORM reads it replaced: the same page, byte
for byte, in French and English, for owners with nothing, with two pages of payouts in every
state, invoices and credit notes, documents of months without a payout, more than 20 bookings
earned and not payable (stays, chambres d'hôtes, experiences, taxe de séjour, refunds, vouchers)
and names holding markup."""
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import engines
from django.urls import reverse
from django.utils import translation

from accounts.models import BillingAddress
from bookings.models import Booking, BookingStatus
from bookings.tests.dashboard_factories import make_booking, make_session, make_unit
from invoices import selectors, statements
from invoices.models import DocumentKind, Invoice, Settlement
from payouts import connect
from payouts.models import ConnectedAccount, LedgerTransaction, Payout, PayoutStatus, TransactionKind
from touristtax.models import BookingTax, TaxStatus

pytestmark = pytest.mark.django_db

# invoices/templates/invoices/dashboard_payments.html before it was written from Python.
FORMER_TEMPLATE = """{% extends "dashboard/base.html" %}
{% load money %}
{% load i18n %}
{% load help_tags %}
{% block title %}{% translate "Paiements" %}{% endblock %}
{% block content %}
<h1>{% translate "Paiements" %}</h1>{% help_link "versement-des-gains" %}

<section class="connect-state" aria-labelledby="connect-title">
  <h2 id="connect-title">{% translate "Compte Stripe Connect" %}</h2>
  {# The state and its words are payouts.connect.state_of's, as on "Mon compte > Stripe Connect". #}
  <p><span class="status-pill {% if connect.ready %}status-confirmed{% elif connect.code == "none" %}status-past{% else %}status-awaiting_payment{% endif %}">{{ connect.label }}</span>
    {{ connect.detail }}</p>
  {% if requirements_count %}
    <p class="notice">{% blocktranslate count counter=requirements_count %}Stripe attend encore {{ counter }} information.{% plural %}Stripe attend encore {{ counter }} informations.{% endblocktranslate %}
    {% if account.requirements_deadline %}{% blocktranslate with deadline=account.requirements_deadline|long_date:"DATE_FORMAT" %}À fournir avant le {{ deadline }}.{% endblocktranslate %}{% endif %}</p>
  {% endif %}
  {% if not connect.ready %}
    <p><a class="button" href="{% url 'stripe_connect' %}">{% if account %}{% translate "Terminer mon inscription Stripe" %}{% else %}{% translate "Relier mon compte Stripe" %}{% endif %}</a></p>
  {% endif %}
</section>

{% if not has_billing_address %}
<p class="notice">{% translate "Vous n'avez pas renseigné d'adresse de facturation : vos factures de commission sont émises sans adresse tant qu'elle manque." %}
  <a href="{% url 'billing_address' %}">{% translate "Renseigner mon adresse de facturation" %}</a></p>
{% endif %}

<h2>{% translate "Virements" %}</h2>
{% if payouts %}
<div class="table-wrap" tabindex="0" role="region" aria-label="{% translate "Tableau, défilable horizontalement" %}">
<table class="data payouts-table">
  <caption>{% blocktranslate count counter=page.paginator.count %}{{ counter }} versement mensuel{% plural %}{{ counter }} versements mensuels{% endblocktranslate %}</caption>
  <thead>
    <tr>
      <th scope="col">{% translate "Versement" %}</th>
      <th scope="col">{% translate "État" %}</th>
      <th scope="col" class="num">{% translate "Montant" %}</th>
      <th scope="col">{% translate "Relevé" %}</th>
      <th scope="col">{% translate "Factures et avoirs" %}</th>
    </tr>
  </thead>
  <tbody>
  {% for item in payouts %}{% with payout=item.payout %}
    <tr>
      <td><a href="{% url 'payout_detail' payout.pk %}">{% blocktranslate with date=payout.month|long_date:"DATE_FORMAT" %}du {{ date }}{% endblocktranslate %}</a></td>
      <td><span class="status-pill {{ item.pill }}">{{ item.state }}</span></td>
      <td class="num">{{ payout.amount_cents|eur_cents }}</td>
      <td>{% if item.has_statement %}<a href="{% url 'payout_statement_pdf' payout.pk %}">PDF</a> · <a href="{% url 'payout_statement_csv' payout.pk %}">CSV</a>{% else %}—{% endif %}</td>
      <td>{% for document in item.documents %}<a href="{% url 'invoice_pdf' document.number %}">{% if document.is_credit_note %}{% translate "Avoir" %}{% else %}{% translate "Facture" %}{% endif %} {{ document.number }}</a>{% if not forloop.last %}<br>{% endif %}{% empty %}—{% endfor %}</td>
    </tr>
  {% endwith %}{% endfor %}
  </tbody>
</table>
</div>
{% include "bookings/dashboard/_pagination.html" %}
{% else %}
<div class="empty-state"><p>{% translate "Aucun virement pour le moment. Le 1er de chaque mois, nous vous versons les gains des séjours et expériences terminés le mois précédent ; le relevé et la facture de commission apparaîtront ici." %}</p></div>
{% endif %}

{% if loose_documents %}
<h2>{% translate "Autres factures et avoirs" %}</h2>
<ul>
  {% for document in loose_documents %}<li><a href="{% url 'invoice_pdf' document.number %}">{% if document.is_credit_note %}{% translate "Avoir" %}{% else %}{% translate "Facture" %}{% endif %} {{ document.number }}</a> — {{ document.issue_date|long_date:"DATE_FORMAT" }} — {{ document.total_ttc_cents|eur_cents }}</li>{% endfor %}
</ul>
{% endif %}

<h2>{% translate "Gagné, pas encore versé" %}</h2>
{% if upcoming %}
<p>{% blocktranslate with rate_stay=rates.stay|floatformat rate_exp=rates.experience|floatformat %}Vos gains sont versés le 1er du mois qui suit la fin du séjour ou de l'expérience, notre commission ({{ rate_stay }} % sur les hébergements, {{ rate_exp }} % sur les expériences, frais bancaires inclus) déjà déduite.{% endblocktranslate %}</p>
<div class="table-wrap" tabindex="0" role="region" aria-label="{% translate "Tableau, défilable horizontalement" %}">
<table class="data upcoming-table">
  <caption>{% blocktranslate count counter=upcoming_count %}{{ counter }} réservation en cours ou à venir{% plural %}{{ counter }} réservations en cours ou à venir{% endblocktranslate %}</caption>
  <thead>
    <tr>
      <th scope="col">{% translate "Réservation" %}</th>
      <th scope="col">{% translate "Offre" %}</th>
      <th scope="col">{% translate "Fin de la prestation" %}</th>
      <th scope="col" class="num">{% translate "Net pour vous" %}</th>
      <th scope="col">{% translate "Versement prévu le" %}</th>
    </tr>
  </thead>
  <tbody>
  {% for item in upcoming %}
    <tr>
      <td><a href="{% url 'dashboard_booking' item.booking.reference %}">{{ item.booking.reference }}</a></td>
      <td>{{ item.booking.title }}</td>
      <td class="nowrap">{{ item.booking.service_end|long_date:"DATE_FORMAT" }}</td>
      <td class="num">{{ item.net_cents|eur_cents }}</td>
      <td class="nowrap">{{ item.payable_on|long_date:"DATE_FORMAT" }}</td>
    </tr>
  {% endfor %}
  </tbody>
</table>
</div>
{% if upcoming_count > upcoming|length %}<p>{% blocktranslate with shown=upcoming|length %}Les {{ shown }} premières sont affichées ; toutes figurent dans l'onglet « Réservations ».{% endblocktranslate %}</p>{% endif %}
{% else %}
<div class="empty-state"><p>{% translate "Aucun gain en attente : les réservations payées dont le séjour ou l'expérience n'est pas terminé apparaîtront ici, avec la date de leur versement." %}</p></div>
{% endif %}
{% endblock %}
"""


def former_context(owner, page_number):
    """invoices.views.dashboard_payments's context before the plain rows."""
    page = Paginator(selectors.owner_payouts(owner=owner), 12).get_page(page_number)
    documents = selectors.documents_by_month(owner=owner, months=[payout.month for payout in page.object_list])
    payouts = [{"payout": payout, "state": selectors.payout_state(payout), "pill": selectors.payout_pill(payout),
                "has_statement": statements.has_statement(payout), "documents": documents.get(payout.month, [])}
               for payout in page.object_list]
    upcoming, upcoming_count = selectors.earned_not_payable(owner=owner, limit=20)
    account = selectors.connected_account(owner=owner)
    return {
        "tab": "payments", "page": page, "payouts": payouts,
        "loose_documents": list(selectors.documents_without_payout(owner=owner)) if page.number == 1 else [],
        "upcoming": upcoming, "upcoming_count": upcoming_count,
        "account": account, "connect": connect.state_of(account),
        "requirements_count": selectors.requirements_count(account),
        "has_billing_address": BillingAddress.objects.filter(user=owner).exists(),
        "rates": {"stay": settings.COMMISSION_RATE_LODGING * 100,
                  "experience": settings.COMMISSION_RATE_EXPERIENCE * 100},
    }


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def both(client, owner, language, query=""):
    """The page served now, and the former template rendered for the same request."""
    with translation.override(language):
        path = reverse("dashboard_payments")
    assert path.startswith(f"/{language}/")
    response = client.get(path + query)
    assert response.status_code == 200
    request = response.wsgi_request
    with translation.override(language):
        former = engines["django"].from_string(FORMER_TEMPLATE).render(
            former_context(owner, request.GET.get("page")), request)
    return _TOKEN.sub("", response.content.decode()), _TOKEN.sub("", former)


_sequence = count(1)


def document(owner, month, *, kind=DocumentKind.INVOICE, corrects=None, ttc=12345):
    n = next(_sequence)
    return Invoice.objects.create(
        kind=kind, sequence_number=n, number=f"AH-2026-{n:05d}<i>", owner=owner, month=month, corrects=corrects,
        issued_at=datetime(2026, 1, 5, 8, tzinfo=UTC), issue_date=date(2026, 1, 5) + timedelta(days=n), seller={},
        buyer_name="Hélène", vat_rate=Decimal("0.2000"), total_ht_cents=ttc - ttc // 6, total_vat_cents=ttc // 6,
        total_ttc_cents=ttc, settlement=Settlement.PAID)


def months_back(n):
    year, month = divmod(2026 * 12 + 10 - n, 12)
    return date(year, month + 1, 1)


@pytest.fixture
def busy_owner(owner, traveller):
    """Two pages of payouts in every state, documents, 23 bookings earned and not payable, and a
    booking that ended (not shown)."""
    states = list(PayoutStatus)
    for n in range(14):
        if n == 5:
            continue  # a month without a payout: its invoice is one of the « autres factures »
        Payout.objects.create(owner=owner, month=months_back(n), status=states[n % len(states)],
                              amount_cents=100_000 * n + 1234 + n)
    for n in (0, 1, 3, 12):
        invoice = document(owner, months_back(n), ttc=5_000 + n)
        if n in (1, 12):
            document(owner, months_back(n), kind=DocumentKind.CREDIT_NOTE, corrects=invoice, ttc=700 + n)
    loose = document(owner, months_back(5))
    document(owner, months_back(5), kind=DocumentKind.CREDIT_NOTE, corrects=loose, ttc=99)
    document(owner, months_back(-1))  # issued before its month's run
    chambres = make_unit(owner, name="<b>Château</b>", lodging="Le <em>Pavillon</em> & co", room="Chambre \"bleue\"")
    gite = make_unit(owner, name="Moulin", lodging="Le Gîte", room="La <script>")
    gite.lodging.kind = "gite"
    gite.lodging.save()
    session = make_session(owner, start=datetime(2027, 6, 12, 22, 30, tzinfo=UTC))
    for n in range(23):
        unit = (chambres, gite, None)[n % 3]
        booking = make_booking(traveller=traveller, unit=unit, session=None if unit else session,
                               arrival=date(2027, 5, 1) + timedelta(days=4 * n), total=f"{200 + 37 * n}.{n:02d}",
                               refunded=str(n % 4 * 10), voucher_amount=Decimal(n % 5 * 3),
                               commission_rate=(None, Decimal("0.1300"), Decimal("0.1500"))[n % 3])
        if unit is gite and n % 2:
            BookingTax.objects.create(booking=booking, lodging=gite.lodging, category="meuble_non_classe",
                                      status=TaxStatus.COLLECTED, nights=2, adults=2, occupants=2,
                                      nightly_price=Decimal("100"), amount=Decimal(f"{n}.37"))
    ended = make_booking(traveller=traveller, unit=gite, arrival=date(2027, 4, 1), total="999.99")
    LedgerTransaction.objects.create(key=f"ended:{ended.pk}", kind=TransactionKind.BOOKING_ENDED, booking=ended,
                                     occurred_at=datetime(2027, 4, 4, tzinfo=UTC))
    make_booking(traveller=traveller, unit=gite, arrival=date(2027, 8, 1), status=BookingStatus.CANCELLED)
    BillingAddress.objects.create(user=owner, name="SCI", line1="1 rue", postal_code="37000", city="Tours")
    ConnectedAccount.objects.create(owner=owner, stripe_account_id="acct_x", details_submitted=True,
                                    requirements_due=["individual.dob.day", "external_account"],
                                    requirements_past_due=["external_account"],
                                    requirements_deadline=datetime(2027, 5, 31, 22, 30, tzinfo=UTC))
    return owner


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("query", ["", "?page=2", "?page=2&q=%3Cb%3E", "?page=abc", "?page=99"])
def test_the_page_is_the_former_templates_byte_for_byte(client, busy_owner, language, query):
    client.force_login(busy_owner)
    page, former = both(client, busy_owner, language, query)
    assert page == former, _first_difference(page, former)
    assert page.count('<tr>\n      <td><a href="/') >= 20 and 'rel="prev"' in page or 'rel="next"' in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_owner_with_nothing_sees_the_former_page(owner_client, owner, language):
    page, former = both(owner_client, owner, language)
    assert page == former, _first_difference(page, former)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("account", [
    {"details_submitted": True, "transfers_capability": "active", "payouts_enabled": True},
    {"details_submitted": False},
    {"details_submitted": True, "disabled_reason": "requirements.past_due"},
    {"details_submitted": True, "requirements_due": ["business"]},
    {"details_submitted": True},
])
def test_each_connect_state_and_a_few_rows_give_the_former_page(owner_client, owner, traveller, language, account):
    ConnectedAccount.objects.create(owner=owner, stripe_account_id="acct_y", **account)
    Payout.objects.create(owner=owner, month=months_back(0), status=PayoutStatus.SENT, amount_cents=34_800)
    document(owner, months_back(0))
    unit = make_unit(owner)
    for n in range(3):
        make_booking(traveller=traveller, unit=unit, arrival=date(2027, 5, 1) + timedelta(days=3 * n))
    page, former = both(owner_client, owner, language)
    assert page == former, _first_difference(page, former)


def test_the_nets_are_the_ledgers_to_the_cent(busy_owner):
    rows, shown = selectors.upcoming_rows(busy_owner.pk)
    former, former_count = selectors.earned_not_payable(owner=busy_owner, limit=20)
    assert [(row.reference, row.title, row.service_end, row.payable_on, row.net_cents) for row in rows] == [
        (item.booking.reference, item.booking.title, item.booking.service_end, item.payable_on, item.net_cents)
        for item in former]
    assert (shown, len(rows)) == (former_count, 20) == (23, 20)
    assert len({row.net_cents for row in rows}) > 10  # the refunds, vouchers, rates and taxes differ


def _first_difference(page, former):  # a readable failure
    at = next((i for i, (a, b) in enumerate(zip(page, former, strict=False)) if a != b), min(len(page), len(former)))
    return f"at {at}: page {page[at - 80:at + 120]!r}\nformer {former[at - 80:at + 120]!r}"


def test_the_tab_makes_the_same_queries_at_two_sizes(owner_client, owner, traveller, django_assert_num_queries):
    """Session, user, owner profile, the double-booking banner; then the head (payout count,
    billing address, Stripe account), the page of payouts, their documents, the upcoming
    bookings, and their count once the table is full."""
    unit = make_unit(owner)

    def grow(payouts, bookings):
        start = Payout.objects.filter(owner=owner).count()
        for n in range(start, start + payouts):
            Payout.objects.create(owner=owner, month=months_back(n), status=PayoutStatus.SENT, amount_cents=n)
            document(owner, months_back(n))
        first = Booking.objects.filter(owner=owner).count()
        for n in range(first, first + bookings):
            make_booking(traveller=traveller, unit=unit, arrival=date(2027, 5, 1) + timedelta(days=3 * n))

    grow(2, 25)
    with django_assert_num_queries(8):
        page_small = owner_client.get(reverse("dashboard_payments")).content.decode()
    grow(30, 60)
    for query in ("", "?page=3"):
        with django_assert_num_queries(8):
            page_big = owner_client.get(reverse("dashboard_payments") + query).content.decode()
    assert "2 versements mensuels" in page_small and "32 versements mensuels" in page_big
    assert "85 réservations en cours ou à venir" in page_big and "Page 3 sur 3" in page_big


def test_a_table_not_full_is_not_counted_again(owner_client, owner, traveller, django_assert_num_queries):
    unit = make_unit(owner)
    for n in range(19):
        make_booking(traveller=traveller, unit=unit, arrival=date(2027, 5, 1) + timedelta(days=3 * n))
    with django_assert_num_queries(7):
        html = owner_client.get(reverse("dashboard_payments")).content.decode()
    assert "19 réservations en cours ou à venir" in html and "premières sont affichées" not in html
