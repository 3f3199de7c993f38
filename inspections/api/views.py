"""Placeholder: checklists, inspections and cases."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
