"""WTForms of the sponsor form, the manage page and the admin, all CSRF-protected by Flask-WTF.

The forms check only what a form can know (required, lengths, choices); the
posting's own rules live in `models.sponsor_postings.check`, whose messages the
views attach to the same fields, so the form and the API report alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from models import featuring
from models import normalize as nz
from models import sponsor_postings as postings
from models.normalize.urls import canonical_email
from models.tables import MOST_SALARY, Listing

REMOTE_CHOICES = [
    SelectChoice("", "Not specified"),
    SelectChoice("remote", "Remote"),
    SelectChoice("hybrid", "Hybrid"),
    SelectChoice("onsite", "On-site"),
]
TYPE_CHOICES = [SelectChoice(t, t.replace("_", " ").capitalize()) for t in nz.EMPLOYMENT_TYPES]
SENIORITY_CHOICES = [SelectChoice("", "Not specified")] + [
    SelectChoice(s, s.capitalize()) for s in nz.SENIORITIES
]
PERIOD_CHOICES = [SelectChoice("", "Not specified")] + [
    SelectChoice(p, f"per {p}") for p in nz.SALARY_PERIODS
]
MAX_TAGS = 10
LIST_ITEMS = {"tags": "Tag"}  # what one item of a list field is called in its errors


class AmountField(DecimalField):
    """A decimal that is a number: Decimal reads "NaN", "sNaN" and "Infinity" too, and
    NumberRange cannot even compare a signaling NaN. Shown as given: 120000, not 120000.00.
    Only a value typed is checked: one the post leaves out keeps the stored number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, places=None, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if valuelist and self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))

    def _value(self) -> str:
        """A stored amount (a float in the posting's JSON: 120000.0) as a person writes it."""
        if self.raw_data or self.data is None:
            return super()._value()
        return f"{Decimal(str(self.data)).normalize():f}"


class Form(FlaskForm):
    """An HTML form: it reads the fields a browser posts (url-encoded or multipart), nothing else.

    Flask-WTF would also read uploaded files and a JSON body into the fields; their values
    (a FileStorage, a number, a body that is no object) no text field can take, and
    validating them raised a TypeError, a 500, before any login. Such a post now counts
    as an empty one.
    """

    class Meta:
        def wrap_formdata(self, form: FlaskForm, formdata: Any) -> MultiDict | None:
            if formdata is None or isinstance(formdata, MultiDict):  # given by the caller
                return formdata
            return request.form if form.is_submitted() and request.form else None


# As many units as the columns hold: a year's pay in dong is billions (the posting's own
# checks bound it by its currency, models.normalize.bounds).
SALARY_RANGE = NumberRange(
    min=0, max=MOST_SALARY, message=f"Enter an amount from 0 to {MOST_SALARY:,}."
)


def _optional_text(label: str, max_length: int, **kwargs: Any) -> StringField:
    return StringField(label, [Optional(), Length(max=max_length)], **kwargs)


