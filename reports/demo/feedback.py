"""The history's feedback requests and answers, the revisits the sweep would have
planned, and the staff ratings the answers make."""

import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from agency.demo import in_language
from agency.models import User
from feedback.models import (
    FeedbackRequest,
    FeedbackResponse,
    Revisit,
    RevisitKind,
    RevisitOutcome,
    RevisitStatus,
)
from feedback.policy import policy_for
from reports.demo.cast import Cast
from reports.demo.planning import Answer, Job
from reports.demo.rows import BATCH, bulk, seeded
from staff.models import StaffMember

#: History calls left overdue in the revisit queue (`Revisits.leave_overdue`).
OVERDUE_CALLS = 2


def write_feedback(cast: Cast, jobs: list[Job], now: datetime) -> None:
    """A request for every accepted order, the answers given, and the revisits the sweep
    would have planned (thank-you letter, second contact, 24-hour call, low-score
    follow-up), mostly done."""
    agency, rng = cast.agency, seeded(f"{cast.agency.slug}-revisits")
    rules = policy_for(agency)
    accepted = [(job, at + timedelta(minutes=2)) for job in jobs if (at := job.accepted)]
    requests = bulk(
        FeedbackRequest,
        [
            FeedbackRequest(
                agency=agency,
                order=job.order,
                customer_id=job.order.customer_id,
                sent_at=sent,
                expires_at=sent + rules.link_valid_for,
                answered_at=None if job.answer is None else job.answer.submitted,
            )
            for job, sent in accepted
        ],
    )
    bulk(
        FeedbackResponse,
        [
            FeedbackResponse(
                agency=agency,
                request=request,
                comment=job.answer.comment,
                submitted_at=job.answer.submitted,
                **job.answer.scores,
            )
            for (job, _), request in zip(accepted, requests, strict=True)
            if job.answer is not None
        ],
    )
    revisits = Revisits(cast, rng, now, escalate_after=rules.escalate_after)
    for job in jobs:
        revisits.letters(job, rules.letter_after_order, rules.second_contact_after_letter)
        if job.accepted is not None:
            revisits.call(job, job.accepted + rules.satisfaction_call_after, planned=job.accepted)
        if job.answer is not None and min(job.answer.scores.values()) <= rules.low_score:
            revisits.low_score(job, job.answer)
    revisits.leave_overdue(OVERDUE_CALLS)
    bulk(Revisit, revisits.rows)


def write_ratings(jobs: list[Job]) -> None:
    """Each staff member's rating as feedback would have folded it in (staff.services):
    the mean of the overall scores of their answered jobs, so the staff list and the
    weekly report rank the same people."""
    scores: dict[StaffMember, list[int]] = defaultdict(list)
    for job in jobs:
        if job.staff is not None and job.answer is not None:
            scores[job.staff].append(job.answer.scores["overall"])
    for member, given in scores.items():
        member.rating_count = len(given)
        member.rating = (Decimal(sum(given)) / len(given)).quantize(Decimal("0.01"))
    StaffMember.objects.bulk_update(list(scores), ["rating", "rating_count"], batch_size=BATCH)


class Revisits:
    """The revisits of the history: done when their time has come (most of them), else
    open, as the sweep and the office would have left them."""

    def __init__(
        self, cast: Cast, rng: random.Random, now: datetime, *, escalate_after: timedelta
    ) -> None:
        self.cast, self.rng, self.now = cast, rng, now
        self.escalate_after = escalate_after
        self.rows: list[Revisit] = []

    def letters(self, job: Job, after_order: timedelta, second_after: timedelta) -> None:
        due = job.confirmed + after_order
        letter = self._add(job, RevisitKind.THANK_YOU_LETTER, due, planned=job.confirmed)
        if job.cancelled is not None:
            letter.status, letter.done_at = RevisitStatus.DROPPED, job.cancelled
            letter.dropped_reason = "order cancelled"
        elif due <= self.now:
            letter.status, letter.done_at = RevisitStatus.SENT, due
            self._call(self._add(job, RevisitKind.SECOND_CONTACT, due + second_after, planned=due))
        else:
            letter.next_action_at = due

    def call(self, job: Job, due: datetime, *, planned: datetime) -> None:
        self._call(self._add(job, RevisitKind.SATISFACTION_CALL, due, planned=planned))

    def low_score(self, job: Job, answer: Answer) -> None:
        revisit = self._add(job, RevisitKind.LOW_SCORE, answer.submitted, planned=answer.submitted)
        revisit.assignee = self.cast.supervisor
        revisit.notes = in_language(
            self.cast.agency,
            f"总体 {answer.overall}/5。{answer.comment}",
            f"Overall {answer.overall}/5. {answer.comment}".strip(),
        )
        if self._call(revisit, by=self.cast.supervisor):
            revisit.notes += "\n" + self.cast.say("已致电客户道歉，安排主管上门查看。")
            revisit.next_step = self.cast.say("下次服务前由主管交代注意事项")

    def _add(self, job: Job, kind: str, due: datetime, *, planned: datetime) -> Revisit:
        revisit = Revisit(
            agency=self.cast.agency,
            customer_id=job.order.customer_id,
            order=job.order,
            kind=kind,
            source=f"order-{job.order.pk}-{kind}",
            due_at=due,
            created_at=planned,
        )
        self.rows.append(revisit)
        return revisit

    def _call(self, revisit: Revisit, by: User | None = None) -> bool:
        """Done a little before or after it is due, if that time has come; True if done.

        So the queue a newcomer opens holds what a tidy office leaves: calls due later
        today, and only those of the last hours overdue — not weeks of backlog.
        """
        done_at = revisit.due_at + timedelta(hours=self.rng.uniform(-6, 10))
        if done_at <= self.now:
            reached = self.rng.random() < 0.9
            revisit.status, revisit.done_at, revisit.done_by = (
                RevisitStatus.DONE,
                done_at,
                by or self.cast.office,
            )
            revisit.attempts = 1 if reached else 3
            revisit.outcome = RevisitOutcome.REACHED if reached else RevisitOutcome.NOT_REACHED
            if (
                reached
                and revisit.kind == RevisitKind.SATISFACTION_CALL
                and self.rng.random() < 0.3
            ):
                revisit.satisfaction = self.rng.choices((3, 4, 5), (1, 4, 6))[0]
                revisit.notes = self.cast.say(
                    "客户表示满意。" if revisit.satisfaction >= 4 else "客户觉得一般。"
                )
            return True
        self._still_open(revisit)
        return False

    def _still_open(self, revisit: Revisit) -> None:
        escalate = revisit.due_at + self.escalate_after
        revisit.next_action_at = escalate
        if escalate <= self.now:
            revisit.escalated_at = escalate  # the sweep did then; it will not again

    def leave_overdue(self, count: int) -> None:
        """The office is a little behind, as offices are: the latest calls that fell due
        are still to make (overdue), the rest of the past is done."""
        calls = (RevisitKind.SATISFACTION_CALL, RevisitKind.SECOND_CONTACT)
        done = [
            r
            for r in self.rows
            if r.status == RevisitStatus.DONE and r.kind in calls and r.due_at <= self.now
        ]
        for revisit in sorted(done, key=lambda r: r.due_at)[-count:]:
            revisit.status, revisit.done_at, revisit.done_by = RevisitStatus.OPEN, None, None
            revisit.attempts, revisit.outcome = 0, ""
            revisit.satisfaction, revisit.notes = None, ""
            self._still_open(revisit)
