"""The election count (lib/election.py) against the Party's election regulation, by examples
and by properties over generated ballots (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hienthuc.lib import election
from hienthuc.lib.election import AGREE, ALL_STRUCK, BOTH, DISAGREE, NEITHER, TOO_MANY, Ballot


def test_it_checks_the_surplus_of_the_list():
    assert election.check_list(57, 51) == []  # 11,76 %
    assert "9,80%" in election.check_list(56, 51)[0]  # below the usual 10 %: a warning
    assert "ngoài mức thường làm" in election.check_list(60, 51)[0]
    with pytest.raises(election.ElectionError, match="quá 30%"):
        election.check_list(67, 51)
    with pytest.raises(election.ElectionError, match="ít hơn số cần bầu"):
        election.check_list(50, 51)


def test_a_ballot_keeping_too_many_or_striking_all_is_invalid_keeping_fewer_is_valid():
    seats, candidates = 3, 4
    assert election.classify(Ballot(kept=frozenset({1, 2, 3, 4})), seats=seats, candidates=candidates)[:2] == (
        False,
        TOO_MANY,
    )
    assert election.classify(Ballot(), seats=seats, candidates=candidates)[:2] == (False, ALL_STRUCK)
    assert election.classify(Ballot(kept=frozenset({2})), seats=seats, candidates=candidates) == (
        True,
        "",
        frozenset({2}),
    )
    reason = "Phiếu không có dấu của Ban kiểm phiếu"
    assert election.classify(Ballot(invalid_reason=reason), seats=seats, candidates=candidates)[:2] == (False, reason)


def test_on_a_list_without_surplus_a_name_marked_both_or_neither_gets_no_vote_and_the_ballot_stays_valid():
    ballot = Ballot(marks=((1, AGREE), (2, BOTH), (3, NEITHER), (4, DISAGREE)))
    assert election.classify(ballot, seats=4, candidates=4) == (True, "", frozenset({1}))
    # Every name disagreed: still a valid ballot, no vote.
    assert election.classify(Ballot(marks=((1, DISAGREE),)), seats=1, candidates=1) == (True, "", frozenset())


def test_elected_is_more_than_half_of_the_summoned_base_not_of_the_valid_ballots():
    # 10 summoned, 6 ballots: 5 votes is most of the ballots but not more than half of 10.
    ballots = [Ballot(kept=frozenset({1}))] * 5 + [Ballot(kept=frozenset({2}))]
    result = election.tally(ballots, seats=1, candidates=2, base=10)
    assert (result.elected, result.seats_left) == ([], 1)
    result = election.tally([*ballots, Ballot(kept=frozenset({1}))], seats=1, candidates=2, base=10)
    assert result.elected == [1]
    assert election.percent(result.share(1)) == "60,00"


def test_a_tie_at_the_last_seat_goes_to_another_round():
    ballots = (
        [Ballot(kept=frozenset({1, 2}))] * 6
        + [Ballot(kept=frozenset({1, 3}))] * 4
        + [Ballot(kept=frozenset({2, 3}))] * 4
    )
    # 1: 10, 2: 10, 3: 8 — all over half of 14 (8): two seats go to 1 and 2.
    result = election.tally(ballots, seats=2, candidates=3, base=14)
    assert (result.elected, result.tied) == ([1, 2], [])
    # One seat: 1 and 2 tie at it, and go to another round.
    ballots = [Ballot(kept=frozenset({1}))] * 8 + [Ballot(kept=frozenset({2}))] * 8
    result = election.tally(ballots, seats=1, candidates=3, base=14)
    assert (result.elected, result.tied, result.seats_left) == ([], [1, 2], 1)


def test_a_show_of_hands_needs_more_than_half_of_the_body():
    assert not election.show_of_hands(175, 350)
    assert election.show_of_hands(176, 350)


BALLOT_LISTS = st.integers(min_value=1, max_value=8).flatmap(
    lambda seats: st.tuples(
        st.just(seats),
        st.integers(min_value=seats, max_value=seats + 3),
    )
)


@settings(max_examples=200, deadline=None)
@given(
    shape=BALLOT_LISTS,
    data=st.data(),
)
def test_the_tally_keeps_the_rules_on_any_ballots(shape, data):
    seats, candidates = shape
    surplus = candidates > seats
    numbers = st.integers(min_value=1, max_value=candidates)
    if surplus:
        ballot = st.builds(lambda kept, reason: Ballot(kept=frozenset(kept), invalid_reason=reason),
                           st.sets(numbers), st.sampled_from(["", "", "", "Phiếu rách"]))  # fmt: skip
    else:
        ballot = st.builds(
            lambda marks, reason: Ballot(marks=tuple(marks.items()), invalid_reason=reason),
            st.dictionaries(numbers, st.sampled_from([AGREE, DISAGREE, BOTH, NEITHER])),
            st.sampled_from(["", "", "", "Phiếu rách"]),
        )
    ballots = data.draw(st.lists(ballot, max_size=40))
    base = data.draw(st.integers(min_value=max(1, len(ballots)), max_value=len(ballots) + 10))
    result = election.tally(ballots, seats=seats, candidates=candidates, base=base)
    # Every ballot is valid or invalid for a reason, never both.
    assert result.valid + sum(result.invalid.values()) == result.ballots == len(ballots)
    # No valid ballot gives more votes than seats; no candidate more votes than valid ballots.
    assert sum(result.votes.values()) <= result.valid * seats
    assert all(v <= result.valid for v in result.votes.values())
    # The elected all have more than half of the base, never more than the seats, and anyone
    # with more votes than an elected one passed too.
    assert len(result.elected) <= seats
    assert all(2 * result.votes[n] > base for n in result.elected)
    for n in result.elected:
        assert all(m in result.passed for m, v in result.votes.items() if v > result.votes[n])
    # Seats are filled, left for another round, or contested by a tie; nothing is lost.
    assert len(result.elected) + result.seats_left == seats
    if result.tied:
        assert len(result.tied) > result.seats_left > 0
        assert len({result.votes[n] for n in result.tied}) == 1
    # Shares are against the base, two decimals.
    for n in range(1, candidates + 1):
        assert result.share(n) == (Decimal(100 * result.votes[n]) / base).quantize(Decimal("0.01"), "ROUND_HALF_UP")
