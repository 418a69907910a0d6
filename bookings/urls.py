"""Travellers' booking pages (the owner's tabs are in urls_dashboard.py)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
