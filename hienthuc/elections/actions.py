"""Preparing an election, entering ballots twice, resolving mismatches, closing the count and
seating the elected: atomic and audited. Every entry is logged (BallotEntry: who, when)."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record
from hienthuc.elections.models import (
    RULE_SOURCE,
    Ballot,
    BallotEntry,
    BallotStatus,
    Candidate,
    CongressKind,
    Counter,
    CounterRole,
    Election,
    ElectionStatus,
    HandVote,
)
from hienthuc.lib import election as rules
from hienthuc.lib.text import clean, fold
from hienthuc.meetings.models import Meeting, MeetingKind
from hienthuc.people.models import Person
from hienthuc.scope import can_edit


@transaction.atomic
def do_create_election(
    meeting: Meeting,
    *,
    title: str,
    seats: int,
    congress_kind: str,
    summoned: int,
    candidates: list[str],
    excluded: int = 0,
    surplus_max: Decimal = rules.SURPLUS_MAX,
    rule_source: str = RULE_SOURCE,
    acting_user: User,
) -> tuple[Election, list[str]]:
    """An election of a congress with its list in ballot order; returns it and the list's warnings."""
    if not can_edit(acting_user, meeting.unit):
        raise ValidationError(_("Bạn không có quyền tổ chức bầu cử của đại hội này."))
    if meeting.kind != MeetingKind.CONGRESS:
        raise ValidationError(_("Chỉ bầu cử tại đại hội."))
    title = clean(title)[:300]
    if not title:
        raise ValidationError({"title": _("Hãy ghi nội dung bầu (ví dụ: Bầu Ban Chấp hành Đảng bộ tỉnh khóa XX).")})
    if congress_kind not in CongressKind.values:
        raise ValidationError({"congress_kind": _("Loại đại hội không hợp lệ.")})
    names = [clean(n)[:150] for n in candidates if clean(n)]
    if len(set(names)) != len(names):
        raise ValidationError({"candidates": _("Danh sách có tên trùng nhau; hãy ghi thêm để phân biệt.")})
    if not 1 <= int(summoned) <= 100_000 or not 0 <= int(excluded) < int(summoned):
        raise ValidationError({"summoned": _("Số được triệu tập phải lớn hơn số không tính vào tổng số.")})
    if not Decimal(0) <= Decimal(surplus_max) <= 1:
        raise ValidationError({"surplus_max": _("Số dư tối đa là một tỷ lệ từ 0 đến 1 (0,3 là 30%).")})
    rule_source = clean(rule_source)[:300]
    if not rule_source:
        raise ValidationError({"rule_source": _("Hãy ghi căn cứ của quy định bầu cử áp dụng.")})
    try:
        warnings = rules.check_list(len(names), int(seats), Decimal(surplus_max))
    except rules.ElectionError as exc:
        raise ValidationError({"candidates": str(exc)}) from None
    election = Election.objects.create(
        meeting=meeting, title=title, seats=seats, congress_kind=congress_kind, summoned=summoned, excluded=excluded,
        surplus_max=surplus_max, rule_source=rule_source,
    )  # fmt: skip
    # A candidate named exactly as one person of the unit's register is linked to them (their
    # seat, once elected, is theirs); the others are linked by hand before seating.
    people: dict[str, list] = {}
    for person in Person.objects.active().in_subtree(meeting.unit).filter(search_name__in=[fold(n) for n in names]):
        people.setdefault(person.search_name, []).append(person)
    Candidate.objects.bulk_create(
        [
            Candidate(election=election, number=n, full_name=name, person=_only(people.get(fold(name), [])))
            for n, name in enumerate(names, 1)
        ]
    )
    after = {"title": title, "seats": seats, "candidates": names, "summoned": summoned, "excluded": excluded,
             "surplus_max": str(surplus_max), "rule_source": rule_source}  # fmt: skip
    record(acting_user, "create", election, organization=meeting.unit, after=after)
    return election, warnings


def _only(found: list):
    return found[0] if len(found) == 1 else None


@transaction.atomic
def do_add_counter(election: Election, *, user: User, role: str, acting_user: User) -> Counter:
    if not can_edit(acting_user, election.meeting.unit):
        raise ValidationError(_("Bạn không có quyền phân công kiểm phiếu."))
    if role not in CounterRole.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    counter, _created = Counter.objects.get_or_create(election=election, user=user, role=role)
    record(acting_user, "grant", counter, organization=election.meeting.unit,
           after={"user": user.username, "role": role})  # fmt: skip
    return counter