class JobFieldsForm(Form):
    """The posting's fields, shared by the new-posting form, the manage page and the admin."""

    company = StringField("Company", [DataRequired(), Length(max=200)])
    company_website = _optional_text("Company website", 2000, description="https://…")
    company_logo_url = _optional_text("Logo URL", 2000, description="An https image URL.")
    title = StringField("Job title", [DataRequired(), Length(max=300)])
    location = _optional_text("Location", 300, description="City, country")
    remote = SelectField("Remote policy", choices=REMOTE_CHOICES, default="")
    remote_note = _optional_text("Remote note", 200, description="e.g. UK time ± 2 hours")
    employment_type = SelectField("Type", choices=TYPE_CHOICES, default="full_time")
    seniority = SelectField("Seniority", choices=SENIORITY_CHOICES, default="")
    salary_min = AmountField("Salary from", [Optional(), SALARY_RANGE])
    salary_max = AmountField("Salary to", [Optional(), SALARY_RANGE])
    salary_currency = _optional_text("Currency", 3, description="ISO code, e.g. EUR")
    salary_period = SelectField("Per", choices=PERIOD_CHOICES, default="")
    tags = _optional_text("Tags", 400, description="Comma-separated, e.g. LLM, PyTorch")
    description = TextAreaField(
        "Description", [DataRequired(), Length(max=50_000)], description="Markdown; no HTML."
    )
    apply_url = StringField(
        "Apply URL or e-mail", [DataRequired(), Length(max=2000)], description="https://… or name@…"
    )

    def validate_tags(self, field: StringField) -> None:
        if len(_split_tags(field.data)) > MAX_TAGS:
            raise ValidationError(f"At most {MAX_TAGS} tags.")

    def job_fields(self) -> dict[str, Any]:
        """The entered posting as sponsor fields for `models.sponsor_postings`."""
        fields = {name: self[name].data for name in JOB_FIELD_NAMES}
        fields["tags"] = _split_tags(self.tags.data)
        for name in ("salary_min", "salary_max"):
            fields[name] = None if fields[name] is None else float(fields[name])
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}

    @classmethod
    def for_listing(cls, listing: Listing, *, read_request: bool = True) -> JobFieldsForm:
        """The editor of a sponsor posting, filled as the sponsor last entered it.

        Without `read_request` it ignores the request's form, which was another form's post.
        """
        data = postings.form_fields(listing)
        data["tags"] = ", ".join(data.get("tags") or [])
        form = cls(data=data) if read_request else cls(formdata=None, data=data)
        if postings.description_is_html(listing):
            form.description.description = "HTML, as the sponsor sent it; sanitized when saved."
        return form

    def changes(self, listing: Listing) -> dict[str, Any]:
        """Only the fields that differ from the stored posting (an untouched HTML description
        stays HTML instead of being re-read as Markdown)."""
        before = postings.form_fields(listing)
        changed = {
            name: value
            for name, value in self.job_fields().items()
            if value != before.get(name) and (value or before.get(name))
        }
        if "description" in changed and postings.description_is_html(listing):
            changed["description_html"] = changed.pop("description")  # edited as HTML, not Markdown
        return changed

    def check_posting(self) -> list[str]:
        """Attach the posting's own problems (an apply URL that is no URL, a salary range
        upside down...) beside the form's, so one round shows them all; return those no
        field owns. A field the form already faulted keeps only the form's message."""
        errors = postings.check_fields(self.job_fields())
        return self.add_errors(
            {name: e for name, e in errors.items() if name not in self or not self[name].errors}
        )

    def add_errors(self, messages: dict[str, Any]) -> list[str]:
        """Attach model errors to their fields; return the ones no field owns."""
        unowned = []
        for name, errors in messages.items():
            readable = _readable(errors, LIST_ITEMS.get(name, "Item"))
            if name in JOB_FIELD_NAMES:
                self[name].errors = [*self[name].errors, *readable]
            else:
                unowned += [f"{name}: {error}" for error in readable]
        return unowned


JOB_FIELD_NAMES = tuple(
    name for name, value in vars(JobFieldsForm).items() if isinstance(value, UnboundField)
)


def _readable(errors: str | list[str] | dict[Any, Any], item: str) -> list[str]:
    """A list field's errors come nested by position ({1: [...]}): each becomes one line
    naming its item, counted from 1 as the poster counts."""
    if isinstance(errors, str):
        return [errors]
    if not isinstance(errors, dict):
        return [str(error) for error in errors]
    return [
        f"{item} {key + 1 if isinstance(key, int) else key}: {message}"
        for key, nested in errors.items()
        for message in _readable(nested, item)
    ]


def _split_tags(text: str | None) -> list[str]:
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


class PostForm(JobFieldsForm):
    """A new posting: the fields, the poster's e-mail and a honeypot."""

    email = StringField(
        "Your e-mail",
        [DataRequired(), Length(max=320)],
        description=(
            "So a moderator can reach you. No mail is sent: your manage link is on the next page."
        ),
    )
    # Hidden from people by CSS; a bot that fills every input gives itself away.
    homepage = StringField("Leave this empty")

    def validate_email(self, field: StringField) -> None:
        if canonical_email(field.data) is None:
            raise ValidationError("Not a valid e-mail address.")

    @property
    def is_spam(self) -> bool:
        return bool(self.homepage.data)


class LoginForm(Form):
    username = StringField("User name", [DataRequired(), Length(max=80)])
    password = PasswordField("Password", [DataRequired(), Length(max=200)])
    next = HiddenField()


class ActionForm(Form):
    """A button that changes state: only the CSRF token."""


class CloseForm(Form):
    """A sponsor's close, which cannot be undone: it asks for a tick, not one stray click."""

    confirm = BooleanField(
        "Yes, close it for good",
        validators=[DataRequired("Tick the box to close the posting for good.")],
    )


class FeatureForm(Form):
    # InputRequired, not DataRequired: a typed date that is no date says so, not "required".
    until = DateField("Featured until (inclusive)", [InputRequired()])

    def validate_until(self, field: DateField) -> None:
        problem = field.data and featuring.day_problem(field.data, datetime.now(UTC).date())
        if problem:
            raise ValidationError(problem)

    def until_datetime(self) -> datetime:
        """The end of the chosen day, UTC."""
        return featuring.end_of(self.until.data)
