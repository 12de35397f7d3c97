"""What a committee may hold: the composition rules checked whenever a term or a seat is saved
(committees/actions.py), each with where it comes from. They are data: a Party organization whose
rules differ (a grassroots committee without a Standing Committee has no such seats to check)
changes them here, in one place.
"""

from hienthuc.committees.models import Body, SeatRole

# The roles each body has (Điều lệ Đảng 2011, Điều 9 and 31–32; the working rules of the Executive
# Committee, Standing Committee and Standing Office; Quy định 22-QĐ/TW, 2021, on inspection
# commissions: a chairman, vice chairmen and members).
ROLES_BY_BODY: dict[str, set[str]] = {
    Body.EXECUTIVE: {
        SeatRole.SECRETARY, SeatRole.STANDING_DEPUTY, SeatRole.DEPUTY, SeatRole.STANDING_MEMBER, SeatRole.MEMBER,
    },
    Body.STANDING: {SeatRole.SECRETARY, SeatRole.STANDING_DEPUTY, SeatRole.DEPUTY, SeatRole.STANDING_MEMBER},
    Body.STANDING_OFFICE: {SeatRole.SECRETARY, SeatRole.STANDING_DEPUTY, SeatRole.DEPUTY},
    Body.INSPECTION: {SeatRole.CHAIR, SeatRole.VICE_CHAIR, SeatRole.MEMBER},
}  # fmt: skip

# Roles one person holds at a time in a body (the Executive Committee elects one secretary and,
# at provincial level, one standing deputy; the inspection commission has one chairman).
SINGLE_ROLES = {SeatRole.SECRETARY, SeatRole.STANDING_DEPUTY, SeatRole.CHAIR}

# A body elected by and from another (Điều lệ Đảng, Điều 9: the Executive Committee elects the
# Standing Committee from its members, and the Standing Committee's secretary and deputies form
# the Standing Office).
ELECTED_FROM: dict[str, str] = {Body.STANDING: Body.EXECUTIVE, Body.STANDING_OFFICE: Body.STANDING}