def is_counter(user, election: Election, role: str) -> bool:
    return Counter.objects.filter(election=election, user=user, role=role).exists()


def normal(content: dict, *, candidates: int) -> dict:
    """A ballot's content in one form, so two entries compare equal when they say the same:
    {"invalid": reason} | {"kept": [numbers]} | {"marks": {number: mark}}."""
    if not isinstance(content, dict):
        raise ValidationError(_("Nội dung phiếu không hợp lệ."))
    reason = clean(str(content.get("invalid") or ""))[:200]
    if reason:
        return {"invalid": reason}
    if "marks" in content:
        marks = content.get("marks") or {}
        if not isinstance(marks, dict):
            raise ValidationError(_("Nội dung phiếu không hợp lệ."))
        found = {}
        for key, mark in marks.items():
            if not str(key).isdigit() or not 1 <= int(key) <= candidates or mark not in (
                rules.AGREE, rules.DISAGREE, rules.BOTH, rules.NEITHER
            ):  # fmt: skip
                raise ValidationError(_("Phiếu ghi ứng viên số %(n)s không có trong danh sách.") % {"n": key})
            found[str(int(key))] = mark
        return {"marks": dict(sorted(found.items(), key=lambda kv: int(kv[0])))}
    kept = content.get("kept") or []
    if not isinstance(kept, list) or not all(isinstance(n, int) and 1 <= n <= candidates for n in kept):
        raise ValidationError(_("Phiếu ghi số thứ tự không có trong danh sách ứng cử viên."))
    return {"kept": sorted(set(kept))}


