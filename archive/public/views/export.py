"""The filtered source list as CSV: what the list shows, published only, formulae escaped."""

import csv

from django.http import StreamingHttpResponse
from django.views import View

from archive.spreadsheet import escape_formula

from .sources import filtered_sources

COLUMNS = (
    ("identifier", lambda s: s.identifier),
    ("title", lambda s: s.title),
    ("title_original", lambda s: s.title_original),
    ("document_type", lambda s: s.document_type),
    ("date_text", lambda s: s.date_text),
    ("date_edtf", lambda s: s.date_edtf),
    ("repository", lambda s: s.repository.code if s.repository else ""),
    ("fond", lambda s: s.fond),
    ("opis", lambda s: s.opis),
    ("delo", lambda s: s.delo),
    ("folios", lambda s: s.folios),
    ("publication", lambda s: s.publication),
    ("citation_ru", lambda s: s.citation_ru),
    ("citation_en", lambda s: s.citation_en),
    ("summary", lambda s: s.summary),
)


class _Echo:
    def write(self, value):
        return value


class SourceExportView(View):
    def get(self, request):
        filterset = filtered_sources(request)
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        writer = csv.writer(_Echo())
        url = request.build_absolute_uri

        def rows():
            yield "\ufeff"  # so spreadsheet programs read the Cyrillic as UTF-8
            yield writer.writerow([name for name, _ in COLUMNS] + ["url"])
            for source in queryset.order_by("date_start", "identifier").iterator(chunk_size=500):
                cells = [escape_formula(str(get(source))) for _, get in COLUMNS]
                yield writer.writerow([*cells, url(source.get_absolute_url())])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sources.csv"'
        return response
