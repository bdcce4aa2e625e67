"""Officer edit of a resident's record, through services.resident_update (field history)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from congan.core.errors import ValidationFailed
from congan.core.forms import add_error_details
from congan.org.actors import OfficerRequest
from congan.population import selectors, services
from congan.population.forms import ResidentEditForm
from congan.population.purpose_gate import RESIDENT, purpose_gate

# Stored in the field history as data, in the registry's language (not the editor's UI language).
EDIT_SOURCE = "Cán bộ cập nhật"


@never_cache
@login_required
@permission_required("population.change_resident", raise_exception=True)
@purpose_gate(RESIDENT)
def resident_edit(request: OfficerRequest, resident_id: int, *, purpose: str) -> HttpResponse:
    """The edit form, once a purpose is declared for this person (purpose_gate); audited with it."""
    resident = selectors.resident_for_edit(viewer=request.user, resident_id=resident_id, purpose=purpose)
    form = ResidentEditForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        try:
            services.resident_update(
                by=request.user,
                resident=resident,
                source=f"{EDIT_SOURCE}: {form.cleaned_data['reason']}",
                **form.changes(),
            )
        except ValidationFailed as exc:
            add_error_details(form, exc)
        else:
            if form.changes():
                messages.success(request, _("Đã cập nhật %(count)s trường.") % {"count": len(form.changes())})
            else:
                messages.info(request, _("Không có trường nào thay đổi."))
            return redirect("population:resident_profile", resident_id=resident.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "resident": resident, "purpose": purpose}
    return render(request, "population/resident_edit.html", context, status=status)
