"""Make the IIIF derivatives of images that have none (uploaded before IIIF, or copied in), or of all with --all."""

from django.core.management.base import BaseCommand

from archive.iiif.derivatives import make_derivatives
from archive.models import SourceImage


class Command(BaseCommand):
    help = "Make the IIIF tiles and sizes of the sources' images that have none yet (--all: of every image)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every image's derivatives.")

    def handle(self, *args, **options):
        images = SourceImage.objects.select_related("source").order_by("pk")
        if not options["all"]:
            images = images.filter(derivatives="")
        count = 0
        for image in images.iterator():
            make_derivatives(image=image)
            count += 1
            self.stdout.write(f"{image.source.identifier} #{image.pk}: {image.width}×{image.height}")
        self.stdout.write(self.style.SUCCESS(f"Derivatives made for {count} image(s)."))
