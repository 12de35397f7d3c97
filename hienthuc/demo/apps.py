from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo of make run (Thái Bình and Quảng Ninh from the seed reports): data, not product."""

    name = "hienthuc.demo"
    label = "demo"
