from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hienthuc.accounts"
    label = "accounts"
