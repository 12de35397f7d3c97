"""Counting a Party election by the Party's election regulation (Quy chế bầu cử trong Đảng,
Quyết định 190-QĐ/TW of 10/10/2024, and Hướng dẫn 04-HD/TW of 31/12/2024). Django-free but
for gettext: the elections app stores ballots and calls these on them.

- The list has more candidates than seats by at most 30 % (10–15 % is the usual practice).
- A ballot keeps at most as many names as there are seats; keeping fewer is valid. Invalid:
  more names kept than seats; on a list with a surplus, every name struck; any other reason the
  counting committee records. On a list without surplus, each name is marked agree or disagree:
  a name marked both or neither gets no vote, and the ballot stays valid.
- Elected: more than half of the base — the official delegates summoned to a congress of
  delegates, less those the regulation excludes, or the official members summoned to a congress
  of all members — never simply the valid ballots. When more pass than there are seats, the
  highest win; those tied at the last seat go to another round. When fewer pass, the congress
  decides on another round for the seats left.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

SURPLUS_MAX = Decimal("0.30")
SURPLUS_USUAL = (Decimal("0.10"), Decimal("0.15"))
AGREE, DISAGREE, BOTH, NEITHER = "agree", "disagree", "both", "neither"
TOO_MANY, ALL_STRUCK = "too_many", "all_struck"


class ElectionError(ValueError):
    pass


def check_list(candidates: int, seats: int, surplus_max: Decimal = SURPLUS_MAX) -> list[str]:
    """Warnings on a list of `candidates` for `seats`; ElectionError when it breaks the rule
    (a surplus over `surplus_max`, 30 % by the regulation unless the election says otherwise)."""
    if seats < 1:
        raise ElectionError(_("Số người cần bầu phải từ 1 trở lên."))
    if candidates < seats:
        raise ElectionError(
            _("Danh sách có %(n)s người, ít hơn số cần bầu (%(seats)s).") % {"n": candidates, "seats": seats}
        )
    surplus = Decimal(candidates - seats) / seats
    if surplus > surplus_max:
        raise ElectionError(
            _("Danh sách có %(n)s người cho %(seats)s chỗ: số dư %(share)s%%, quá %(max)s%% số cần bầu.")
            % {
                "n": candidates,
                "seats": seats,
                "share": percent(surplus * 100),
                "max": f"{(surplus_max * 100).normalize():f}".replace(".", ","),
            }
        )
    low, high = SURPLUS_USUAL
    if candidates > seats and not low <= surplus <= high:
        return [
            _("Số dư %(share)s%% nằm ngoài mức thường làm (10–15%% số cần bầu).") % {"share": percent(surplus * 100)}
        ]
    return []


@dataclass(frozen=True)
class Ballot:
    """A ballot as entered: on a list with a surplus, the candidates kept (by their number on the
    list, from 1); on a list without, each candidate's mark; or the committee's reason for
    declaring it invalid."""

    kept: frozenset[int] = frozenset()
    marks: tuple[tuple[int, str], ...] = ()
    invalid_reason: str = ""


@dataclass
class Result:
    seats: int
    base: int
    candidates: int
    ballots: int = 0
    valid: int = 0
    invalid: dict[str, int] = field(default_factory=dict)  # reason -> ballots
    votes: dict[int, int] = field(default_factory=dict)  # candidate number -> votes
    passed: list[int] = field(default_factory=list)  # over half of the base, most votes first
    elected: list[int] = field(default_factory=list)
    tied: list[int] = field(default_factory=list)  # tied at the last seat: another round among them
    seats_left: int = 0  # seats another round must fill

    def share(self, number: int) -> Decimal:
        """A candidate's votes as a percentage of the base, two decimals."""
        return share_of(self.votes.get(number, 0), self.base)


def share_of(votes: int, base: int) -> Decimal:
    if base <= 0:
        return Decimal(0)
    return (Decimal(100 * votes) / base).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent(value: Decimal) -> str:
    """Two decimals, Vietnamese notation: 52,94."""
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}".replace(".", ",")


def classify(ballot: Ballot, *, seats: int, candidates: int) -> tuple[bool, str, frozenset[int]]:
    """(valid, the reason when invalid, the candidates it gives a vote)."""
    if ballot.invalid_reason:
        return False, ballot.invalid_reason, frozenset()
    surplus = candidates > seats
    if surplus:
        kept = frozenset(n for n in ballot.kept if 1 <= n <= candidates)
        if len(kept) > seats:
            return False, TOO_MANY, frozenset()
        if not kept:
            return False, ALL_STRUCK, frozenset()
        return True, "", kept
    agreed = frozenset(n for n, mark in ballot.marks if mark == AGREE and 1 <= n <= candidates)
    return True, "", agreed


def threshold(base: int) -> int:
    """The fewest votes that are more than half of the base."""
    return math.floor(base / 2) + 1


def tally(ballots, *, seats: int, candidates: int, base: int) -> Result:
    """The count of an election from its ballots (an iterable of Ballot)."""
    result = Result(seats=seats, base=base, candidates=candidates)
    result.votes = dict.fromkeys(range(1, candidates + 1), 0)
    for ballot in ballots:
        result.ballots += 1
        valid, reason, votes = classify(ballot, seats=seats, candidates=candidates)
        if not valid:
            result.invalid[reason] = result.invalid.get(reason, 0) + 1
            continue
        result.valid += 1
        for number in votes:
            result.votes[number] += 1
    needed = threshold(base)
    result.passed = sorted((n for n, v in result.votes.items() if v >= needed), key=lambda n: (-result.votes[n], n))
    if len(result.passed) <= seats:
        result.elected = list(result.passed)
        result.seats_left = seats - len(result.elected)
        return result
    # More passed than seats: the highest win; a tie across the last seat goes to another round.
    last = result.votes[result.passed[seats - 1]]
    above = [n for n in result.passed if result.votes[n] > last]
    at_last = [n for n in result.passed if result.votes[n] == last]
    if len(above) + len(at_last) == seats:
        result.elected = above + at_last
    else:
        result.elected = above
        result.tied = at_last
        result.seats_left = seats - len(above)
    return result


def show_of_hands(agree: int, body: int) -> bool:
    """A vote by show of hands passes with more than half of the body (those summoned)."""
    return agree >= threshold(body)
