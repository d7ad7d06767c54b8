"""The list's filters carried to a record and back: one helper, used by Python and templates."""

import pathlib
import re

from django.template import Context, Template
from django.test import RequestFactory

from customers.preserved_filters import (
    add_preserved_filters,
    from_request,
    list_url,
    preserved_url,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_a_record_gets_the_filters_wrapped_and_the_list_gets_them_back():
    filters = "search=a%26b&status=active"

    assert add_preserved_filters("/customers/1/", filters) == (
        "/customers/1/?_changelist_filters=search%3Da%2526b%26status%3Dactive"
    )
    assert add_preserved_filters("/customers/", filters) == f"/customers/?{filters}"
    assert add_preserved_filters("/customers/1/", "") == "/customers/1/"


def test_the_filters_a_request_carries_are_passed_on():
    request = RequestFactory().get("/customers/1/?_changelist_filters=status%3Dactive%26page%3D2")

    assert from_request(request) == "status=active&page=2"
    assert preserved_url(request, "/customers/") == "/customers/?status=active&page=2"
    assert list_url(request) == "/customers/?status=active&page=2"
    assert preserved_url(request, "/customers/1/edit/") == (
        "/customers/1/edit/?_changelist_filters=status%3Dactive%26page%3D2"
    )


def test_the_template_tag_is_the_same_helper():
    template = Template(
        "{% load ctax %}{% url 'customers:edit' 1 as edit %}{% add_preserved_filters edit %}|"
        "{% url 'customers:list' as list %}{% add_preserved_filters list %}|"
        "{% add_preserved_filters list 'page=3' %}"
    )

    html = template.render(Context({"changelist_filters": "status=active&page=2"}))

    assert html == (
        "/customers/1/edit/?_changelist_filters=status%3Dactive%26page%3D2|"
        "/customers/?status=active&amp;page=2|/customers/?page=3"
    )


def test_no_other_place_builds_the_preserved_filters():
    """Templates call {% add_preserved_filters %}; Python calls customers.preserved_filters."""
    builders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("customers/**/*.py")]:
        if path.name == "preserved_filters.py":
            continue
        text = path.read_text()
        # Building the parameter: "_changelist_filters=" in a URL, or as a key to encode.
        if re.search(r"_changelist_filters=(?!None)|[\"']_changelist_filters[\"']\s*:", text):
            builders.append(path.relative_to(ROOT))
    assert builders == []


def test_templates_use_the_url_tag_for_fixed_links():
    uses = [p for p in ROOT.glob("templates/**/*.html") if "{% link " in p.read_text()]

    assert uses == []
