"""Documents that leave the system: PDFs (``pdf``: WeasyPrint with an embedded CJK font) and Excel
workbooks (``excel``). Every app makes its documents here; none renders a PDF or a workbook itself."""
