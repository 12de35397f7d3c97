"""API for congress elections: the list, the counting team, ballots entered twice, mismatches
resolved by the committee, the count and the result — the same rules and messages as the
pages (elections.actions). Running totals are the committee's until the count is closed."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hienthuc.api.common import ErrorOut, Id, Text
from hienthuc.elections import actions
from hienthuc.elections.access import access_election
from hienthuc.elections.models import RULE_SOURCE, CounterRole, ElectionStatus
from hienthuc.meetings.access import access_meeting

router = Router(tags=["elections"])


class ElectionIn(Schema):
    title: Text = Field(..., max_length=300)
    seats: int = Field(..., ge=1, le=1000)
    congress_kind: str = Field("delegates", pattern="^(delegates|members)$")
    summoned: int = Field(..., ge=1, le=100_000)
    excluded: int = Field(0, ge=0, le=100_000)
    candidates: list[Text] = Field(..., max_length=1300, description="họ và tên theo thứ tự trên phiếu")
    surplus_max: Decimal = Field(Decimal("0.30"), ge=0, le=1, description="số dư tối đa, tỷ lệ (0,3 là 30%)")
    rule_source: Text = Field(RULE_SOURCE, max_length=300, description="căn cứ của quy định bầu cử")


class ElectionOut(Schema):
    id: int
    meeting_id: int
    title: str
    seats: int
    congress_kind: str
    summoned: int
    excluded: int
    base: int
    status: str
    surplus_max: Decimal
    rule_source: str
    candidates: list[str]
    warnings: list[str] = []

    @staticmethod
    def resolve_candidates(obj) -> list[str]:
        return [c.full_name for c in obj.candidates.all()]


class CounterIn(Schema):
    username: Text = Field(..., max_length=150)
    role: str = Field(..., pattern="^(committee|operator)$")


class OpenIn(Schema):
    present: int = Field(..., ge=1, le=100_000)
    ballots_issued: int = Field(..., ge=1, le=100_000)


class ContentIn(Schema):
    kept: list[int] | None = Field(None, max_length=1300, description="danh sách có dư: số thứ tự các tên giữ lại")
    marks: dict[str, str] | None = Field(
        None, description="danh sách không dư: số thứ tự → agree/disagree/both/neither"
    )
    invalid: Text | None = Field(None, max_length=200, description="lý do phiếu không hợp lệ khác (Ban kiểm phiếu)")


class BallotIn(ContentIn):
    number: int = Field(..., ge=1, le=100_000, description="số phiếu")


class BallotOut(Schema):
    number: int
    counted: bool = Field(description="hai lần nhập khớp (hoặc Ban kiểm phiếu đã đối chiếu)")


class MismatchOut(Schema):
    number: int
    entries: list[dict]


class CandidateResult(Schema):
    number: int
    full_name: str
    votes: int
    share: str = Field(description="% so với tổng số đại biểu (đảng viên) chính thức, hai chữ số thập phân")
    elected: bool


class ResultOut(Schema):
    status: str
    base: int
    ballots: int
    valid: int
    invalid: dict[str, int]
    candidates: list[CandidateResult]
    elected: list[int]
    tied: list[int]
    seats_left: int


def _content(payload: ContentIn) -> dict:
    if payload.invalid:
        return {"invalid": payload.invalid}
    if payload.marks is not None:
        return {"marks": payload.marks}
    return {"kept": payload.kept or []}


@router.post("/meetings/{meeting_id}/elections", response={200: ElectionOut, 400: ErrorOut})
def create_election(request, meeting_id: Id, payload: ElectionIn):
    meeting = access_meeting(request.user, meeting_id)
    election, warnings = actions.do_create_election(meeting, acting_user=request.user, **payload.dict())
    election.warnings = warnings  # type: ignore[attr-defined]  # shown once, with the answer
    return Status(200, election)


@router.get("/elections/{election_id}", response=ElectionOut)
def get_election(request, election_id: Id):
    return access_election(request.user, election_id)


@router.post("/elections/{election_id}/counters", response={200: dict[str, str], 400: ErrorOut})
def add_counter(request, election_id: Id, payload: CounterIn):
    election = access_election(request.user, election_id)
    user = get_object_or_404(get_user_model(), username=payload.username, is_active=True)
    actions.do_add_counter(election, user=user, role=payload.role, acting_user=request.user)
    return {"username": user.username, "role": payload.role}


@router.post("/elections/{election_id}/open", response={200: ElectionOut, 400: ErrorOut})
def open_counting(request, election_id: Id, payload: OpenIn):
    election = access_election(request.user, election_id)
    return actions.do_open_counting(
        election, present=payload.present, ballots_issued=payload.ballots_issued, acting_user=request.user
    )


@router.post("/elections/{election_id}/ballots", response={200: BallotOut, 400: ErrorOut})
def enter_ballot(request, election_id: Id, payload: BallotIn):
    """One operator's entry of a paper ballot; the second matching entry counts it."""
    election = access_election(request.user, election_id)
    ballot = actions.do_enter_ballot(
        election, number=payload.number, content=_content(payload), acting_user=request.user
    )
    return {"number": payload.number, "counted": ballot is not None}


