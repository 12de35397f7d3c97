from django.apps import AppConfig
from django.utils.translation import gettext as _


class PeopleConfig(AppConfig):
    name = "hienthuc.people"
    label = "people"

    def ready(self):
        from hienthuc.orgs import succession
        from hienthuc.people.models import Person

        # Members sitting in a ceasing unit belong to its successor from the effective date.
        succession.register(
            succession.unit_field_carrier(
                "members",
                _("Cán bộ, đảng viên sinh hoạt tại đơn vị"),
                lambda: Person.objects.filter(is_active=True),
                "home_unit",
            )
        )
