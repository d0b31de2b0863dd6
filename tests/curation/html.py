"""Reading admin pages in tests: elements by tag and attributes, and their text, via Django's own HTML parser."""

from django.test.html import Element, parse_html


def page(response) -> Element:
    return parse_html(response.content.decode())


def find_all(node, name: str, **attributes) -> list[Element]:
    """Every element `name` under `node` (itself included) whose attributes have these values; `class_` matches
    one of the classes. In document order."""
    wanted = {key.rstrip("_"): value for key, value in attributes.items()}
    found = []
    if isinstance(node, Element):
        have = dict(node.attributes)
        if node.name == name and all(_matches(key, have.get(key), value) for key, value in wanted.items()):
            found.append(node)
        for child in node.children:
            found.extend(find_all(child, name, **attributes))
    return found


def find(node, name: str, **attributes) -> Element:
    found = find_all(node, name, **attributes)
    assert found, f"no <{name}> with {attributes}"
    return found[0]


def text(node) -> str:
    if isinstance(node, str):
        return node
    return " ".join(part for part in (text(child) for child in node.children) if part)


def _matches(key, have, wanted) -> bool:
    if have is None:
        return False
    if key == "class":
        return wanted in have.split()
    return have == wanted
