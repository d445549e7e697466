"""The `laera` console command: Django's manage.py under Læra's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laera.config.settings.base")
    if not os.environ.get("DATABASE_URL"):
        # The embedded SQLite database lives here; SQLite will not create the folder itself.
        os.makedirs(os.environ.get("LAERA_DATA_DIR", "var"), exist_ok=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["laera", *sys.argv[1:]])


if __name__ == "__main__":
    main()
