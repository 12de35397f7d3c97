from django import forms

from hienthuc.forms import ScopedForm, UnitField
from hienthuc.orgs.models import OrgKind


class OrganizationForm(forms.Form):
    code = forms.CharField(label="Mã đơn vị", max_length=100)
    name = forms.CharField(label="Tên đơn vị", max_length=1000)
    short_name = forms.CharField(label="Tên viết tắt", max_length=1000, required=False)
    kind = forms.ModelChoiceField(label="Loại đơn vị", queryset=OrgKind.objects.select_related("level"))

    # Lengths are checked by the action so the message is the same from the API and imports.


class MoveForm(ScopedForm):
    new_parent = UnitField(label="Đơn vị cấp trên mới")
