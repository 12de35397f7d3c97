"""People a file names: by full name, written any way (diacritics, case, spaces), and by the
year of birth where two share a name. The import files of committees and meetings read it."""

from hienthuc.lib.text import clean, fold
from hienthuc.people.models import Person


class PeopleByName:
    def __init__(self, people, names) -> None:
        """`people`: the queryset the file may name; `names`: the names written in it (one query)."""
        self._by_name: dict[str, list[Person]] = {}
        wanted = {fold(clean(name)) for name in names if clean(name)}
        for person in people.filter(search_name__in=wanted).select_related("home_unit"):
            self._by_name.setdefault(person.search_name, []).append(person)

    def candidates(self, name, year=None) -> list[Person]:
        """Everyone the name (and the year, when written; Excel may store it as 1979.0) fits."""
        found = self._by_name.get(fold(clean(name)), [])
        if clean(year):
            wanted = clean(str(year)).split(".")[0]
            found = [p for p in found if str(p.birth_year or "") == wanted]
        return found
