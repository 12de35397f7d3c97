"""Password rules with their messages in Vietnamese (Django's catalog lacks this one)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("Mật khẩu này quá ngắn: cần ít nhất %(min_length)s ký tự.") % {"min_length": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("Mật khẩu cần ít nhất %(min_length)s ký tự.") % {"min_length": self.min_length}
