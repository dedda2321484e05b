"""The schedule board (`/schedule/`): lanes of staff with their jobs, the jobs still needing
staff beside them, and the actions a dispatcher takes there.

Every action is a POST that calls one service (propose, move, swap, release) and
answers a fragment: the refusal in place (400/409, the service's reason), or a line
of success with the redrawn lanes and side panel (`hx-swap-oob`). The page polls
`schedule_changes` every 30 s with the change stamp it was drawn at (`orders.live`):
nothing changed is an empty 204; otherwise only the lanes of the changed orders come.
"""

from collections.abc import Collection
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from agency.errors import StateConflict
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from orders import live
from orders.models import HOLDING, Assignment, AssignmentRole, Order
from orders.schedule import selectors
from orders.schedule.forms import (
    AgencyForm,
    BoardForm,
    MoveForm,
    ProposeForm,
    ReleaseForm,
    SwapForm,
)
from orders.schedule.selectors import WEEK, Period
from orders.schedule.services import assignments_swap, order_move
from orders.service.services.service_log import check_in_opens_at
from orders.staffing.matching import orders_to_match, rank_candidates
from orders.staffing.services import assignment_propose, assignment_release

#: How many ranked candidates the keyboard's picker offers.
CANDIDATES_SHOWN = 8


class BoardMixin(TenantMixin):
    """What the board shows (view, day, filters), read from the query or the posted form."""

    request: HttpRequest

    def board_form(self) -> BoardForm:
        data = (self.request.GET if self.request.method == "GET" else self.request.POST).copy()
        # Shown as it is read: a week from today unless the query says otherwise.
        data.setdefault("view", WEEK)
        data.setdefault("day", self.agency.today().isoformat())
        return BoardForm(data, agency=self.agency)

    def period(self, form: BoardForm) -> Period:
        data = form.cleaned_data if form.is_valid() else {}
        return Period.of(
            self.agency, data.get("day") or self.agency.today(), data.get("view") or WEEK
        )


class ScheduleBoardView(BoardMixin, TemplateView):
    area = Area.SCHEDULE
    template_name = "orders/schedule/board.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = self.board_form()
        stamp = live.stamp(self.agency.pk)
        board = selectors.board(self.agency, self.period(form), form.filters())
        board.stamp = stamp
        return super().get_context_data(
            form=form,
            board=board,
            hours=[f"{hour:02d}" for hour in range(24)],
            previous_query=self._query(board.period.first_day - timedelta(days=board.period.days)),
            next_query=self._query(board.period.first_day + timedelta(days=board.period.days)),
            **kwargs,
        )

    def _query(self, day: date) -> str:
        query = self.request.GET.copy()
        query["day"] = day.isoformat()
        return query.urlencode()


class ScheduleChangesView(BoardMixin, View):
    """The 30-second poll: 204 when nothing changed since `since`, else the changed lanes."""

    area = Area.SCHEDULE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        now = live.stamp(self.agency.pk)
        since = request.GET.get("since", "")
        if since.isdigit() and int(since) == now:
            return HttpResponse(status=204)
        changed = (
            live.changed_orders(self.agency.pk, since=int(since), now=now)
            if since.isdigit()
            else None
        )
        return changes_answer(self, changed, stamp=now)


