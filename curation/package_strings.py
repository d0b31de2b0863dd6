"""Strings of Django and of the packages the admin shows that their own Russian catalogues leave out or
get wrong.

Listed here, never used, so that `makemessages` keeps their Russian in the project's catalogue
(locale/ru/LC_MESSAGES/django.po), which Django reads before any package's own. tests/test_translations.py
finds any string of these packages still without Russian.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = (
    # Django's Russian puts the model's name where its case or gender does not fit ("Добавить тема",
    # "Тема … был успешно изменен", "5 документы"): written here so that every name fits.
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.", "%(count)s %(name)s were changed successfully.", "count"
    ),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following related "
        "items will be deleted:"
    ),
    # Django 6
    gettext_noop("- Select an option -"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Logout"),
    gettext_noop("No %s matches the given query."),
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop("“%(value)s” is not a valid binary value."),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
    # django-tasks-db
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("args kwargs"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("enqueued at"),
    gettext_noop("finished at"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
    gettext_noop("worker id"),
    # django-axes
    gettext_noop("Access Attempt"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("User Agent"),
    gettext_noop("HTTP Accept"),
    # django-import-export
    gettext_noop("Select all"),
    gettext_noop("export failed due to IllegalCharacterError"),
    gettext_noop("use_natural_foreign_keys and key_is_id cannot both be True"),
    # django-simple-history
    gettext_noop("View history: %s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    # django-filter
    gettext_noop("is null"),
    gettext_noop("Select a lookup."),
)
