from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.forms import ScopedForm, UnitField
from hienthuc.orgs.models import OrgKind
from hienthuc.scope import MandateKind


class OrganizationForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Mã đơn vị"), max_length=100)
    name = forms.CharField(label=gettext_lazy("Tên đơn vị"), max_length=1000)
    short_name = forms.CharField(label=gettext_lazy("Tên viết tắt"), max_length=1000, required=False)
    kind = forms.ModelChoiceField(label=gettext_lazy("Loại đơn vị"), queryset=OrgKind.objects.select_related("level"))
    issuer_code = forms.CharField(
        label=gettext_lazy("Ký hiệu cơ quan ban hành"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Phần sau dấu “/” trong số văn bản của đơn vị (01-NQ/TU). Để trống: theo loại đơn vị."),
    )

    # Lengths are checked by the action so the message is the same from the API and imports.


class NewOrganizationForm(OrganizationForm):
    valid_from = forms.DateField(
        label=gettext_lazy("Ngày thành lập"),
        required=False,
        help_text=gettext_lazy("Để trống nếu thành lập hôm nay hoặc không rõ; loại đơn vị được xét theo ngày này."),
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 01/07/2025.")},
    )


class MoveForm(ScopedForm):
    new_parent = UnitField(label=gettext_lazy("Đơn vị cấp trên mới"))


class MandateForm(ScopedForm):
    agent = UnitField(label=gettext_lazy("Cơ quan làm thay (Văn phòng, ban tham mưu)"))
    kind = forms.ChoiceField(label=gettext_lazy("Phạm vi"), choices=MandateKind.choices)
    started_on = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 01/07/2025.")},
    )
    decision = forms.CharField(
        label=gettext_lazy("Căn cứ (quy chế làm việc, quyết định)"), max_length=200, required=False
    )
