from django import template

from bookings.party import capacity_label, party_label

register = template.Library()


@register.filter
def party(booking) -> str:
    """`{{ booking|party }}`: "2 adultes, 1 enfant"."""
    return party_label(booking.adults, booking.children)


@register.filter
def capacity(unit) -> str:
    """`{{ unit|capacity }}`: "4 adultes et 2 enfants"."""
    return capacity_label(unit.adults_capacity, unit.children_capacity)
