"""The admin's CSV exports (the newsletter's subscribers, the join requests, the translation report), opened by a
spreadsheet as data and never as formulas.

A subscriber's address or a join request's name and message are typed by strangers; a cell such as
`=HYPERLINK(...)` or `@SUM(...)` would run in the editor's spreadsheet. OWASP's advice ("CSV Injection"): put a
single quote before a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return. The XLSX export needs
nothing: Wagtail already stores such cells there as text (SpreadsheetExportMixin.generate_xlsx_row).
"""

from wagtail.admin.views.generic import IndexView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value`, with a single quote before it when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeExportMixin:
    """For a view with Wagtail's SpreadsheetExportMixin (a listing, a report): its CSV export holds no formulas."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise(value) if export_format == self.FORMAT_CSV else value


class SafeExportIndexView(SafeExportMixin, IndexView):
    """A model's admin listing whose CSV export holds no formulas."""
