"""A unit or source that is or was public leaves a Tombstone when it is deleted outright, whichever way it is
deleted (the admin, an undone import): harvesters are told of the deletion for ever (deletedRecord "persistent")."""

from django.db.models.signals import pre_delete
from django.utils import timezone

from archive.models import Tombstone

from . import records


def bury(sender, instance, using, **kwargs) -> None:
    stage = next(stage for stage in records.LIVE_STAGES if stage.model is sender)
    if not stage.harvested().using(using).filter(pk=instance.pk).exists():
        return  # never public: nothing to tell harvesters
    fonds = stage.fonds_of(instance)
    Tombstone.objects.using(using).update_or_create(
        kind=stage.kind,
        identifier=instance.identifier,
        defaults={
            "repository_id": instance.repository_id,
            # a fonds deleted is no set any more (and the row about to go cannot be referred to)
            "fonds_id": None if fonds == instance.pk and stage.model is records.Unit else fonds,
            "level": getattr(instance, "level", ""),  # a format for one level (EAD3: fonds) reports its deletion
            "deleted_at": timezone.now(),
        },
    )


def connect() -> None:
    for stage in records.LIVE_STAGES:
        pre_delete.connect(bury, sender=stage.model, dispatch_uid=f"opis-oai-tombstone-{stage.kind}")
