"""Log lines carry no client data: the PDF renderer and its font subsetter write the
characters and names of what they render (a client's name in a packet), so their
loggers are silenced; our own logger still speaks."""

from __future__ import annotations

import logging

import pytest


@pytest.mark.parametrize("name", ["weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset",
                                  "fontTools.ttLib.ttFont"])
def test_renderer_loggers_write_nothing(capfd, name):
    logging.getLogger(name).warning("glyph for Lena Varga missing: 'L' 'e' 'n' 'a'")
    logging.getLogger(name).error("cannot subset Lena Varga")
    out, err = capfd.readouterr()
    assert "Lena" not in out + err


def test_a_rendered_document_leaves_no_name_on_stderr(capfd, settings):
    from confide.services.disclosures.render import render_pdf

    render_pdf("<h1>Lena Varga \u4e2d\u6587 \U0001F600</h1><p>Jun\u00e9 Castellanos</p>")
    out, err = capfd.readouterr()
    assert "Lena" not in out + err and "Castellanos" not in out + err
