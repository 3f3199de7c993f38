"""Files uploaded by linkage tests (scans of paper slips, records of online contact) go to a
temporary media folder, never into the data directory."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
