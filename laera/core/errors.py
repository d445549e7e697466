"""Errors services raise; views turn them into form errors or responses."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A rule of the domain was broken; the message is translated and meant for the user."""
