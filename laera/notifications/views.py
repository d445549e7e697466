"""A person's notices: the list (the bell leads here), opening one, marking them read, and choosing
which come by e-mail; for admins, the background work of the organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laera.core.notices import notice_kinds
from laera.core.versioning import save_versioned
from laera.organisations.tenancy import OrgRequest, org_view

from . import selectors, services
from .forms import NotificationSettingsForm, field_name
from .policies import NoticeAction, notification_policy


@org_view
def notification_list(request: OrgRequest) -> HttpResponse:
    """The person's notices, newest first, unread ones marked, a page at a time."""
    actor = request.actor
    page, shown = selectors.notification_page(actor, request.GET.get("page"))
    context = {"page": page, "shown": shown, "unread": selectors.unread_count(actor)}
    return render(request, "notifications/list.html", context)


@org_view
def notification_open(request: OrgRequest, notification_id: int) -> HttpResponse:
    """Follow a notice to its page, marking it read on the way."""
    actor = request.actor
    notification = selectors.access_notification(actor, notification_id)
    services.notification_mark_read(actor=actor, notification=notification)
    inside = notification.url.startswith("/") and url_has_allowed_host_and_scheme(notification.url, None)
    if not inside:
        return redirect("notifications:list", org_slug=actor.organisation.slug)
    return redirect(notification.url)


@org_view
def notification_read(request: OrgRequest, notification_id: int) -> HttpResponse:
    """Mark one notice read; with HTMX the item is swapped for its read self, and the change announced."""
    actor = request.actor
    notification = selectors.access_notification(actor, notification_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.notification_mark_read(actor=actor, notification=notification)
    if request.htmx:
        context = {"item": selectors.shown_notice(actor, notification), "just_read": True}
        return render(request, "notifications/partials/notice.html", context)
    return redirect("notifications:list", org_slug=actor.organisation.slug)


@org_view
@require_POST
def notifications_read_all(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    count = services.notifications_mark_all_read(actor=actor)
    if count:
        messages.success(request, _("All your notices are marked as read."))
    return redirect("notifications:list", org_slug=actor.organisation.slug)


@org_view
def notification_settings(request: OrgRequest) -> HttpResponse:
    """How each kind of notice comes: by e-mail at once, in one e-mail a day, or only in Læra."""
    actor = request.actor
    kinds = notice_kinds()
    choices, version = selectors.preferences_of(actor)
    initial: dict[str, object] = {field_name(key): value for key, value in choices.items()}
    initial["version"] = version
    form = NotificationSettingsForm(request.POST or None, initial=initial, kinds=kinds)
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.preferences_update(
                actor=actor, email=form.choices(kinds), version=form.cleaned_data["version"]
            ),
            reload=lambda: selectors.preferences_saved(actor),
            fresh=lambda current: NotificationSettingsForm(initial=initial, kinds=kinds),
        )
        if saved is not None:
            messages.success(request, _("Your choices are saved."))
            return redirect("notifications:settings", org_slug=actor.organisation.slug)
    return render(request, "notifications/settings.html", {"form": form, "conflict": conflict})


@org_view
def background_work(request: OrgRequest) -> HttpResponse:
    """For admins: the organisation's imports that are waiting, running or ended lately, and the e-mails
    that could not be sent."""
    actor = request.actor
    notification_policy.require(actor, NoticeAction.OVERSEE)
    failed, failed_count = selectors.failed_emails(actor)
    context = {"jobs": selectors.recent_jobs(actor), "failed": failed, "failed_count": failed_count}
    return render(request, "notifications/background_work.html", context)
