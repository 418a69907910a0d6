"""The local pages that stand for Stripe's hosted ones (no authentication: the owner's browser
opens them, as it would open connect.stripe.com).

- `GET /connect/onboarding/{token}` — the page an account link opens. Three buttons:
  « Terminer l'inscription » (complete), « Envoyer plus tard une pièce d'identité » (details
  submitted, an identity document due) and « Quitter sans terminer » (nothing changes). Each
  sends the browser to the link's `return_url`, as Stripe does whether or not onboarding is
  finished. A link that expired or was already opened sends it to `refresh_url` instead.
- `GET /connect/express/{token}` — the "Express dashboard" a login link opens: the account's
  state, balance and latest transfers (amounts as Stripe's dashboard writes them, without
  Django's locale formatting: this process has no settings).
"""
from __future__ import annotations

from html import escape

from aiohttp import web
from localstripe.resources import store

from core.money import from_cents

from . import balances, connect
from .common import Routes, now

routes = Routes()

PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — serveur Stripe local</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
button{{display:block;width:100%;margin:.5rem 0;padding:.75rem;font-size:1rem;cursor:pointer}}
.note{{color:#555}} table{{border-collapse:collapse;width:100%}} td,th{{text-align:left;padding:.25rem;
border-bottom:1px solid #ddd}}</style></head>
<body><main>
<p class="note">Serveur Stripe local (développement et tests) : aucune donnée ne quitte cette machine.</p>
<h1>{title}</h1>
{body}
</main></body></html>
"""


def _page(title: str, body: str, *, status: int = 200) -> web.Response:
    return web.Response(text=PAGE.format(title=escape(title), body=body), status=status, content_type="text/html")


def _not_found() -> web.Response:
    return _page("Lien inconnu", "<p>Ce lien n'existe pas sur ce serveur Stripe local.</p>", status=404)


def _usable(link: dict, state: str) -> bool:
    return link["state"] == state and now() < link["expires_at"]


def _save(token: str, link: dict, state: str) -> None:
    store[f"alma_account_link:{token}"] = {**link, "state": state}


async def onboarding_page(request: web.Request, token: str) -> web.StreamResponse:
    link = connect.account_link(token)
    if link is None:
        return _not_found()
    if not _usable(link, "new"):
        raise web.HTTPFound(link["refresh_url"])
    _save(token, link, "opened")
    account = connect.Account._api_retrieve(link["account"])
    body = f"""<p>Compte <strong>{escape(account.id)}</strong>{f" ({escape(account.email)})" if account.email else ""}.
Choisissez ce que Stripe aurait décidé à la fin de son formulaire d'inscription.</p>
<form method="post">
<button type="submit" name="choice" value="complete">Terminer l'inscription</button>
<button type="submit" name="choice" value="document">Envoyer plus tard une pièce d'identité</button>
<button type="submit" name="choice" value="leave">Quitter sans terminer</button>
</form>"""
    return _page("Inscription à Stripe Connect", body)


async def onboarding_choice(request: web.Request, token: str) -> web.StreamResponse:
    link = connect.account_link(token)
    if link is None:
        return _not_found()
    if not _usable(link, "opened"):
        raise web.HTTPSeeOther(link["refresh_url"])
    choice = (await request.post()).get("choice")
    if choice == "complete":
        connect.complete(link["account"])
    elif choice == "document":
        connect.require_document(link["account"])
    _save(token, link, "used")
    raise web.HTTPSeeOther(link["return_url"])


def _state_in_words(account: connect.Account) -> str:
    if account._can_receive_transfers and account.payouts_enabled:
        return "Compte prêt : virements et versements activés."
    due = ", ".join(account.requirements["currently_due"]) or "rien"
    return f"Compte pas encore prêt. Informations demandées : {escape(due)}."


async def express_dashboard(request: web.Request, token: str) -> web.Response:
    account_id = connect.login_link_account(token)
    if account_id is None:
        return _not_found()
    account = connect.Account._api_retrieve(account_id)
    transfers = sorted((obj for key, obj in store.items() if key.startswith("transfer:")
                        and obj.destination == account_id), key=lambda obj: obj._order, reverse=True)[:20]
    rows = "".join(f"<tr><td>{escape(t.id)}</td><td>{from_cents(t.amount)} EUR</td>"
                   f"<td>{escape(t.transfer_group or '')}</td><td>{from_cents(t.amount_reversed)} EUR</td></tr>"
                   for t in transfers) or '<tr><td colspan="4">Aucun virement.</td></tr>'
    body = f"""<p>Compte <strong>{escape(account.id)}</strong>. {_state_in_words(account)}</p>
<p>Solde disponible : <strong>{from_cents(balances.available(account_id))} EUR</strong></p>
<h2>Virements reçus</h2>
<table><thead><tr><th scope="col">Virement</th><th scope="col">Montant</th><th scope="col">Groupe</th>
<th scope="col">Repris</th></tr></thead><tbody>{rows}</tbody></table>"""
    return _page("Tableau de bord Express", body)


routes.add("GET", r"/connect/onboarding/(?P<token>[\w-]+)", onboarding_page)
routes.add("POST", r"/connect/onboarding/(?P<token>[\w-]+)", onboarding_choice)
routes.add("GET", r"/connect/express/(?P<token>[\w-]+)", express_dashboard)