@transaction.atomic
def do_enter_ballot(election: Election, *, number: int, content: dict, acting_user: User) -> Ballot | None:
    """One operator's entry of a paper ballot. The second entry by another operator that says
    the same counts the ballot; one that differs leaves it for the committee. Returns the ballot
    once counted."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != ElectionStatus.COUNTING:
        raise ValidationError(_("Chưa mở hoặc đã kết thúc kiểm phiếu."))
    if not is_counter(acting_user, election, CounterRole.OPERATOR):
        raise ValidationError(_("Bạn không được phân công nhập phiếu của cuộc bầu này."))
    if not 1 <= int(number) <= (election.ballots_issued or election.summoned):
        raise ValidationError({"number": _("Số phiếu phải từ 1 đến số phiếu phát ra.")})
    content = normal(content, candidates=election.candidates.count())
    if BallotEntry.objects.filter(election=election, number=number, operator=acting_user).exists():
        raise ValidationError(
            {"number": _("Bạn đã nhập phiếu số %(n)s; mỗi phiếu do hai người khác nhau nhập.") % {"n": number}}
        )
    others = list(BallotEntry.objects.filter(election=election, number=number))
    if len(others) >= 2:
        raise ValidationError({"number": _("Phiếu số %(n)s đã được nhập đủ hai lần.") % {"n": number}})
    BallotEntry.objects.create(election=election, number=number, operator=acting_user, content=content)
    record(acting_user, "create", election, organization=election.meeting.unit,
           after={"ballot": number, "entry": content})  # fmt: skip
    if others and others[0].content == content:
        return Ballot.objects.create(election=election, number=number, content=content, status=BallotStatus.MATCHED)
    return None


def mismatches(election: Election) -> list[tuple[int, list[BallotEntry]]]:
    """Ballots entered twice that differ, and not yet resolved by the committee."""
    counted = set(Ballot.objects.filter(election=election).values_list("number", flat=True))
    by_number: dict[int, list[BallotEntry]] = {}
    for entry in BallotEntry.objects.filter(election=election).select_related("operator"):
        by_number.setdefault(entry.number, []).append(entry)
    return [(n, e) for n, e in sorted(by_number.items()) if len(e) == 2 and n not in counted]


@transaction.atomic
def do_resolve_ballot(election: Election, *, number: int, content: dict, acting_user: User) -> Ballot:
    """The committee reads the paper ballot and records what it says (logged with who)."""
    if not is_counter(acting_user, election, CounterRole.COMMITTEE):
        raise ValidationError(_("Chỉ Ban kiểm phiếu đối chiếu phiếu giấy."))
    if election.status != ElectionStatus.COUNTING:
        raise ValidationError(_("Chưa mở hoặc đã kết thúc kiểm phiếu."))
    content = normal(content, candidates=election.candidates.count())
    ballot, _created = Ballot.objects.update_or_create(
        election=election, number=number,
        defaults={"content": content, "status": BallotStatus.RESOLVED, "resolved_by": acting_user},
    )  # fmt: skip
    record(acting_user, "update", election, organization=election.meeting.unit,
           after={"ballot": number, "resolved": content})  # fmt: skip
    return ballot


@transaction.atomic
def do_open_counting(election: Election, *, ballots_issued: int, present: int, acting_user: User) -> Election:
    if not can_edit(acting_user, election.meeting.unit) and not is_counter(
        acting_user, election, CounterRole.COMMITTEE
    ):
        raise ValidationError(_("Chỉ Ban kiểm phiếu mở kiểm phiếu."))
    if election.status != ElectionStatus.PREPARING:
        raise ValidationError(_("Cuộc bầu này đã mở kiểm phiếu."))
    if not 0 < int(present) <= election.summoned or not 0 < int(ballots_issued) <= int(present):
        raise ValidationError(_("Số có mặt không quá số triệu tập; số phiếu phát ra không quá số có mặt."))
    election.present, election.ballots_issued, election.status = present, ballots_issued, ElectionStatus.COUNTING
    election.save(update_fields=["present", "ballots_issued", "status"])
    record(acting_user, "update", election, organization=election.meeting.unit,
           after={"status": election.status, "present": present, "ballots_issued": ballots_issued})  # fmt: skip
    return election


def count(election: Election) -> rules.Result:
    """The count of the ballots counted so far (the committee's running total, the final result)."""
    candidates = election.candidates.count()
    ballots = [as_ballot(content) for content in election.ballots.values_list("content", flat=True)]
    return rules.tally(ballots, seats=election.seats, candidates=candidates, base=election.base)


def candidate_rows(election: Election, result: rules.Result) -> list[dict]:
    """Each candidate in ballot order with votes, share of the base and outcome — the page, the
    projection, the minutes and the API show these."""
    names = dict(election.candidates.values_list("number", "full_name"))
    return [
        {"number": n, "full_name": names[n], "votes": v, "share": rules.percent(result.share(n)),
         "elected": n in result.elected, "tied": n in result.tied}
        for n, v in sorted(result.votes.items())
    ]  # fmt: skip


def as_ballot(content: dict) -> rules.Ballot:
    if "invalid" in content:
        return rules.Ballot(invalid_reason=content["invalid"])
    if "marks" in content:
        return rules.Ballot(marks=tuple((int(k), v) for k, v in content["marks"].items()))
    return rules.Ballot(kept=frozenset(content.get("kept", [])))


@transaction.atomic
def do_close_counting(election: Election, *, acting_user: User) -> rules.Result:
    """Close the count once every ballot entered twice is counted; the result is then public."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not is_counter(acting_user, election, CounterRole.COMMITTEE):
        raise ValidationError(_("Chỉ Ban kiểm phiếu kết thúc kiểm phiếu."))
    if election.status != ElectionStatus.COUNTING:
        raise ValidationError(_("Cuộc bầu này không đang kiểm phiếu."))
    open_ = mismatches(election)
    single = (
        BallotEntry.objects.filter(election=election)
        .exclude(number__in=Ballot.objects.filter(election=election).values("number"))
        .values("number")
        .distinct()
        .count()
    )
    if open_ or single:
        raise ValidationError(
            _("Còn %(mismatch)s phiếu hai lần nhập không khớp và %(pending)s phiếu chưa được nhập đủ hai lần.")
            % {"mismatch": len(open_), "pending": single - len(open_)}
        )
    election.status = ElectionStatus.CLOSED
    election.save(update_fields=["status"])
    result = count(election)
    record(acting_user, "update", election, organization=election.meeting.unit,
           after={"status": election.status, "valid": result.valid, "elected": result.elected})  # fmt: skip
    return result


@transaction.atomic
def do_prepare_next_round(election: Election, *, acting_user: User) -> Election:
    """Another round for the seats left: among those tied at the last seat, or — when fewer
    passed than seats, and the congress decided to vote again — among those not elected. The
    counting team carries over; the list is checked against the rules again."""
    if not can_edit(acting_user, election.meeting.unit):
        raise ValidationError(_("Bạn không có quyền tổ chức bầu cử của đại hội này."))
    if election.status != ElectionStatus.CLOSED:
        raise ValidationError(_("Kết thúc kiểm phiếu trước khi chuẩn bị bầu lần sau."))
    if Election.objects.filter(previous=election).exists():
        raise ValidationError(_("Lần bầu sau của cuộc bầu này đã được chuẩn bị."))
    result = count(election)
    if not result.seats_left:
        raise ValidationError(_("Đã bầu đủ số lượng; không cần bầu lần sau."))
    names = dict(election.candidates.values_list("number", "full_name"))
    pool = result.tied or [n for n in sorted(names) if n not in result.elected]
    following = Election.objects.create(
        meeting=election.meeting, title=election.title, seats=result.seats_left,
        congress_kind=election.congress_kind, summoned=election.summoned, excluded=election.excluded,
        rule_source=election.rule_source, surplus_max=election.surplus_max, round=election.round + 1,
        previous=election,
    )  # fmt: skip
    persons = dict(election.candidates.values_list("number", "person_id"))
    Candidate.objects.bulk_create(
        [
            Candidate(election=following, number=i, full_name=names[n], person_id=persons[n])
            for i, n in enumerate(pool, 1)
        ]
    )
    Counter.objects.bulk_create(
        [Counter(election=following, user_id=c.user_id, role=c.role) for c in election.counters.all()]
    )
    after = {"round": following.round, "seats": following.seats, "candidates": [names[n] for n in pool]}
    record(acting_user, "create", following, organization=election.meeting.unit, after=after)
    return following


@transaction.atomic
def do_seat_elected(election: Election, *, term, body: str, acting_user: User) -> int:
    """The elected become the seats of the term's body (their records in the people register)."""
    from hienthuc.committees.actions import do_add_seat
    from hienthuc.committees.models import SeatRole

    if election.status != ElectionStatus.CLOSED:
        raise ValidationError(_("Kết thúc kiểm phiếu trước khi ghi nhận người trúng cử."))
    if Election.objects.filter(pk=election.pk, term__isnull=False).exists():
        raise ValidationError(_("Người trúng cử của cuộc bầu này đã được ghi nhận vào cấp ủy."))
    result = count(election)
    by_number = {c.number: c for c in election.candidates.select_related("person")}
    missing = [by_number[n].full_name for n in result.elected if by_number[n].person is None]
    if missing:
        raise ValidationError(_("Chưa gắn hồ sơ cán bộ cho: %(names)s.") % {"names": ", ".join(missing)})
    day = timezone.localdate(election.meeting.starts_at)
    for n in result.elected:
        decision = _("Biên bản kiểm phiếu: %(title)s") % {"title": election.title}
        person = by_number[n].person
        assert person is not None  # checked above
        do_add_seat(term, person=person, body=body, role=SeatRole.MEMBER, start_date=day,
                    decision=decision, acting_user=acting_user)  # fmt: skip
    Election.objects.filter(pk=election.pk).update(term=term, body=body)
    return len(result.elected)


@transaction.atomic
def do_record_hand_vote(
    meeting: Meeting, *, subject: str, body: int, agree: int, disagree: int = 0, abstain: int = 0, acting_user: User
) -> tuple[HandVote, bool]:
    """A show of hands; passes with more than half of those summoned."""
    if not can_edit(acting_user, meeting.unit):
        raise ValidationError(_("Bạn không có quyền ghi biểu quyết của đại hội này."))
    subject = clean(subject)[:300]
    if not subject:
        raise ValidationError({"subject": _("Hãy ghi nội dung biểu quyết.")})
    if agree + disagree + abstain > body:
        raise ValidationError({"agree": _("Tổng số biểu quyết vượt số đại biểu được triệu tập.")})
    vote = HandVote.objects.create(meeting=meeting, subject=subject, body=body, agree=agree, disagree=disagree,
                                   abstain=abstain)  # fmt: skip
    passed = rules.show_of_hands(agree, body)
    record(acting_user, "create", vote, organization=meeting.unit,
           after={"subject": subject, "agree": agree, "body": body, "passed": passed})  # fmt: skip
    return vote, passed
