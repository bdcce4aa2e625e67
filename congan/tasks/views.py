"""Pages of điều hành: the directive form (posted from the incoming document's page), "my tasks"
and my units' tasks, a task with its timeline and its forms, giving a task by hand, the unit and
leader dashboards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from congan.core.errors import ApplicationError, NotFound
from congan.core.forms import add_error_details, error_text
from congan.documents import selectors as document_selectors
from congan.org.actors import OfficerRequest
from congan.tasks import selectors, services
from congan.tasks.forms import (
    CompleteForm,
    DecisionForm,
    DirectiveForm,
    ExtensionForm,
    PeriodForm,
    ReportForm,
    TaskForm,
)
from congan.tasks.models import Task

can_view = permission_required(selectors.VIEW, raise_exception=True)
can_give = permission_required(selectors.GIVE, raise_exception=True)
can_assign = permission_required(selectors.ASSIGN, raise_exception=True)


@require_POST
@login_required
@can_give
def directive(request: OfficerRequest, document_id: int) -> HttpResponse:
    """Bút phê, from the "Bút phê" section of the incoming document's page; errors come back there
    (the form's values kept in the session would be a second copy of the page: a message names them)."""
    if not document_selectors.incoming_visible(viewer=request.user).filter(pk=document_id).exists():
        raise Http404()
    form = DirectiveForm(request.POST, viewer=request.user)
    back = redirect("documents:incoming", document_id=document_id)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back
    data = form.cleaned_data
    try:
        services.directive_give(
            by=request.user,
            document_id=document_id,
            data=services.DirectiveInput(
                text=data["text"],
                deadline=data["deadline"],
                lead_unit=data.get("lead_unit"),
                lead_officer=data.get("lead_officer"),
                co_units=list(data.get("co_units") or []),
            ),
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
        return back
    messages.success(request, _("Đã cho ý kiến chỉ đạo và giao việc."))
    return back


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


@never_cache
@login_required
@can_view
def task_list(request: OfficerRequest) -> HttpResponse:
    """Việc của tôi (tab "mine"), or every open task of my units (tab "unit"): overdue first."""
    tab = request.GET.get("tab", "mine")
    if tab == "unit":
        tasks = selectors.unit_tasks(viewer=request.user)
    else:
        tab = "mine"
        tasks = selectors.my_tasks(viewer=request.user, include_finished=request.GET.get("all") == "1")
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/task_list.html",
        {
            "tab": tab,
            "page": page,
            "today": timezone.localdate(),
            "counts": selectors.counts(viewer=request.user),
            "can_assign": request.user.has_perm(selectors.ASSIGN),
            "query": f"tab={tab}",
        },
    )


def _open(request: OfficerRequest, task_id: int) -> Task:
    try:
        return selectors.task_open(viewer=request.user, task_id=task_id)
    except NotFound:
        raise Http404 from None


def _task_page(request: OfficerRequest, task: Task, status: int = 200, **forms) -> HttpResponse:
    can_work = services.can_work(task, request.user)
    pending = task.pending_extension
    can_decide = pending is not None and task.is_open and services.can_decide(task, request.user)
    context = {
        "task": task,
        "events": task.events.select_related("officer").order_by("at", "pk"),
        "today": timezone.localdate(),
        "pending": pending,
        "can_work": can_work,
        "can_decide": can_decide,
        "report_form": forms.get("report_form")
        or (ReportForm(initial={"percent": task.percent}) if can_work else None),
        "extension_form": forms.get("extension_form") or (ExtensionForm() if can_work and pending is None else None),
        "complete_form": forms.get("complete_form") or (CompleteForm() if can_work else None),
        "decision_form": DecisionForm() if can_decide else None,
    }
    return render(request, "tasks/task_detail.html", context, status=status)


@never_cache
@login_required
@can_view
def task_detail(request: OfficerRequest, task_id: int) -> HttpResponse:
    return _task_page(request, _open(request, task_id))


def _act(request: OfficerRequest, task_id: int, form, name: str, call, done: str) -> HttpResponse:
    task = _open(request, task_id)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            messages.success(request, done)
            return redirect("tasks:detail", task_id=task.pk)
    return _task_page(request, task, status=400, **{name: form})


@require_POST
@login_required
@can_view
def task_report(request: OfficerRequest, task_id: int) -> HttpResponse:
    return _act(
        request,
        task_id,
        ReportForm(request.POST),
        "report_form",
        lambda data: services.task_report(by=request.user, task_id=task_id, text=data["text"], percent=data["percent"]),
        _("Đã gửi báo cáo tiến độ."),
    )


@require_POST
@login_required
@can_view
def task_extension(request: OfficerRequest, task_id: int) -> HttpResponse:
    return _act(
        request,
        task_id,
        ExtensionForm(request.POST),
        "extension_form",
        lambda data: services.extension_ask(
            by=request.user, task_id=task_id, new_deadline=data["new_deadline"], reason=data["reason"]
        ),
        _("Đã gửi đề nghị gia hạn."),
    )


@require_POST
@login_required
@can_view
def task_complete(request: OfficerRequest, task_id: int) -> HttpResponse:
    return _act(
        request,
        task_id,
        CompleteForm(request.POST),
        "complete_form",
        lambda data: services.task_complete(by=request.user, task_id=task_id, result=data["result"]),
        _("Đã báo cáo hoàn thành công việc."),
    )


@require_POST
@login_required
@can_view
def task_decide(request: OfficerRequest, task_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        services.extension_decide(by=request.user, task_id=task_id, approve=approve, note=note)
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã đồng ý gia hạn.") if approve else _("Đã không đồng ý gia hạn."))
    return redirect("tasks:detail", task_id=task_id)


@never_cache
@login_required
@can_assign
def task_new(request: OfficerRequest) -> HttpResponse:
    form = TaskForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_assign(
                by=request.user,
                data=services.TaskInput(
                    title=data["title"],
                    description=data.get("description") or "",
                    assignee_unit=data.get("assignee_unit"),
                    assignee_officer=data.get("assignee_officer"),
                    deadline=data["deadline"],
                    urgency=data["urgency"],
                ),
            )
        except ApplicationError as exc:
            add_error_details(form, exc)
        else:
            messages.success(request, _("Đã giao việc."))
            return redirect("tasks:detail", task_id=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks/task_form.html", {"form": form}, status=status)


def _dashboard(request: OfficerRequest, *, leader: bool) -> HttpResponse:
    form = PeriodForm(request.GET)
    start, end = form.period()
    rows, total = selectors.dashboard(viewer=request.user, date_from=start, date_to=end)
    today = timezone.localdate()
    overdue = selectors.unit_tasks(viewer=request.user).filter(deadline__lt=today)
    awaiting = list(selectors.awaiting_directive(viewer=request.user)[:50]) if leader else []
    document_selectors.audit_classified_shown(viewer=request.user, documents=awaiting, how="leader_dashboard")
    return render(
        request,
        "tasks/dashboard.html",
        {
            "leader": leader,
            "awaiting": awaiting,
            "form": form,
            "start": start,
            "end": end,
            "rows": rows if leader else [],
            "total": total,
            "overdue": overdue[:100],
            "open_tasks": [] if leader else selectors.unit_tasks(viewer=request.user).filter(deadline__gte=today)[:100],
            "today": today,
        },
    )


@never_cache
@login_required
@can_view
def unit_dashboard(request: OfficerRequest) -> HttpResponse:
    """The viewer's units: figures of the period, the overdue tasks, the open ones by deadline."""
    return _dashboard(request, leader=False)


@never_cache
@login_required
@can_give
def leader_dashboard(request: OfficerRequest) -> HttpResponse:
    """Per unit below the leader: received, on time, late, overdue, average handling days."""
    return _dashboard(request, leader=True)


def task_url(task: Task) -> str:
    return reverse("tasks:detail", args=[task.pk])
