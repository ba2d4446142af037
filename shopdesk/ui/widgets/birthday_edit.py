"""Birthday input as year / month / day lists, where the year may be "unknown" (many customers say only
the day they celebrate); an invalid day such as 2月30日 is left for the service to reject with a message."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from shopdesk.domain.birthdays import Birthday
from shopdesk.errors import ValidationError
from shopdesk.i18n import _, pgettext

OLDEST_YEAR = 1920


class BirthdayEdit(QWidget):
    """Three lists read left to right: year (or "Year unknown"), month, day; month and day empty = none."""

    def __init__(
        self, parent: QWidget | None = None, *, field: str = "birthday", today: dt.date | None = None
    ):
        super().__init__(parent)
        self.field = field
        today = today or dt.date.today()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.year = QComboBox()
        self.year.setAccessibleName(_("Birth year"))
        self.year.addItem(_("Year unknown"), None)
        for year in range(today.year, OLDEST_YEAR - 1, -1):
            # TRANSLATORS: an item of the birth year list (with its unit in Chinese: 年, 月, 日).
            self.year.addItem(pgettext("birthday list", "{year}").format(year=year), year)
        self.month = QComboBox()
        self.month.setAccessibleName(_("Birth month"))
        self.month.addItem(_("Month"), None)
        for month in range(1, 13):
            # TRANSLATORS: an item of the birth month list (with its unit in Chinese: 年, 月, 日).
            self.month.addItem(pgettext("birthday list", "{month}").format(month=month), month)
        self.day = QComboBox()
        self.day.setAccessibleName(_("Birth day"))
        self.day.addItem(_("Day"), None)
        for day in range(1, 32):
            # TRANSLATORS: an item of the birth day list (with its unit in Chinese: 年, 月, 日).
            self.day.addItem(pgettext("birthday list", "{day}").format(day=day), day)
        for combo, stretch in ((self.year, 3), (self.month, 2), (self.day, 2)):
            combo.setMaxVisibleItems(14)
            layout.addWidget(combo, stretch)
        self.setFocusProxy(self.year)

    def focus_chain(self) -> list[QWidget]:
        """The widgets Tab visits, in reading order."""
        return [self.year, self.month, self.day]

    def value(self) -> Birthday | str | None:
        """None for no birthday, else a Birthday or its text for the service to validate."""
        year, month, day = self.year.currentData(), self.month.currentData(), self.day.currentData()
        if month is None and day is None:
            if year is not None:
                raise ValidationError(self.field, _("Choose the month and the day too, or no year."))
            return None
        if month is None or day is None:
            raise ValidationError(self.field, _("Choose both the month and the day, or neither."))
        try:
            return Birthday(month, day, year)
        except ValueError:
            return f"{year}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"

    def set_value(self, birthday: Birthday | None) -> None:
        if birthday is None:
            for combo in (self.year, self.month, self.day):
                combo.setCurrentIndex(0)
            return
        self.year.setCurrentIndex(max(0, self.year.findData(birthday.year)) if birthday.year else 0)
        self.month.setCurrentIndex(max(0, self.month.findData(birthday.month)))
        self.day.setCurrentIndex(max(0, self.day.findData(birthday.day)))
