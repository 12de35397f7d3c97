from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "hienthuc.reviews"
    label = "reviews"
