"""Form input checks that report every problem per field in plain words, and the write errors.
Pages show ``ValidationError.problems`` per field and ``str()`` of ConflictError/PermissionError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.orm import InstrumentedAttribute

from kam.core import formatting as fmt
from kam.core.i18n import N_, Msg, term, text_of
from kam.core.money import NumberError, parse_number

# How far a date may lie from today. A mistyped year (2052 for 2025) is the usual error.
DONE_YEARS_BACK = 2  # a done contact, an opened claim, a competitor note
PLANNED_YEARS_AROUND = 1  # a planned contact or a next step, before or after today
# Text columns have no size in the database; a cap keeps a pasted e-mail thread from bloating it.
LONG_TEXT_MAX = 10_000
IDEMPOTENCY_KEY_MAX = 64


class ValidationError(ValueError):
    """The form input has problems: ``problems`` maps each field to a plain-words message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems: dict[str, str] = {k: term(v) for k, v in problems.items()}
        super().__init__("; ".join(self.problems.values()))


class NotFound(LookupError):
    """The record asked for does not exist or is not visible to the viewer; the message says
    which, in words. (A ``KeyError`` is a programming error, never this.)"""


class ConflictError(Exception):
    """Someone else changed the record meanwhile; ``current`` holds the values now saved."""

    def __init__(
        self,
        *,
        entity: str,
        entity_id: int,
        expected_version: int,
        current: Mapping[str, Any],
        changed_by: str | None = None,
        changed_at: dt.datetime | None = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.expected_version = expected_version
        self.current = dict(current)
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = Msg(" by {name}", name=changed_by) if changed_by else ""
        # In the deployment's time zone and the reader's language, as every time shown.
        when = Msg(" at {time}", time=fmt.moment(changed_at)) if changed_at else ""
        super().__init__(
            Msg(
                "This {entity} was changed{who}{when} while you were editing it (you had version "
                "{expected}, it is now version {now}). Nothing was saved: check the current "
                "values and apply your change again.",
                entity=term(entity.replace("_", " ")), who=who, when=when,
                expected=expected_version, now=current.get("version"),
            )
        )  # fmt: skip


def column_length(column: InstrumentedAttribute[Any]) -> int:
    """The size of a String column, or LONG_TEXT_MAX for an unsized Text column."""
    kind = column.property.columns[0].type
    length = kind.length if isinstance(kind, String) else None
    return length or LONG_TEXT_MAX


def years_from(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _required(label: str) -> Msg:
    return Msg("{label} is required.", label=term(label))


def _years(n: int) -> Msg:
    return Msg("1 year") if n == 1 else Msg("{n} years", n=n)


class Checker:
    """Collects the problems of one form, one message per field, and raises them all at once."""

    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        """Note a problem (a ``Msg``, so the page can translate it); the first one found for a
        field is the one shown."""
        self.problems.setdefault(field, term(message))

    def raise_if_any(self) -> None:
        """Raise ValidationError with every problem found so far."""
        if self.problems:
            raise ValidationError(self.problems)

    def text(
        self,
        field: str,
        value: str | None,
        *,
        label: str,
        max_length: int,
        required: bool = False,
    ) -> str | None:
        """Text as typed minus surrounding whitespace (None when empty), within ``max_length``."""
        if value is not None and not isinstance(value, str):
            self.add(field, Msg("{label} must be text.", label=term(label)))
            return None
        cleaned = (value or "").strip()
        if not cleaned:
            if required:
                self.add(field, _required(label))
            return None
        if "\x00" in cleaned:
            # PostgreSQL cannot store NUL in text; it only arrives by pasting binary junk.
            self.add(
                field,
                Msg(
                    "{label} contains a NUL character that cannot be saved; remove it.",
                    label=term(label),
                ),
            )
        elif len(cleaned) > max_length:
            self.add(
                field,
                Msg(
                    "{label} is {length} characters long; at most {most} fit.",
                    label=term(label),
                    length=len(cleaned),
                    most=max_length,
                ),  # fmt: skip
            )
        return cleaned

    def required(self, field: str, value: Any, *, label: str) -> Any:
        """``value`` itself; a problem when it is None or blank."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, _required(label))
            return None
        return value

    def choice(
        self,
        field: str,
        value: str | None,
        *,
        label: str,
        choices: Sequence[str],
        required: bool = True,
    ) -> str | None:
        """One of ``choices``; a problem naming them when it is something else."""
        if value is None or value == "":
            if required:
                self.add(field, _required(label))
            return None
        if value not in choices:
            self.add(
                field,
                Msg(
                    "{label} must be one of {choices} (got {value}).",
                    label=term(label),
                    choices=", ".join(choices),
                    value=repr(value),
                ),  # fmt: skip
            )
            return None
        return value

    def identifier(
        self, field: str, value: Any, *, label: str, required: bool = True
    ) -> int | None:
        """A record id (a positive whole number)."""
        if value is None or value == "":
            if required:
                self.add(field, _required(label))
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.add(
                field,
                Msg(
                    "{label} is not a known record (got {value}).",
                    label=term(label),
                    value=repr(value),
                ),
            )
            return None
        return value

    def date_between(
        self,
        field: str,
        value: dt.date | None,
        *,
        label: str,
        earliest: dt.date,
        latest: dt.date,
        why_earliest: str,
        why_latest: str,
        required: bool = True,
    ) -> dt.date | None:
        """A date from ``earliest`` to ``latest`` inclusive, each limit explained in words."""
        if value is None:
            if required:
                self.add(field, _required(label))
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.add(
                field,
                Msg("{label} must be a date (got {value}).", label=term(label), value=repr(value)),
            )
            return None
        if value < earliest or value > latest:
            template, why, limit = (
                (N_("{label} {day} is {why}; {limit} is the earliest allowed."), why_earliest, earliest)
                if value < earliest
                else (N_("{label} {day} is {why}; {limit} is the latest allowed."), why_latest, latest)
            )
            self.add(
                field,
                Msg(template, label=term(label), day=value.isoformat(), why=term(why),
                    limit=limit.isoformat()),
            )  # fmt: skip
        return value

    def past_date(
        self,
        field: str,
        value: dt.date | None,
        *,
        label: str,
        today: dt.date,
        required: bool = True,
    ) -> dt.date | None:
        """A date of something that happened: not in the future, at most DONE_YEARS_BACK ago."""
        return self.date_between(
            field,
            value,
            label=label,
            earliest=years_from(today, -DONE_YEARS_BACK),
            latest=today,
            why_earliest=Msg("more than {span} ago", span=_years(DONE_YEARS_BACK)),
            why_latest=Msg("in the future"),
            required=required,
        )

    def planned_date(
        self,
        field: str,
        value: dt.date | None,
        *,
        label: str,
        today: dt.date,
        required: bool = True,
    ) -> dt.date | None:
        """A date of something planned: within PLANNED_YEARS_AROUND of today either way."""
        span = _years(PLANNED_YEARS_AROUND)
        return self.date_between(
            field,
            value,
            label=label,
            earliest=years_from(today, -PLANNED_YEARS_AROUND),
            latest=years_from(today, PLANNED_YEARS_AROUND),
            why_earliest=Msg("more than {span} ago", span=span),
            why_latest=Msg("more than {span} ahead", span=span),
            required=required,
        )

    def not_before(
        self,
        field: str,
        day: dt.date | None,
        *,
        label: str,
        start: dt.date | None,
        start_label: str,
    ) -> bool:
        """False, with a problem on ``field``, when ``day`` (an end, a closing, a due date) falls
        before ``start``; the same day is allowed. True when they are in order or one is missing."""
        if day is None or start is None or day >= start:
            return True
        self.add(
            field,
            Msg("{label} {day} is before {start_label} {start}.", label=term(label),
                day=day.isoformat(), start_label=term(start_label), start=start.isoformat()),
        )  # fmt: skip
        return False

    def amount(
        self,
        field: str,
        value: Decimal | int | float | str | None,
        *,
        label: str,
        column: InstrumentedAttribute[Any],
        required: bool = False,
        whole: bool = False,
    ) -> Decimal | None:
        """A non-negative number that fits ``column``'s Numeric(precision, scale); typed text
        is read by kam.core.money.parse_number ("1 200,50", "1,200.50"; "1,200" is ambiguous)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(field, _required(label))
            return None
        try:
            number = _to_decimal(value)
        except NumberError as exc:
            # "1,234": a number, but which one? The shared rule's message says what to type.
            self.add(field, Msg("{label}: {problem}", label=term(label), problem=text_of(exc)))
            return None
        if number is None:
            self.add(
                field,
                Msg(
                    "{label} must be a number (got {value}).", label=term(label), value=repr(value)
                ),
            )
            return None
        kind = column.property.columns[0].type
        assert isinstance(kind, Numeric) and kind.precision and kind.scale is not None
        scale, whole_digits = kind.scale, kind.precision - kind.scale
        if number < 0:
            self.add(
                field, Msg("{label} cannot be negative (got {n}).", label=term(label), n=number)
            )
        elif whole and number != number.to_integral_value():
            self.add(
                field, Msg("{label} must be a whole number (got {n}).", label=term(label), n=number)
            )
        elif number >= Decimal(10) ** whole_digits:
            self.add(
                field,
                Msg(
                    "{label} {n} is too large; it must be below 10^{digits}.",
                    label=term(label),
                    n=number,
                    digits=whole_digits,
                ),  # fmt: skip
            )
        # Too many places only if rounding to the column's scale changes it: 1.500 fits 2 places.
        elif number != number.quantize(Decimal(1).scaleb(-scale)):
            places = Msg("1 decimal place") if scale == 1 else Msg("{n} decimal places", n=scale)
            self.add(
                field,
                Msg(
                    "{label} has more than {places} (got {n}).",
                    label=term(label),
                    places=places,
                    n=number,
                ),  # fmt: skip
            )
        else:
            return number.quantize(Decimal(1).scaleb(-scale))
        return None

    def idempotency_key(
        self, value: str | None, *, max_length: int = IDEMPOTENCY_KEY_MAX
    ) -> str | None:
        """The form's key: blank means none; too long is a programming error shown plainly."""
        return self.text("idempotency_key", value, label=N_("Form key"), max_length=max_length)


def _to_decimal(value: Decimal | int | float | str) -> Decimal | None:
    """The number, or None when it is none; NumberError when typed text is ambiguous."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        # Typed text follows the one rule the importer follows too (kam.core.money).
        try:
            return parse_number(value)
        except NumberError as exc:
            if exc.ambiguous:
                raise
            return None
    if isinstance(value, float):
        value = repr(value)  # 0.1 stays 0.1, not its binary expansion
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None
