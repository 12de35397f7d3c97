"""Synthetic trees at the province and national tiers of DESIGN §5, for benchmarks.

Deterministic for a given seed. Rows are written in bulk (COPY on PostgreSQL) with their
paths and subtree aggregates computed here, so the national tier — about 330,000 units and
5.6 million people — takes minutes, not hours. Nothing here goes through the audited
actions: this is load-test data, never real data.
"""

import datetime
import io
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from hienthuc.lib import names
from hienthuc.lib.text import fold
from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, Organization, OrgKind
from hienthuc.people.models import Person


@dataclass(frozen=True)
class Tier:
    provinces: int
    communes: tuple[int, int]  # per province (min, max)
    grassroots: tuple[int, int]  # per commune
    cells: tuple[int, int]  # per grassroots unit
    people_per_grassroots: tuple[int, int]  # sitting directly in the grassroots unit
    people_per_cell: tuple[int, int]
    # The shape before 1 July 2025: communes and grassroots organizations under districts.
    # With districts, `communes` and `grassroots` count per district, the communes are
    # grassroots party committees holding cells, and the grassroots units are agencies'.
    districts: tuple[int, int] = (0, 0)
    code_prefix: str = "G"


TIERS = {
    # ~10,000 units and ~200,000 people in one province.
    "province": Tier(1, (100, 100), (13, 17), (4, 7), (8, 12), (19, 25)),
    # ~330,000 units (34 provinces, ~3,300 communes, ~52,000 grassroots, ~270,000 cells), ~5.6M people.
    "national": Tier(34, (96, 100), (14, 17), (4, 6), (2, 6), (18, 25)),
    # The country before the 2025 reorganization, for its benchmark (bench/reorg.py): 63
    # provinces, ~700 districts, ~10,000 communes, ~5,500 agencies' grassroots units, ~80,000
    # cells, ~1.9 million people — a second root beside the national tier, codes "H…".
    "national-2024": Tier(63, (13, 16), (6, 10), (4, 6), (2, 6), (18, 25), districts=(10, 12), code_prefix="H"),
}


@dataclass
class Node:
    code: str
    name: str
    kind: str
    children: list["Node"]
    people: int  # sitting directly in this unit
    path: str = ""
    units_below: int = 0
    people_below: int = 0


def _cells(rng: random.Random, tier: Tier, code: str) -> list[Node]:
    return [
        Node(f"{code}-{k:02d}", f"Chi bộ {k + 1}", "chi_bo", [], rng.randint(*tier.people_per_cell))
        for k in range(rng.randint(*tier.cells))
    ]


def _grassroots(rng: random.Random, tier: Tier, code: str, count: int) -> list[Node]:
    units = []
    for g in range(count):
        cells = _cells(rng, tier, f"{code}-{g:02d}")
        name = f"Đảng ủy cơ sở {names.place(rng, set())} {g + 1}"
        units.append(Node(f"{code}-{g:02d}", name, "dang_uy_co_so", cells, rng.randint(*tier.people_per_grassroots)))
    return units


def _plan_province(rng: random.Random, tier: Tier, index: int) -> Node:
    prefix = f"{tier.code_prefix}{index:02d}"
    name = f"Tỉnh ủy mô phỏng {index + 1}"
    used: set[str] = set()
    if tier.districts == (0, 0):
        communes = []
        for c in range(rng.randint(*tier.communes)):
            code = f"{prefix}-{c:03d}"
            grassroots = _grassroots(rng, tier, code, rng.randint(*tier.grassroots))
            place = names.place(rng, used)
            communes.append(Node(code, f"Đảng ủy xã {place}", "dang_uy_xa", grassroots, 5))
        return Node(prefix, name, "tinh_uy", communes, 20)
    districts = []
    for d in range(rng.randint(*tier.districts)):
        code = f"{prefix}-{d:02d}"
        units = []
        for c in range(rng.randint(*tier.communes)):
            commune = f"{code}-X{c:02d}"
            place = names.place(rng, used)
            units.append(Node(commune, f"Đảng ủy xã {place}", "dang_uy_co_so", _cells(rng, tier, commune), 3))
        units += _grassroots(rng, tier, f"{code}-C", rng.randint(*tier.grassroots))
        districts.append(Node(code, f"Huyện ủy {names.place(rng, used)}", "huyen_uy", units, 10))
    return Node(prefix, name, "tinh_uy", districts, 20)


def _aggregate(node: Node) -> tuple[int, int]:
    units, people = 0, node.people
    for child in node.children:
        u, p = _aggregate(child)
        units += 1 + u
        people += p
    node.units_below, node.people_below = units, people
    return units, people


