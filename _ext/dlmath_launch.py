"""Point the launch buttons of each chapter at its notebook.

The chapters are written as MyST Markdown (book/<page>.md), but Colab and Binder need the
paired notebook, notebooks/<page>.ipynb. sphinx-book-theme builds its launch links from the
source path, so this extension rewrites them after the theme has made them.
"""
import re

SOURCE = re.compile(r"book/([\w-]+)\.md")


def _rewrite(buttons):
    for button in buttons:
        if button.get("type") == "group":
            _rewrite(button.get("buttons", []))
        elif button.get("type") == "link" and button.get("text") in {"Binder", "Colab"}:
            button["url"] = SOURCE.sub(r"notebooks/\1.ipynb", button["url"])


def rewrite_launch_buttons(app, pagename, templatename, context, doctree):
    _rewrite(context.get("header_buttons", []))


def setup(app):
    # The theme adds its buttons at priority 501; run after it.
    app.connect("html-page-context", rewrite_launch_buttons, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
