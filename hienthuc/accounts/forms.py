from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.accounts.models import RoleKind, ServiceScope
from hienthuc.forms import DATE_ERRORS, PersonField, ScopedForm, UnitField


class UserCreateForm(ScopedForm):
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=300, required=False)
    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        required=False,
        error_messages={"invalid": gettext_lazy("Địa chỉ thư không hợp lệ.")},
    )
    password = forms.CharField(label=gettext_lazy("Mật khẩu"), widget=forms.PasswordInput, min_length=1)
    organization = UnitField(label=gettext_lazy("Đơn vị"))
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=RoleKind.choices)


class GrantRoleForm(ScopedForm):
    organization = UnitField(label=gettext_lazy("Đơn vị"))
    kind = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=RoleKind.choices)


class PersonLinkForm(ScopedForm):
    person = PersonField(
        label=gettext_lazy("Hồ sơ cán bộ của tài khoản (họ tên, chọn trong gợi ý; để trống để bỏ gắn)"), required=False
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên gợi nhớ"), max_length=100)


class ServiceAccountForm(ScopedForm):
    name = forms.CharField(label=gettext_lazy("Tên hệ thống (ví dụ: Cổng thông tin điện tử tỉnh)"), max_length=100)
    unit = UnitField(label=gettext_lazy("Đơn vị sở hữu (hệ thống chỉ thấy cây đơn vị này)"))
    scope = forms.ChoiceField(label=gettext_lazy("Quyền"), choices=ServiceScope.choices)
    expires_on = forms.DateField(label=gettext_lazy("Hết hạn ngày"), error_messages=DATE_ERRORS)


class ServiceRenewForm(forms.Form):
    expires_on = forms.DateField(label=gettext_lazy("Khóa mới hết hạn ngày"), error_messages=DATE_ERRORS)
