from django import forms

from hienthuc.accounts.models import RoleKind
from hienthuc.forms import PersonField, ScopedForm, UnitField


class UserCreateForm(ScopedForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=300, required=False)
    email = forms.EmailField(
        label="Thư điện tử", required=False, error_messages={"invalid": "Địa chỉ thư không hợp lệ."}
    )
    password = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput, min_length=1)
    organization = UnitField(label="Đơn vị")
    role = forms.ChoiceField(label="Vai trò", choices=RoleKind.choices)


class GrantRoleForm(ScopedForm):
    organization = UnitField(label="Đơn vị")
    kind = forms.ChoiceField(label="Vai trò", choices=RoleKind.choices)


class PersonLinkForm(ScopedForm):
    person = PersonField(
        label="Hồ sơ cán bộ của tài khoản (họ tên, chọn trong gợi ý; để trống để bỏ gắn)", required=False
    )


class TokenForm(forms.Form):
    name = forms.CharField(label="Tên gợi nhớ", max_length=100)
