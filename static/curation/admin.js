/* The curators' admin: names for the autocomplete widgets (select2) that assistive technology can read,
 * and a slug that follows its title however the title is entered.
 *
 * Loaded at the end of every admin page: after Django's scripts are loaded, before jQuery's ready handlers
 * run, so the first part below acts before select2 draws its widgets and the second after.
 */
"use strict";
{
    const autocompletes = (root) => root.querySelectorAll("select.admin-autocomplete");

    // A list of several choices: each choice has its own "×"; select2's "remove all" button sits inside
    // the list (<ul>) where only list items belong, so it is left out.
    const beforeDrawing = (root) => {
        for (const select of autocompletes(root)) {
            if (select.multiple) {
                select.dataset.allowClear = "false";
            }
        }
    };

    const labelOf = (select) => {
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        if (!label) {
            return null;
        }
        label.id = label.id || `${select.id}-label`;
        return label;
    };

    // select2 names its box after the selected value only, which leaves an empty field nameless; the
    // field's own label names it, followed by the value.
    const name = (select) => {
        const container = select.nextElementSibling;
        const label = labelOf(select);
        if (!label || !container || !container.classList.contains("select2")) {
            return;
        }
        const box = container.querySelector(".select2-selection");
        const rendered = container.querySelector(".select2-selection__rendered");
        if (select.multiple) {
            box.setAttribute("aria-labelledby", label.id);
            const search = container.querySelector(".select2-search__field");
            if (search) {
                search.setAttribute("aria-labelledby", label.id);
            }
        } else {
            // The shown value is part of the box's name, not a text field of its own.
            rendered.removeAttribute("role");
            rendered.removeAttribute("aria-readonly");
            box.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`);
        }
    };

    const afterDrawing = (root) => {
        for (const select of autocompletes(root)) {
            name(select);
        }
    };

    beforeDrawing(document);
    if (window.django && django.jQuery) {
        // Runs after Django's autocomplete.js, whose ready handler was registered first.
        django.jQuery(() => afterDrawing(document));
    }
    // A new inline row: Django's handler draws its widgets first (registered first), this one names them.
    document.addEventListener("formset:added", (event) => afterDrawing(event.target));

    // Django fills a slug from its title on key presses (keyup) and on leaving the field (change). Text that
    // comes without key presses (an input method, letters outside the keyboard's layout, a paste from the
    // menu, dictation) fires only "input": it is passed on as a key press, so the slug follows it too.
    const prepopulated = document.getElementById("django-admin-prepopulated-fields-constants");
    if (prepopulated && window.django && django.jQuery) {
        const sources = JSON.parse(prepopulated.dataset.prepopulatedFields).flatMap((field) => field.dependency_ids);
        document.addEventListener("input", (event) => {
            if (sources.some((selector) => event.target.matches(selector))) {
                django.jQuery(event.target).trigger("keyup");
            }
        });
    }
}
