from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hienthuc.meetings"
    label = "meetings"
