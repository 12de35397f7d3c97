from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hienthuc.people"
    label = "people"
