"""The page frame (templates/site/base.html) prints its language-only parts once per process
and language ({% rendered_once %}): each visitor still gets their own menu, in their
language, with their own logout token."""
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def _menu(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    return html[html.index('<nav class="top-menu"'):html.index("</nav>")]


def test_each_visitor_gets_their_own_menu_in_their_language(owner, traveller):
    visitors = {"anonymous": Client(), "owner": Client(), "traveller": Client()}
    visitors["owner"].force_login(owner)
    visitors["traveller"].force_login(traveller)
    for _round in range(2):  # the second round is served from what the first rendered
        for language in ("fr", "en"):
            with translation.override(language):
                home, dashboard, become_owner = reverse("home"), reverse("dashboard"), reverse("become_owner")
                logout, trips, signup = reverse("account_logout"), reverse("trips"), reverse("owner_signup")
            menus = {name: _menu(client, home) for name, client in visitors.items()}
            owner_menu, traveller_menu, anonymous_menu = menus["owner"], menus["traveller"], menus["anonymous"]
            assert f'href="{dashboard}"' in owner_menu and f'href="{become_owner}"' not in owner_menu
            assert f'href="{become_owner}"' in traveller_menu and f'href="{dashboard}"' not in traveller_menu
            for menu in (owner_menu, traveller_menu):
                assert f'action="{logout}"' in menu and f'href="{trips}"' in menu and signup not in menu
            assert f'href="{signup}"' in anonymous_menu and logout not in anonymous_menu
            assert ("Déconnexion" in owner_menu) == (language == "fr")
            assert ("Log out" in traveller_menu) == (language == "en")


def test_the_logout_form_carries_the_visitors_own_token(owner, traveller):
    tokens = []
    for user in (owner, traveller):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        menu = _menu(client, reverse("home"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu).group(1)
        tokens.append(client.cookies["csrftoken"].value)
        response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert tokens[0] != tokens[1]
