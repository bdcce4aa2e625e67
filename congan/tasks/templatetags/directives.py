"""``{% directive_panel document %}``: the "Bút phê" section of the incoming document's page (the
directives given, their tasks, and the form for leaders). The documents page loads it, so the
documents app imports nothing of this one."""

from __future__ import annotations

from typing import Any

from django import template

from congan.tasks import selectors
from congan.tasks.forms import DirectiveForm

register = template.Library()


@register.inclusion_tag("tasks/includes/directive_panel.html", takes_context=True)
def directive_panel(context: template.Context, document: Any) -> dict[str, Any]:
    request = context["request"]
    viewer = request.user
    can_give = viewer.has_perm(selectors.GIVE) and document.is_registered and document.status != document.Status.DONE
    return {
        "document": document,
        "directives": list(selectors.directives_of(document)),
        "form": DirectiveForm(viewer=viewer) if can_give else None,
        "csrf_token": context.get("csrf_token"),
    }
