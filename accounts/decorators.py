from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


def owner_required(view):
    """Logged-in owners only; a traveller is offered to become one."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_owner:
            return redirect("become_owner")
        return view(request, *args, **kwargs)

    return wrapper