@router.get("/elections/{election_id}/mismatches", response=list[MismatchOut])
def list_mismatches(request, election_id: Id):
    election = access_election(request.user, election_id)
    if not actions.is_counter(request.user, election, CounterRole.COMMITTEE):
        raise PermissionDenied(_("Chỉ Ban kiểm phiếu xem các phiếu nhập không khớp."))
    return [
        {"number": n, "entries": [{"operator": e.operator.username, "content": e.content} for e in entries]}
        for n, entries in actions.mismatches(election)
    ]


@router.post("/elections/{election_id}/ballots/{number}/resolve", response={200: BallotOut, 400: ErrorOut})
def resolve_ballot(request, election_id: Id, number: Id, payload: ContentIn):
    election = access_election(request.user, election_id)
    actions.do_resolve_ballot(election, number=number, content=_content(payload), acting_user=request.user)
    return {"number": number, "counted": True}


@router.post("/elections/{election_id}/close", response={200: ResultOut, 400: ErrorOut})
def close_counting(request, election_id: Id):
    election = access_election(request.user, election_id)
    actions.do_close_counting(election, acting_user=request.user)
    election.refresh_from_db()
    return _result(election)


@router.get("/elections/{election_id}/result", response=ResultOut)
def get_result(request, election_id: Id):
    """The count: public once closed; before, the committee's running total only."""
    election = access_election(request.user, election_id)
    if election.status != ElectionStatus.CLOSED and not actions.is_counter(
        request.user, election, CounterRole.COMMITTEE
    ):
        raise PermissionDenied(_("Kết quả chỉ công bố sau khi Ban kiểm phiếu kết thúc kiểm phiếu."))
    return _result(election)


def _result(election) -> dict:
    result = actions.count(election)
    return {
        "status": election.status,
        "base": result.base,
        "ballots": result.ballots,
        "valid": result.valid,
        "invalid": result.invalid,
        "candidates": actions.candidate_rows(election, result),
        "elected": result.elected,
        "tied": result.tied,
        "seats_left": result.seats_left,
    }


class HandVoteIn(Schema):
    subject: Text = Field(..., max_length=300)
    body: int = Field(..., ge=1, le=100_000, description="số đại biểu được triệu tập")
    agree: int = Field(..., ge=0, le=100_000)
    disagree: int = Field(0, ge=0, le=100_000)
    abstain: int = Field(0, ge=0, le=100_000)


class HandVoteOut(Schema):
    subject: str
    agree: int
    body: int
    passed: bool = Field(description="quá một nửa số đại biểu được triệu tập tán thành")


@router.post("/meetings/{meeting_id}/hand-votes", response={200: HandVoteOut, 400: ErrorOut})
def record_hand_vote(request, meeting_id: Id, payload: HandVoteIn):
    """A show of hands at the congress (presidium, counting committee, the resolution)."""
    meeting = access_meeting(request.user, meeting_id)
    vote, passed = actions.do_record_hand_vote(meeting, acting_user=request.user, **payload.dict())
    return {"subject": vote.subject, "agree": vote.agree, "body": vote.body, "passed": passed}


@router.post("/elections/{election_id}/next-round", response={200: ElectionOut, 400: ErrorOut})
def next_round(request, election_id: Id):
    """Another round for the seats left (a tie at the last seat, or too few elected)."""
    election = access_election(request.user, election_id)
    return actions.do_prepare_next_round(election, acting_user=request.user)