def changes_answer(
    view: BoardMixin,
    orders: Collection[int] | None,
    *,
    stamp: int | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    """The lanes of the people on `orders` (None: every lane), the side panel, the stamp."""
    form = view.board_form()
    period = view.period(form)
    filters = form.filters()
    staff_ids = None
    if orders is not None:
        staff_ids = list(
            Assignment.objects.filter(agency=view.agency, order_id__in=list(orders))
            .values_list("staff_id", flat=True)
            .distinct()
        )
    lanes = selectors.board_lanes(view.agency, period, replace(filters, staff_ids=staff_ids))
    context = {
        "board": selectors.Board(
            period=period,
            lanes=lanes,
            needing=selectors.jobs_needing_staff(view.agency),
            stamp=live.stamp(view.agency.pk) if stamp is None else stamp,
        ),
        "whole": orders is None,
        "notice": notice,
        "form": form,
    }
    return render(view.request, "orders/schedule/_changes.html", context, status=status)


class ScheduleJobView(BoardMixin, TenantObjectMixin, TemplateView):
    """The job's panel: when check-in opens, its people (release, swap), a move, and —
    for the keyboard — its ranked candidates, each one a button that proposes."""

    area = Area.SCHEDULE
    model = Order
    template_name = "orders/schedule/_job.html"

    def get_queryset(self) -> QuerySet[Order]:
        return orders_to_match(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        order: Order = self.object
        holding = list(order.assignments.filter(status__in=HOLDING).select_related("staff"))
        lead_held = any(a.role == AssignmentRole.LEAD for a in holding)
        form = self.board_form()
        return super().get_context_data(
            order=order,
            holding=holding,
            candidates=[] if lead_held else rank_candidates(order=order, limit=CANDIDATES_SHOWN),
            others=selectors.swappable(self.agency, order),
            move_form=MoveForm(
                agency=self.agency, initial={"starts_at": timezone.localtime(order.starts_at)}
            ),
            check_in_opens=check_in_opens_at(order),
            form=form,
            **kwargs,
        )


class ScheduleActionView(BoardMixin, TenantObjectMixin, View):
    """POST: one service call; the refusal in place, or the redrawn lanes (see the module)."""

    http_method_names = ["post"]
    area = Area.SCHEDULE
    form_class: ClassVar[type[AgencyForm]]

    def act(self, obj: Any, form: Any) -> tuple[str, Collection[int]]:
        """Do it; the success message and the orders whose lanes to redraw."""
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.object
        form = self.form_class(request.POST, agency=self.agency)
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            return self.refused(" ".join(problems), status=400)
        try:
            done, orders = self.act(obj, form)
        except (StateConflict, PermissionDenied) as refusal:
            return self.refused(str(refusal), status=409)
        except ValidationError as error:
            return self.refused(" ".join(error.messages), status=400)
        answer = changes_answer(self, orders, notice=done)
        # The refusal belongs where the job was dropped; a success on the board's notice line.
        answer["HX-Retarget"] = "#schedule-notice"
        return answer

    def refused(self, message: str, *, status: int) -> HttpResponse:
        return render(
            self.request,
            "orders/schedule/_notice.html",
            {"notice": message, "refused": True},
            status=status,
        )


class SchedulePropose(ScheduleActionView):
    """A job dropped on a lane, or a candidate picked: propose that person as the lead."""

    model = Order
    form_class = ProposeForm

    def get_queryset(self) -> QuerySet[Order]:
        return orders_to_match(agency=self.agency)

    def act(self, order: Order, form: ProposeForm) -> tuple[str, Collection[int]]:
        staff = form.cleaned_data["staff"]
        assignment_propose(order=order, staff_list=[staff], actor=self.actor)
        return _("%(name)s proposed for %(number)s.") % {
            "name": staff.name,
            "number": order.number,
        }, [order.pk]


class ScheduleMove(ScheduleActionView):
    model = Order
    form_class = MoveForm

    def get_queryset(self) -> QuerySet[Order]:
        return orders_to_match(agency=self.agency)

    def act(self, order: Order, form: MoveForm) -> tuple[str, Collection[int]]:
        moved = order_move(order=order, starts_at=form.cleaned_data["starts_at"], actor=self.actor)
        return _("%(number)s moved.") % {"number": moved.number}, [order.pk]


class ScheduleSwap(ScheduleActionView):
    model = Assignment
    form_class = SwapForm

    def get_queryset(self) -> QuerySet[Assignment]:
        return Assignment.objects.select_related("order__agency")

    def act(self, assignment: Assignment, form: SwapForm) -> tuple[str, Collection[int]]:
        second = form.cleaned_data["second"]
        one, other = assignments_swap(first=assignment, second=second, actor=self.actor)
        return _("%(one)s and %(other)s swapped.") % {
            "one": other.staff.name,
            "other": one.staff.name,
        }, [assignment.order_id, second.order_id]


class ScheduleRelease(ScheduleActionView):
    model = Assignment
    form_class = ReleaseForm

    def get_queryset(self) -> QuerySet[Assignment]:
        return Assignment.objects.select_related("order__agency")

    def act(self, assignment: Assignment, form: ReleaseForm) -> tuple[str, Collection[int]]:
        released = assignment_release(
            order=assignment.order,
            assignment=assignment,
            reason=form.cleaned_data["reason"],
            actor=self.actor,
        )
        return _("%(name)s is released.") % {"name": released.staff.name}, [assignment.order_id]
