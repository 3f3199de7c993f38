"""Filled by its owner; see linkage/urls.py and linkage/api_urls.py."""

urlpatterns: list = []
