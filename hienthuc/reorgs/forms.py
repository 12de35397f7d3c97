from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.forms import ScopedForm, UnitField, UnitsField
from hienthuc.orgs.models import OrgKind
from hienthuc.orgs.succession import registered
from hienthuc.reorgs.models import OperationKind

DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 01/07/2025.")}


class ReorganizationForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị có thẩm quyền (các đơn vị thay đổi nằm trong đơn vị này)"))
    title = forms.CharField(label=gettext_lazy("Nội dung"), max_length=500)
    effective_on = forms.DateField(label=gettext_lazy("Ngày có hiệu lực"), error_messages=DATE_ERRORS)
    decision = forms.CharField(
        label=gettext_lazy("Quyết định (số hiệu văn bản đã vào sổ, chọn trong gợi ý)"), max_length=300, required=False
    )


class OperationForm(ScopedForm):
    kind = forms.ChoiceField(label=gettext_lazy("Loại thay đổi"), choices=OperationKind.choices)
    units = UnitsField(label=gettext_lazy("Đơn vị thay đổi (hợp nhất: các đơn vị, cách nhau bởi dấu chấm phẩy)"))
    target = UnitField(
        label=gettext_lazy("Đơn vị tiếp nhận (hợp nhất vào đơn vị có sẵn; nhận đơn vị giải thể)"), required=False
    )
    new_parent = UnitField(label=gettext_lazy("Đơn vị cấp trên mới (chuyển; đơn vị mới khi hợp nhất)"), required=False)
    new_code = forms.CharField(label=gettext_lazy("Mã đơn vị mới"), max_length=32, required=False)
    new_name = forms.CharField(label=gettext_lazy("Tên đơn vị mới, hoặc tên mới"), max_length=255, required=False)
    new_kind = forms.ModelChoiceField(
        label=gettext_lazy("Loại đơn vị mới"), queryset=OrgKind.objects.select_related("level"), required=False
    )
    parts = forms.CharField(
        label=gettext_lazy("Chia tách: mỗi dòng một đơn vị mới — mã | tên | mã loại | mã các đơn vị trực thuộc nhận"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy(
            "Ví dụ: X-01 | Đảng ủy xã An Bình | dang_uy_xa | A1a-1; A1a-2. Đơn vị đầu tiên nhận đảng viên và công việc."
        ),
    )


class ChoicesForm(forms.Form):
    """What carries forward: one box per registered carrier, and accounts' roles."""

    move_roles = forms.BooleanField(label=gettext_lazy("Chuyển vai trò tài khoản sang đơn vị kế tục"), required=False)
    reports_confirmed = forms.CharField(
        label=gettext_lazy("Xác nhận ngày hiệu lực khi đã có báo cáo được duyệt sau ngày đó (ghi lý do)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for carrier in registered():
            self.fields[f"carry_{carrier.key}"] = forms.BooleanField(label=carrier.label, required=False)
