"""Finding what the project's own apps contribute by convention: ``<app>.jobs`` (periodic jobs),
``<app>.demo`` (demo data). Only the apps of this project are asked (the top folders of ``BASE_DIR``), in the
order of INSTALLED_APPS, which is the order of the layers; third-party apps are never searched."""

from importlib import import_module, util
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings


def project_modules(name: str) -> list[ModuleType]:
    """The ``<app>.<name>`` modules of the project's own apps that have one."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != base:  # apps of this project are its top folders
            continue
        module_name = f"{config.name}.{name}"
        if util.find_spec(module_name) is not None:
            found.append(import_module(module_name))
    return found
