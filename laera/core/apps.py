from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "laera.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app's `hooks` module registers what it adds to the lower apps' pages (laera.core.hooks).
        autodiscover_modules("hooks")