def _assign_paths(node: Node, path: str) -> None:
    node.path = path
    for i, child in enumerate(node.children, start=1):
        _assign_paths(child, Organization._get_path(path, len(path) // Organization.steplen + 1, i))


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def generate(tier_name: str, *, seed: int = 1, out=None) -> dict[str, int]:
    tier = TIERS[tier_name]
    rng = random.Random(seed)
    kinds = {k.code: k.pk for k in OrgKind.objects.all()}
    now = timezone.now()
    roots = Organization.objects.filter(depth=1).order_by("-path").values_list("path", flat=True)
    last_root = Organization._str2int(roots[0]) if roots else 0

    if tier.provinces == 1:
        # A province is the root of its own deployment.
        parent_path, parent_depth = "", 0
        top = None
    else:
        top_path = Organization._get_path("", 1, last_root + 1)
        top = Node(f"{tier.code_prefix}-TW", "Trung ương (mô phỏng)", "trung_uong", [], 0, path=top_path)
        parent_path, parent_depth = top_path, 1

    totals = {"units": 0, "people": 0}
    with transaction.atomic():
        if top is not None:
            _insert_units([top], kinds, now, numchild={top.path: tier.provinces})
            totals["units"] += 1
        for index in range(tier.provinces):
            province = _plan_province(rng, tier, index)
            if parent_depth == 0:
                path = Organization._get_path("", 1, last_root + 1)
            else:
                path = Organization._get_path(parent_path, parent_depth + 1, index + 1)
            _assign_paths(province, path)
            _aggregate(province)
            nodes = list(_walk(province))
            _insert_units(nodes, kinds, now)
            ids = dict(Organization.objects.filter(path__startswith=province.path).values_list("path", "pk"))
            _insert_people(nodes, ids, rng, now)
            totals["units"] += len(nodes)
            totals["people"] += sum(n.people for n in nodes)
            if out:
                out.write(f"  {province.name}: {len(nodes):,} đơn vị, {province.people_below:,} người\n")
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows the tables are now large.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orgs_organization")
            cursor.execute("ANALYZE people_person")
    return totals


def _insert_units(nodes: list[Node], kinds: dict[str, int], now, numchild=None) -> None:
    rows = [
        Organization(
            path=n.path,
            depth=len(n.path) // Organization.steplen,
            numchild=(numchild or {}).get(n.path, len(n.children)),
            code=n.code,
            name=n.name,
            kind_id=kinds[n.kind],
            is_active=True,
            search_text=fold(f"{n.name} {n.code}"),
            units_below=n.units_below if len(n.path) // Organization.steplen >= AGGREGATE_MIN_DEPTH else 0,
            people_below=n.people_below if len(n.path) // Organization.steplen >= AGGREGATE_MIN_DEPTH else 0,
            people_here=n.people,
            created_at=now,
            updated_at=now,
        )
        for n in nodes
    ]
    Organization.objects.bulk_create(rows, batch_size=5000)


def _people_rows(nodes: list[Node], ids: dict[str, int], rng: random.Random):
    folded: dict[str, str] = {}
    for node in nodes:
        home = ids[node.path]
        for _ in range(node.people):
            full_name, gender = names.person(rng)
            search = folded.get(full_name)
            if search is None:
                search = folded[full_name] = fold(full_name)
            birth_year = rng.randint(1950, 2004)
            joined = datetime.date(min(birth_year + rng.randint(18, 35), 2025), rng.randint(1, 12), rng.randint(1, 28))
            yield full_name, birth_year, gender, joined, home, search


def _insert_people(nodes: list[Node], ids: dict[str, int], rng: random.Random, now) -> None:
    rows = _people_rows(nodes, ids, rng)
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for full_name, birth_year, gender, joined, home, search in rows:
            buffer.write(
                f"{full_name}\t{birth_year}\t{gender}\t{joined.isoformat()}\t{home}\tt\t{search}\t{now.isoformat()}\t{now.isoformat()}\n"
            )
        buffer.seek(0)
        with connection.cursor() as cursor:
            columns = (
                "full_name, birth_year, gender, party_joined_on, home_unit_id, is_active, search_name, "
                "created_at, updated_at"
            )
            with cursor.cursor.copy(f"COPY people_person ({columns}) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
        return
    batch = []
    for full_name, birth_year, gender, joined, home, search in rows:
        batch.append(
            Person(
                full_name=full_name,
                birth_year=birth_year,
                gender=gender,
                party_joined_on=joined,
                home_unit_id=home,
                is_active=True,
                search_name=search,
                created_at=now,
                updated_at=now,
            )
        )
        if len(batch) >= 10_000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
