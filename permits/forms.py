"""Forms of the registry pages. They parse and validate input only: every write goes through
``permits.services`` (the views call the service with ``cleaned_data``), never ``form.save()``."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone

from permits import rules
from permits.models import Facility, Permit, PermitEventKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Evidence of a closed rectification: documents and pictures, at most 20 MB.
EVIDENCE_EXTENSIONS = ["pdf", "ofd", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "zip"]
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def owned_fields(user, section: str | None) -> list[str]:
    """The facility fields ``user``'s section maintains, in FIELD_OWNERS order (R-ORG-2)."""
    return [
        name
        for name in rules.FIELD_OWNERS
        if not rules.fields_not_owned(section, [name], is_superuser=user.is_superuser)
    ]


class FacilityPartForm(forms.Form):
    """The part of a facility one section maintains (R-ORG-2): exactly the fields it is given, with the
    model's labels, choices and widgets."""

    def __init__(self, *args, facility: Facility, field_names: list[str], **kwargs):
        kwargs.setdefault("initial", {name: _initial(facility, name) for name in field_names})
        kwargs.setdefault("auto_id", "id_facility_%s")
        super().__init__(*args, **kwargs)
        for name in field_names:
            field = Facility._meta.get_field(name).formfield()
            if isinstance(field, forms.DateField):
                field.widget = DATE_WIDGET
            self.fields[name] = field


def _initial(facility: Facility, name: str):
    field = Facility._meta.get_field(name)
    return getattr(facility, field.attname)


class PermitEventForm(forms.Form):
    """登记许可证事项 (R-PER-1): the facility's permits are passed in, so the page costs no query."""

    permit = forms.TypedChoiceField(label="排污许可证", coerce=int)
    kind = forms.ChoiceField(label="事项", choices=PermitEventKind.choices)
    occurred_on = forms.DateField(label="日期", widget=DATE_WIDGET, initial=timezone.localdate)
    document_no = forms.CharField(label="文号", max_length=100, required=False)
    note = forms.CharField(label="备注", max_length=500, required=False)
    new_valid_until = forms.DateField(
        label="延续后有效期至",
        required=False,
        widget=DATE_WIDGET,
        help_text="仅在延续获批时填写；延续申请尚未批准时留空。",
    )

    def __init__(self, *args, permits: list[Permit], **kwargs):
        kwargs.setdefault("auto_id", "id_event_%s")
        super().__init__(*args, **kwargs)
        self.permits = {p.pk: p for p in permits}
        self.fields["permit"].choices = [(p.pk, p.number) for p in permits]

    def clean_permit(self):
        return self.permits[self.cleaned_data["permit"]]


class RectificationProgressForm(forms.Form):
    noted_on = forms.DateField(label="日期", widget=DATE_WIDGET, initial=timezone.localdate)
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, item_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_progress{item_pk}_%s")
        super().__init__(*args, **kwargs)


class RectificationCloseForm(forms.Form):
    """问题销号 with its evidence (R-PER-3). Field names follow the service's error keys."""

    closed_on = forms.DateField(label="销号日期", widget=DATE_WIDGET, initial=timezone.localdate)
    closing_evidence = forms.CharField(
        label="整改完成证明", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    closing_file = forms.FileField(
        label="证明材料（可选）",
        required=False,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
        help_text="PDF、OFD、图片、Word、Excel 或 ZIP，不超过 20 MB。",
    )

    def __init__(self, *args, item_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_close{item_pk}_%s")
        super().__init__(*args, **kwargs)

    def clean_closing_file(self):
        upload = self.cleaned_data.get("closing_file")
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError("证明材料不能超过 20 MB。")
        return upload


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it,
    otherwise at the top of the form with the field's label, so no message is lost."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    labels = {f.name: str(f.verbose_name) for f in Facility._meta.fields}
    for name, messages in exc.message_dict.items():
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
            elif name == NON_FIELD_ERRORS:
                form.add_error(None, message)
            else:
                form.add_error(None, f"{labels.get(name, name)}：{message}")
