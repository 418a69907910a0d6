"""The domain calendar's `?mois=` under out-of-range values: the current month, never a 500."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["9999-12", "1-1", "0-5", "2027-13", "-5-1", "99999999999-1", "2027", "x"])
def test_an_out_of_range_month_shows_the_current_month(owner_client, unit, domain, value):
    response = owner_client.get(reverse("calsync_domain", args=[domain.pk]), {"mois": value})
    assert response.status_code == 200
    assert 'href="?mois=' in response.content.decode()
