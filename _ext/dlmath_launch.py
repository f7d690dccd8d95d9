"""Point the launch buttons of each chapter at its notebook; drop duplicated page scripts.

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


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """sphinx-thebe can register its inline configuration script twice, and the second copy
    stops with "Identifier 'THEBE_JS_URL' has already been declared" in the console."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    # The theme adds its buttons at priority 501; run after it.
    app.connect("html-page-context", rewrite_launch_buttons, priority=600)
    app.connect("html-page-context", drop_duplicate_scripts, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
