"""The filtered source list as CSV: what the list shows, published only, formulae escaped."""

import csv

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.views import View

from archive.citation import CITED, reference_numbers
from archive.models import Source
from archive.spreadsheet import escape_formula

from .sources import filtered_sources

CHUNK = 500  # rows read per query while the file is sent
COLUMNS = (
    ("identifier", lambda s: s.identifier),
    ("title", lambda s: s.title),
    ("title_original", lambda s: s.title_original),
    ("document_type", lambda s: s.document_type),
    ("date_text", lambda s: s.date_text),
    ("date_edtf", lambda s: s.date_edtf),
    ("repository", lambda s: s.repository.code if s.repository else ""),
    ("fond", lambda s: reference_numbers(s)["fonds"]),
    ("opis", lambda s: reference_numbers(s)["series"]),
    ("delo", lambda s: reference_numbers(s)["file"]),
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
        if not filterset.is_valid():
            # The list page shows these messages beside its filters; a CSV has nowhere to show them.
            messages = [message for errors in filterset.errors.values() for message in errors]
            return HttpResponseBadRequest("\n".join(messages) + "\n", content_type="text/plain; charset=utf-8")
        # The costly part (filters, words, order) runs here, as one query within the view and the public time limit
        # (archive.public.timeout): a list too costly to read is answered as such, before any download begins. Not
        # through a server-side cursor: PostgreSQL reads a held cursor's rows after the statement's limit has ended.
        ids = list(filterset.qs.order_by("date_start", "identifier").values_list("pk", flat=True))
        published = Source.objects.published().select_related(*CITED)
        writer = csv.writer(_Echo())
        url = request.build_absolute_uri

        def rows():
            yield "\ufeff"  # so spreadsheet programs read the Cyrillic as UTF-8
            yield writer.writerow([name for name, _ in COLUMNS] + ["url"])
            # Then the rows, a chunk at a time by primary key; one withdrawn meanwhile is left out.
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                found = published.in_bulk(chunk)
                for source in (found[pk] for pk in chunk if pk in found):
                    cells = [escape_formula(str(get(source))) for _, get in COLUMNS]
                    yield writer.writerow([*cells, url(source.get_absolute_url())])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sources.csv"'
        return response
