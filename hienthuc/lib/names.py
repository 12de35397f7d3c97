"""Fictional Vietnamese names for demo and generated data, deterministic for a given seed."""

import random

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Phan",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Mai",
    "Trịnh",
    "Đào",
    "Lương",
    "Tạ",
]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Thành", "Xuân", "Công", "Mạnh", "Tiến"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Minh", "Phương", "Diệu", "Thúy"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Tùng",
    "Hưng",
]
GIVEN_FEMALE = [
    "Anh",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngân",
    "Oanh",
    "Tâm",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
    "Huyền",
    "Loan",
    "Nhung",
]
PLACE_SYLLABLES = [
    "An",
    "Bình",
    "Châu",
    "Cường",
    "Dương",
    "Hà",
    "Hải",
    "Hòa",
    "Hồng",
    "Hợp",
    "Hưng",
    "Khê",
    "Lâm",
    "Lạc",
    "Linh",
    "Long",
    "Minh",
    "Mỹ",
    "Nguyên",
    "Phong",
    "Phú",
    "Phúc",
    "Quang",
    "Sơn",
    "Tân",
    "Thanh",
    "Thắng",
    "Thịnh",
    "Thọ",
    "Tiến",
    "Trung",
    "Vinh",
    "Xuân",
    "Yên",
    "Đồng",
    "Hiệp",
    "Lộc",
    "Nghĩa",
    "Thái",
    "Thuận",
]


def person(rng: random.Random) -> tuple[str, str]:
    """(full name, gender code) of a fictional person."""
    if rng.random() < 0.6:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
        return name, "nam"
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"
    return name, "nu"


def place(rng: random.Random, used: set[str], prefix: str = "") -> str:
    """A fictional two-syllable place name not yet in `used`."""
    for _ in range(1000):
        first = prefix or rng.choice(PLACE_SYLLABLES)
        second = rng.choice(PLACE_SYLLABLES)
        name = f"{first} {second}"
        if first != second and name not in used:
            used.add(name)
            return name
    n = len(used) + 1
    name = f"{prefix or 'Tân'} {n}"
    used.add(name)
    return name
