from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.elections.models import RULE_SOURCE, CongressKind, CounterRole

NUMBER = {"invalid": gettext_lazy("Hãy nhập một số nguyên.")}


class ElectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Nội dung bầu"), max_length=300)
    seats = forms.IntegerField(label=gettext_lazy("Số người cần bầu"), min_value=1, error_messages=NUMBER)
    congress_kind = forms.ChoiceField(label=gettext_lazy("Loại đại hội"), choices=CongressKind.choices)
    summoned = forms.IntegerField(
        label=gettext_lazy("Số đại biểu (đảng viên) chính thức được triệu tập"), min_value=1, error_messages=NUMBER
    )
    excluded = forms.IntegerField(
        label=gettext_lazy("Số không tính vào tổng số (theo Quy chế bầu cử)"), min_value=0, initial=0,
        error_messages=NUMBER,
    )  # fmt: skip
    rule_source = forms.CharField(label=gettext_lazy("Căn cứ"), max_length=300, initial=RULE_SOURCE)
    surplus_max = forms.DecimalField(
        label=gettext_lazy("Số dư tối đa (tỷ lệ: 0,3 là 30%)"), min_value=0, max_value=1, initial=Decimal("0.30"),
        localize=True,
        error_messages={"invalid": gettext_lazy("Ghi một tỷ lệ, ví dụ 0,3.")},
    )  # fmt: skip
    candidates = forms.CharField(
        label=gettext_lazy("Danh sách bầu cử theo thứ tự trên phiếu (mỗi dòng một người)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    candidates_file = forms.FileField(
        label=gettext_lazy("Hoặc tệp Excel (.xlsx) danh sách bầu cử: cột “Họ và tên”, theo thứ tự trên phiếu"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        names = [line.strip() for line in (data.get("candidates") or "").splitlines() if line.strip()]
        upload = data.get("candidates_file")
        if not names and upload is not None:
            names = self._names_from(upload.read())
        if not names and not self.errors:
            self.add_error("candidates", gettext_lazy("Hãy ghi danh sách bầu cử, hoặc chọn tệp Excel."))
        data["candidates"] = names
        data.pop("candidates_file", None)
        return data

    def _names_from(self, content: bytes) -> list[str]:
        """The names of the first sheet, in its order: the column headed "Họ và tên", else each
        row's first cell that is not a number (an STT column is skipped)."""
        from django.conf import settings

        from hienthuc.lib.sheets import FileProblem, read_grids
        from hienthuc.lib.text import fold

        try:
            grids = read_grids(content, max_bytes=settings.UPLOAD_MAX_BYTES, max_rows=2000)
        except FileProblem as exc:
            self.add_error("candidates_file", str(exc))
            return []
        rows = grids[0][1] if grids else []
        column = None
        for _number, cells in rows[:5]:
            found = [i for i, cell in enumerate(cells) if fold(cell) in ("ho va ten", "ho ten")]
            if found:
                column = found[0]
                rows = rows[rows.index((_number, cells)) + 1 :]
                break
        names = []
        for _number, cells in rows:
            if column is not None:
                name = cells[column].strip() if column < len(cells) else ""
            else:
                name = next((c.strip() for c in cells if c.strip() and not c.strip().rstrip(".").isdigit()), "")
            if name:
                names.append(name)
        return names


class CounterForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=CounterRole.choices)


class OpenForm(forms.Form):
    present = forms.IntegerField(label=gettext_lazy("Số có mặt"), min_value=1, error_messages=NUMBER)
    ballots_issued = forms.IntegerField(label=gettext_lazy("Số phiếu phát ra"), min_value=1, error_messages=NUMBER)


class BallotForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Số phiếu"), min_value=1, error_messages=NUMBER)
    kept = forms.CharField(
        label=gettext_lazy("Số thứ tự các tên được giữ lại (cách nhau bởi dấu phẩy; để trống nếu gạch hết)"),
        required=False,
        max_length=4000,
    )
    invalid = forms.CharField(
        label=gettext_lazy("Hoặc: lý do phiếu không hợp lệ khác (Ban kiểm phiếu xác định)"), required=False,
        max_length=200,
    )  # fmt: skip

    def clean_kept(self):
        text = self.cleaned_data["kept"].replace(";", ",")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(gettext_lazy("Chỉ ghi các số thứ tự, cách nhau bởi dấu phẩy, ví dụ 1, 3, 7."))
        return [int(p) for p in parts]

    def content(self) -> dict:
        if self.cleaned_data["invalid"].strip():
            return {"invalid": self.cleaned_data["invalid"]}
        return {"kept": self.cleaned_data["kept"]}


class HandVoteForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Nội dung biểu quyết"), max_length=300)
    body = forms.IntegerField(label=gettext_lazy("Số đại biểu được triệu tập"), min_value=1, error_messages=NUMBER)
    agree = forms.IntegerField(label=gettext_lazy("Tán thành"), min_value=0, error_messages=NUMBER)
    disagree = forms.IntegerField(
        label=gettext_lazy("Không tán thành"), min_value=0, required=False, error_messages=NUMBER
    )
    abstain = forms.IntegerField(
        label=gettext_lazy("Không biểu quyết"), min_value=0, required=False, error_messages=NUMBER
    )

    def clean(self):
        data = super().clean()
        for name in ("disagree", "abstain"):
            data[name] = data.get(name) or 0
        return data
