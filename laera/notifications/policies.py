"""Who may do what with notices (`laera.core.policies`).

A notice is its person's own: only they read it, open it and mark it read, whatever their role (an
external contributor too). Nobody reads another person's notices, admins included; admins see the
organisation's background work and the e-mails that could not be sent (who, when, why), not the notices.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models

from laera.core.policies import PermissionPolicy, PolicyActor

from .models import Notification


class NoticeAction(StrEnum):
    READ = "read"  # read, open, mark read
    OVERSEE = "oversee"  # the organisation's background work and failed e-mails


class NotificationPolicy(PermissionPolicy[Notification]):
    model = Notification

    def allows(self, actor: PolicyActor, action: str, obj: Notification | None = None) -> bool:
        if self.foreign(actor, obj):
            return False
        if action == NoticeAction.OVERSEE:
            return actor.is_admin
        return obj is None or obj.person_id == actor.person.pk

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[Notification]:
        if action == NoticeAction.OVERSEE:
            return self.model._default_manager.none()
        return self.in_organisation(actor).filter(person=actor.person)


notification_policy = NotificationPolicy()
